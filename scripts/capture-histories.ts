// `npm run histories:capture`: records histories of real claim runs into test/histories/, which the
// replay test runs against the current workflow code. Commit new ones when a workflow changes, keep the
// old ones: they prove the new code still replays what is already running.
//
//   npm run histories:capture                       scenarios on a dev server this script starts
//   npm run histories:capture -- --address 127.0.0.1:7233 --workflow-id claim-CLM-... [--name my-case]
//                                                   a run from any server (e.g. the one npm start runs)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { startScratchSystem } from '../system/scratch.ts';
import { projectRoot } from '../system/tools.ts';
import { encode, rasterize, textPdf } from '../test/support/documents.ts';
import { dataConverter } from '../temporal/data-converter.ts';

/**
 * Histories are kept per workflow version: bump this when the claim workflow changes (behind patched()),
 * capture, and commit the new folder beside the old ones.
 */
const currentVersion = 'v2';
const historiesDir = path.join(projectRoot, 'test', 'histories', currentVersion);

const { values } = parseArgs({
  options: {
    address: { type: 'string' },
    namespace: { type: 'string', default: 'default' },
    'workflow-id': { type: 'string', multiple: true },
    name: { type: 'string' },
  },
});

async function save(client: Client, workflowId: string, name: string): Promise<void> {
  mkdirSync(historiesDir, { recursive: true });
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const file = path.join(historiesDir, `${name}.json`);
  writeFileSync(file, `${historyToJSON(history)}\n`);
  console.log(`${path.relative(projectRoot, file)}  (${history.events?.length ?? 0} events, from ${workflowId})`);
}

if (values['workflow-id']?.length) {
  const connection = await Connection.connect({ address: values.address ?? '127.0.0.1:7233' });
  const client = new Client({ connection, namespace: values.namespace, dataConverter });
  for (const id of values['workflow-id']) await save(client, id, values.name ?? id);
  await connection.close();
} else {
  await captureScenarios();
}

async function captureScenarios(): Promise<void> {
  const { system, stop } = await startScratchSystem();
  try {
    const today = new Date().toISOString().slice(0, 10);
    const claim = (overrides: Record<string, unknown>) => ({
      policyNumber: 'POL-1001',
      peril: 'collision',
      incidentDate: today,
      claimedAmount: { amount: '1250.00', currency: 'EUR' },
      description: 'Scenario claim for history capture',
      ...overrides,
    });
    const [scan] = await rasterize(await textPdf([['CITY GLASS LTD', 'TAX INVOICE', `Date: ${today}`, 'Windscreen 1 380.00', 'TOTAL EUR 380.00']]), 200);
    const withDocuments = new FormData();
    withDocuments.append('claim', JSON.stringify(claim({ peril: 'glass', claimedAmount: { amount: '380.00', currency: 'EUR' } })));
    withDocuments.append('documents', new Blob([await encode.png(scan!)], { type: 'image/png' }), 'invoice-scan.png');
    withDocuments.append('documents', new Blob([await textPdf([['CITY GLASS LTD', 'INVOICE', 'TOTAL EUR 380.00']])], { type: 'application/pdf' }), 'invoice.pdf');
    const mismatch = new FormData();
    mismatch.append('claim', JSON.stringify(claim({ claimedAmount: { amount: '1250.00', currency: 'EUR' } })));
    mismatch.append('documents', new Blob([await textPdf([['BODYWORK GARAGE LTD', 'REPAIR ESTIMATE', 'TOTAL EUR 950.00']])], { type: 'application/pdf' }), 'estimate.pdf');

    const scenarios: { name: string; key: string; body: RequestInit['body']; json: boolean }[] = [
      { name: 'claim-approved', key: 'dev-claimant-key', body: JSON.stringify(claim({})), json: true },
      { name: 'claim-approved-with-documents', key: 'dev-claimant-key', body: withDocuments, json: false },
      { name: 'claim-referred-amount-exceeds-documents', key: 'dev-claimant-key', body: mismatch, json: false },
      { name: 'claim-referred-peril-not-covered', key: 'dev-claimant-key', body: JSON.stringify(claim({ policyNumber: 'POL-1002', peril: 'theft' })), json: true },
      {
        name: 'claim-referred-policy-cancelled',
        key: 'dev-claimant2-key',
        body: JSON.stringify(claim({ policyNumber: 'POL-2002', peril: 'fire', claimedAmount: { amount: '5000', currency: 'USD' } })),
        json: true,
      },
    ];
    for (const scenario of scenarios) {
      const response = await fetch(`${system.apiUrl}/v1/claims`, {
        method: 'POST',
        headers: { authorization: `Bearer ${scenario.key}`, ...(scenario.json ? { 'content-type': 'application/json' } : {}) },
        body: scenario.body,
      });
      const created = (await response.json()) as { id: string; workflowId: string };
      if (response.status !== 201) throw new Error(`${scenario.name}: ${response.status} ${JSON.stringify(created)}`);
      await system.temporal.workflow.getHandle(created.workflowId).result();
      await save(system.temporal, created.workflowId, scenario.name);
    }
  } finally {
    await stop();
  }
}
