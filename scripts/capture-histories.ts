// `npm run histories:capture`: records histories of real claim runs into test/histories/, which the
// replay test runs against the current workflow code. Commit new ones when a workflow changes, keep the
// old ones: they prove the new code still replays what is already running.
// The claim scenarios are here; underwriting's and voice intake's are in scripts/lib/history-capture.ts.
//
//   npm run histories:capture                       scenarios on a dev server this script starts
//   npm run histories:capture -- --set underwriting only one set of scenarios (claims | underwriting | voice | appeals | refusals)
//   npm run histories:capture -- --address 127.0.0.1:7233 --workflow-id claim-CLM-... [--name my-case]
//                                                   a run from any server (e.g. the one npm start runs)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { claims, notifications } from '../db/schema.ts';
import { startScratchSystem } from '../system/scratch.ts';
import { projectRoot } from '../platform/tools.ts';
import { encode, rasterize, textPdf } from '../test/support/documents.ts';
import { until, waitForDecision } from '../test/support/harness.ts';
import { testPayloadKeys } from '../test/support/payload-keys.ts';
import { call, captureAppeals, captureUnderwriting, captureUnderwritingEscalation, captureVoice, save } from './lib/history-capture.ts';
import { startTimeSkippingSystem } from '../test/support/time-skipping.ts';
import { captureRecordRefusals } from './lib/refusal-capture.ts';

/**
 * Histories are kept per workflow version: bump this when the claim workflow changes (behind patched()),
 * capture, and commit the new folder beside the old ones.
 */
const currentVersion = 'v7';
const historiesDir = path.join(projectRoot, 'test', 'histories', currentVersion);

const { values } = parseArgs({
  options: {
    address: { type: 'string' },
    namespace: { type: 'string', default: 'default' },
    'workflow-id': { type: 'string', multiple: true },
    name: { type: 'string' },
    set: { type: 'string', default: 'all' },
  },
});
const allSets = ['claims', 'underwriting', 'voice', 'appeals', 'refusals'];
const sets = values.set === 'all' ? allSets : [values.set];
if (!sets.every((x) => allSets.includes(x))) throw new Error(`--set must be ${allSets.join(', ')} or all`);

if (values['workflow-id']?.length) {
  const connection = await Connection.connect({ address: values.address ?? '127.0.0.1:7233' });
  // Histories are saved as the server holds them (payloads encrypted); replaying needs their key.
  const client = new Client({ connection, namespace: values.namespace });
  for (const id of values['workflow-id']) await save(client, id, values.name ?? id, historiesDir);
  await connection.close();
} else {
  await captureScenarios();
  await captureServiceLevelScenarios();
}

