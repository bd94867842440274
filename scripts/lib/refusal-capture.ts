// Histories of runs in which the database refused a person's decision for good (the record-refusals
// patch of the claim and underwriting workflows): the refusal answered to that person, then a decision the
// database takes. `npm run histories:capture -- --set refusals` writes them to test/histories/refusals-v1.
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client.ts';
import { projectRoot } from '../../platform/tools.ts';
import { api, applicationBody, until, youngRider } from '../../test/support/harness.ts';
import { refusalMarker, refuseMarkedDecisions } from '../../test/support/refusing-database.ts';
import { call, referredTheftClaim, save } from './history-capture.ts';

const dir = path.join(projectRoot, 'test', 'histories', 'refusals-v1');

/** Sends a decision the database will refuse, and checks that it was refused as RECORD_REFUSED. */
async function refused(apiUrl: string, route: string, key: string, body: Record<string, unknown>): Promise<void> {
  const res = await api({ apiUrl }, 'POST', route, { key, json: body });
  const code = (res.body as { error?: { code?: string } }).error?.code;
  if (res.status !== 422 || code !== 'RECORD_REFUSED')
    throw new Error(`${route}: expected RECORD_REFUSED, got ${res.status} ${JSON.stringify(res.body)}`);
}

export async function captureRecordRefusals(apiUrl: string, temporal: Client, db: Database): Promise<void> {
  await refuseMarkedDecisions(db);
  const approved = await referredTheftClaim(apiUrl);
  await refused(apiUrl, `/v1/claims/${approved.id}/decision`, 'dev-adjuster-key', {
    action: 'approve',
    amount: { amount: '800.00', currency: 'EUR' },
    note: `Approved (${refusalMarker}).`,
  });
  await call(apiUrl, 'POST', `/v1/claims/${approved.id}/decision`, 'dev-adjuster-key', {
    action: 'approve',
    amount: { amount: '800.00', currency: 'EUR' },
    note: 'The bicycle was locked; approved.',
  });
  await temporal.workflow.getHandle(approved.workflowId).result();
  await save(temporal, approved.workflowId, 'claim-decision-refused-then-approved', dir);

  const withdrawn = await referredTheftClaim(apiUrl);
  await call(apiUrl, 'POST', `/v1/claims/${withdrawn.id}/withdraw`, 'dev-claimant-key', { reason: `Found it (${refusalMarker}).` });
  await temporal.workflow.getHandle(withdrawn.workflowId).result();
  await save(temporal, withdrawn.workflowId, 'claim-withdrawn-note-not-stored', dir);

  const application = (await call(apiUrl, 'POST', '/v1/underwriting/applications', 'dev-claimant-key', applicationBody(youngRider))) as {
    id: string;
    workflowId: string;
  };
  await until(
    async () => (await call(apiUrl, 'GET', `/v1/underwriting/applications/${application.id}`, 'dev-underwriter-key')).status,
    (status) => status === 'IN_REVIEW',
    `${application.id} in review`,
  );
  await refused(apiUrl, `/v1/underwriting/applications/${application.id}/decision`, 'dev-underwriter-key', {
    action: 'accept',
    note: `Experienced rider (${refusalMarker}).`,
  });
  await call(apiUrl, 'POST', `/v1/underwriting/applications/${application.id}/decision`, 'dev-underwriter-key', {
    action: 'accept',
    note: 'Experienced rider; accepted at the engine price.',
  });
  await temporal.workflow.getHandle(application.workflowId).result();
  await save(temporal, application.workflowId, 'application-decision-refused-then-accepted', dir);
}