async function captureScenarios(): Promise<void> {
  // The test key, so the replay test (which has it) can read what is captured.
  // Silence ends a call after two seconds here, so the silent-caller scenario is quick.
  const { system, stop } = await startScratchSystem('warn', { INSUREFLOW_PAYLOAD_KEYS: testPayloadKeys, INSUREFLOW_VOICE_SILENCE: '2s' });
  try {
    if (sets.includes('voice')) await captureVoice(system.apiUrl!, system.temporal);
    const today = new Date().toISOString().slice(0, 10);
    const claim = (overrides: Record<string, unknown>) => ({
      policyNumber: 'POL-1001',
      peril: 'collision',
      incidentDate: today,
      claimedAmount: { amount: '1250.00', currency: 'EUR' },
      description: 'Scenario claim for history capture',
      ...overrides,
    });
    // A whole invoice (its arithmetic and the payment confirm the total), so automation may rely on it.
    const invoiceLines = [
      'CITY GLASS LTD',
      'TAX INVOICE',
      `Date: ${today}`,
      'Windscreen 1 319.33',
      'Subtotal 319.33',
      'VAT 19% 60.67',
      'TOTAL EUR 380.00',
      'Paid by card EUR 380.00',
    ];
    const [scan] = await rasterize(await textPdf([invoiceLines]), 200);
    const withDocuments = new FormData();
    withDocuments.append('claim', JSON.stringify(claim({ peril: 'glass', claimedAmount: { amount: '380.00', currency: 'EUR' } })));
    withDocuments.append('documents', new Blob([await encode.png(scan!)], { type: 'image/png' }), 'invoice-scan.png');
    withDocuments.append('documents', new Blob([await textPdf([invoiceLines])], { type: 'application/pdf' }), 'invoice.pdf');
    const onReceipt = (amount: string) => {
      const form = new FormData();
      form.append('claim', JSON.stringify(claim({ policyNumber: 'POL-1003', peril: 'theft', claimedAmount: { amount, currency: 'MYR' } })));
      form.append(
        'documents',
        new Blob([readFileSync(path.join(projectRoot, 'docs', 'examples', 'receipt-myr.png'))], { type: 'image/png' }),
        'receipt.png',
      );
      return form;
    };
    const mismatch = new FormData();
    mismatch.append('claim', JSON.stringify(claim({ claimedAmount: { amount: '1250.00', currency: 'EUR' } })));
    mismatch.append(
      'documents',
      new Blob([await textPdf([['BODYWORK GARAGE LTD', 'REPAIR ESTIMATE', 'TOTAL EUR 950.00']])], { type: 'application/pdf' }),
      'estimate.pdf',
    );

    type Step = (claimId: string) => Promise<void>;
    const apiUrl = system.apiUrl!;
    const untilStatus = async (claimId: string, status: string) => {
      await waitForDecision({ apiUrl }, claimId, 'dev-adjuster-key', 20_000, [status]);
    };
    const decide =
      (decision: Record<string, unknown>, key = 'dev-adjuster-key'): Step =>
      async (claimId) => {
        await untilStatus(claimId, 'IN_REVIEW');
        await call(apiUrl, 'POST', `/v1/claims/${claimId}/decision`, key, decision);
      };
    const sendDocuments: Step = async (claimId) => {
      await untilStatus(claimId, 'AWAITING_DOCUMENTS');
      const form = new FormData();
      form.append(
        'documents',
        new Blob([await textPdf([['CITY POLICE', 'CRIME REFERENCE 4471/26', `Reported ${today}`, 'Theft of a bicycle']])], {
          type: 'application/pdf',
        }),
        'police-report.pdf',
      );
      await call(apiUrl, 'POST', `/v1/claims/${claimId}/documents`, 'dev-claimant-key', form);
    };
    const withdraw: Step = async (claimId) => {
      await call(apiUrl, 'POST', `/v1/claims/${claimId}/withdraw`, 'dev-claimant-key', { reason: 'Settled with the other driver.' });
    };
    const whenPaymentSent: Step = async (claimId) => {
      for (let i = 0; i < 200; i++) {
        const claim = (await call(apiUrl, 'GET', `/v1/claims/${claimId}`, 'dev-claimant-key')) as { payments: { status: string }[] };
        if (claim.payments[0]?.status === 'PENDING') return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${claimId}: no payment was sent`);
    };
    const holdPayouts =
      (ms: number): Step =>
      () => {
        system.paymentSandbox!.settleAfter(ms);
        return Promise.resolve();
      };
    const correctAccount: Step = async (claimId) => {
      await untilStatus(claimId, 'IN_REVIEW');
      await system.database.db
        .update(claims)
        .set({ payoutAccount: { iban: 'NL91ABNA0417164300', holder: 'Ada Lovelace' } })
        .where(eq(claims.id, claimId));
    };
    const ringEstimate = await textPdf([['BODYWORK GARAGE LTD', 'REPAIR ESTIMATE 88231', 'Rear bumper and tailgate', 'TOTAL 900.00']]);
    const ringAccount = { iban: 'DE44500105175407324931', holder: 'J. Smith' };
    const ringClaim = (policyNumber: string, currency: string) => {
      const form = new FormData();
      form.append(
        'claim',
        JSON.stringify(claim({ policyNumber, claimedAmount: { amount: '900.00', currency }, payoutAccount: ringAccount })),
      );
      form.append('documents', new Blob([ringEstimate], { type: 'application/pdf' }), 'estimate.pdf');
      return form;
    };
    const theft = claim({ policyNumber: 'POL-1002', peril: 'theft', claimedAmount: { amount: '600.00', currency: 'EUR' } });

    const scenarios: { name: string; key: string; body: FormData | Record<string, unknown>; before?: Step; steps?: Step[] }[] = [
      { name: 'claim-approved', key: 'dev-claimant-key', body: claim({}) },
      { name: 'claim-paid-on-corroborating-receipt', key: 'dev-claimant-key', body: onReceipt('58.00') },
      {
        name: 'claim-receipt-not-corroborating-then-approved',
        key: 'dev-claimant-key',
        body: onReceipt('87.00'),
        steps: [decide({ action: 'approve', amount: { amount: '58.00', currency: 'MYR' }, note: 'What the receipt shows.' })],
      },
      {
        name: 'claim-above-automation-limit-then-approved',
        key: 'dev-claimant-key',
        body: claim({ claimedAmount: { amount: '15000.00', currency: 'EUR' } }),
        steps: [decide({ action: 'approve', amount: { amount: '9000.00', currency: 'EUR' }, note: 'Estimate seen at the garage.' })],
      },
      { name: 'claim-approved-with-documents', key: 'dev-claimant-key', body: withDocuments },
      {
        name: 'claim-review-approved',
        key: 'dev-claimant-key',
        body: mismatch,
        steps: [
          decide({
            action: 'approve',
            amount: { amount: '450.00', currency: 'EUR' },
            note: 'The estimate (950.00) less the deductible; the rest was not evidenced.',
          }),
        ],
      },
      { name: 'claim-review-denied', key: 'dev-claimant-key', body: theft, steps: [decide({ action: 'deny', reasonCode: 'NOT_COVERED' })] },
      {
        name: 'claim-documents-requested-then-received',
        key: 'dev-claimant-key',
        body: theft,
        steps: [
          decide({ action: 'request_documents', documents: ['the police report'] }),
          sendDocuments,
          decide({
            action: 'approve',
            amount: { amount: '600.00', currency: 'EUR' },
            note: 'Theft from the home is covered under the contents extension.',
          }),
        ],
      },
      {
        name: 'claim-withdrawn-in-review',
        key: 'dev-claimant-key',
        body: theft,
        steps: [async (id) => untilStatus(id, 'IN_REVIEW'), withdraw],
      },
      {
        name: 'claim-withdrawn-after-payment-began',
        key: 'dev-claimant-key',
        body: claim({ claimedAmount: { amount: '800.00', currency: 'EUR' } }),
        before: holdPayouts(3_600_000),
        steps: [whenPaymentSent, withdraw, holdPayouts(2_000)],
      },
      {
        name: 'claim-payment-failed-then-paid',
        key: 'dev-claimant-key',
        body: claim({
          claimedAmount: { amount: '650.00', currency: 'EUR' },
          payoutAccount: { iban: 'GB94BARC10201530093459', holder: 'Ada Lovelace' },
        }),
        steps: [correctAccount, decide({ action: 'approve', amount: { amount: '150.00', currency: 'EUR' } })],
      },
      {
        // The estimate prints no currency, so automation cannot rely on it (v6): an adjuster approves.
        name: 'claim-linked-first',
        key: 'dev-claimant-key',
        body: ringClaim('POL-1001', 'EUR'),
        steps: [decide({ action: 'approve', amount: { amount: '400.00', currency: 'EUR' }, note: 'Estimate checked with the garage.' })],
      },
      {
        name: 'claim-fraud-referred-then-denied',
        key: 'dev-claimant2-key',
        body: ringClaim('POL-2001', 'USD'),
        steps: [decide({ action: 'deny', reasonCode: 'FRAUD_SUSPECTED', note: 'Same estimate and bank account as another customer.' })],
      },
      {
        // Above the adjuster's own authority (v7): they send it to the seniors, who approve it.
        name: 'claim-referred-to-senior-then-approved',
        key: 'dev-claimant-key',
        body: claim({ claimedAmount: { amount: '14000.00', currency: 'EUR' } }),
        steps: [
          async (claimId) => {
            await untilStatus(claimId, 'IN_REVIEW');
            await call(apiUrl, 'POST', `/v1/claims/${claimId}/refer`, 'dev-adjuster-key', {
              note: 'Above my authority; the estimate supports it.',
            });
          },
          decide({ action: 'approve', amount: { amount: '13500.00', currency: 'EUR' }, note: 'Estimate checked.' }, 'dev-senior-key'),
        ],
      },
      {
        name: 'claim-review-policy-cancelled-denied',
        key: 'dev-claimant2-key',
        body: claim({ policyNumber: 'POL-2002', peril: 'fire', claimedAmount: { amount: '5000', currency: 'USD' } }),
        steps: [decide({ action: 'deny', reasonCode: 'POLICY_NOT_IN_FORCE' })],
      },
    ];
    if (sets.includes('underwriting')) await captureUnderwriting(system.apiUrl!, system.temporal);
    if (sets.includes('appeals')) await captureAppeals(system.apiUrl!, system.temporal);
    // Installs triggers that refuse decisions carrying a marker in this scratch database; no other scenario carries it.
    if (sets.includes('refusals')) await captureRecordRefusals(system.apiUrl!, system.temporal, system.database.db);
    if (!sets.includes('claims')) return;
    for (const scenario of scenarios) {
      await scenario.before?.('');
      const created = (await call(apiUrl, 'POST', '/v1/claims', scenario.key, scenario.body)) as { id: string; workflowId: string };
      for (const step of scenario.steps ?? []) await step(created.id);
      await system.temporal.workflow.getHandle(created.workflowId).result();
      await save(system.temporal, created.workflowId, scenario.name, historiesDir);
    }
  } finally {
    await stop();
  }
}

/** Service levels run in days; the time-skipping test server passes them in moments. */
async function captureServiceLevelScenarios(): Promise<void> {
  const sla = await startTimeSkippingSystem();
  try {
    if (sets.includes('underwriting')) await captureUnderwritingEscalation(sla);
    if (!sets.includes('claims')) return;
    const db = sla.system.database.db;
    const { id: claimId, workflowId } = (await call(sla.apiUrl, 'POST', '/v1/claims', 'dev-claimant-key', {
      policyNumber: 'POL-1002',
      peril: 'theft',
      incidentDate: new Date().toISOString().slice(0, 10),
      claimedAmount: { amount: '600.00', currency: 'EUR' },
      description: 'Scenario claim for history capture',
    })) as { id: string; workflowId: string };
    const sent = async (kind: string) =>
      (
        await db
          .select()
          .from(notifications)
          .where(and(eq(notifications.claimId, claimId), eq(notifications.kind, kind)))
      ).length > 0;
    await until(
      async () => (await db.select().from(claims).where(eq(claims.id, claimId)))[0]?.status,
      (status) => status === 'IN_REVIEW',
      `${claimId} in review`,
    );
    await sla.env.sleep('25 hours');
    await until(() => sent('REVIEW_REMINDER'), Boolean, 'the reminder');
    await sla.env.sleep('48 hours');
    await until(() => sent('REVIEW_ESCALATED'), Boolean, 'the escalation');
    await call(sla.apiUrl, 'POST', `/v1/claims/${claimId}/decision`, 'dev-senior-key', {
      action: 'approve',
      amount: { amount: '600.00', currency: 'EUR' },
      note: 'Covered under the contents extension.',
    });
    await sla.env.client.workflow.getHandle(workflowId).result();
    await save(sla.env.client, workflowId, 'claim-review-escalated-then-approved', historiesDir);
  } finally {
    await sla.stop();
  }
}
