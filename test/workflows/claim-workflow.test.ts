// The claim workflow on a real Temporal server with the real workers, activities and database.
// long file: the cases share one started system (Temporal, database, workers), which takes seconds to start.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFraudModel } from '../../activities/claims/fraud.ts';
import { createClaimActivities } from '../../activities/claims/index.ts';
import { claims, decisions, documentPages, documents, payments } from '../../db/schema.ts';
import { canonicalJson } from '../../domain/shared/decision.ts';
import { ClaimAmountKey, ClaimStatusKey, FraudBandKey, LineOfBusinessKey } from '../../platform/temporal/search-attributes.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { claimStatusQuery, claimWorkflowId, type ClaimOutcome } from '../../workflows/claim/messages.ts';
import { imagePdf, rasterize, textPdf } from '../support/documents.ts';
import { api, claimBody, fixtures, keys, restingStatuses, startHarness, today, type Harness } from '../support/harness.ts';

let h: Harness;
let client: Client;

beforeAll(async () => {
  h = await startHarness();
  client = h.system.temporal;
});
afterAll(async () => {
  await h?.stop();
});

async function submit(body: Record<string, unknown>, key: string = keys.claimant): Promise<string> {
  const res = await api(h, 'POST', '/v1/claims', { key, json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/**
 * The outcome where automation stops: the result of a closed claim (an approved one once paid), or the
 * assessment a claim in review waits with.
 */
async function outcomeOf(claimId: string, workflowId = claimWorkflowId(claimId)): Promise<ClaimOutcome> {
  const handle = client.workflow.getHandle(workflowId);
  for (;;) {
    const progress = await handle.query(claimStatusQuery);
    if (progress.outcome && progress.status !== 'APPROVED' && restingStatuses.includes(progress.status))
      return { ...progress.outcome, status: progress.status };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('claim workflow', () => {
  it('approves a covered claim, pays it once, writes the letter, and shows it all in Temporal', async () => {
    const claimId = await submit(claimBody());
    const outcome = (await client.workflow.getHandle(claimWorkflowId(claimId)).result()) as ClaimOutcome;
    expect(outcome).toMatchObject({ status: 'PAID', payable: { minor: 75_000, currency: 'EUR' } });
    expect(outcome.reasons.map((r) => r.code)).toEqual(['COVERAGE_CONFIRMED', 'DEDUCTIBLE_APPLIED', 'PAYMENT_SETTLED']);

    const db = h.system.database.db;
    const [claim] = await db.select().from(claims).where(eq(claims.id, claimId));
    expect(claim).toMatchObject({ status: 'PAID', payableMinor: 75_000, reserveMinor: 125_000 });
    expect(claim?.reserveReleasedAt).toBeInstanceOf(Date);
    expect(claim?.closedAt).toBeInstanceOf(Date);
    expect(claim?.letterSha256).toMatch(/^[0-9a-f]{64}$/);
    const paid = await db.select().from(payments).where(eq(payments.claimId, claimId));
    expect(paid).toMatchObject([
      { amountMinor: 75_000, currency: 'EUR', status: 'PAID', idempotencyKey: `${claimId}/payout/1`, payee: 'DE89 **** **** **** **30 00' },
    ]);
    expect(h.system.paymentSandbox!.payouts().filter((p) => p.reference === claimId)).toMatchObject([
      { amount: 75_000, status: 'paid', id: paid[0]!.gatewayReference },
    ]);
    const rows = await db.select().from(decisions).where(eq(decisions.claimId, claimId)).orderBy(decisions.id);
    expect(rows.map((r) => `${r.kind}:${r.outcome}`)).toEqual(['CLAIM_ASSESSMENT:APPROVE', 'PAYMENT:PAID']);
    const [decision] = rows;
    expect(decision).toMatchObject({
      kind: 'CLAIM_ASSESSMENT',
      outcome: 'APPROVE',
      decidedBy: 'automation',
      ruleSetVersion: `coverage-rules@1.0.0+reconciliation-rules@1.0.0+fraud-rules@1.1.0+${loadFraudModel().version}+automation-policy@1.2.0+triage-rules@1.3.0`,
    });
    // Within automation's authority: no documents, EUR 750 payable, under the EUR 1,000 it pays without them.
    expect(decision?.inputs).toMatchObject({
      authority: { withinAuthority: true, corroborated: null, version: 'automation-policy@1.2.0' },
    });
    expect(claim).toMatchObject({ fraudBand: 'low' });
    expect(claim?.fraudScore).toBeLessThan(25);
    expect(decision?.inputs).toMatchObject({
      fraud: { band: 'low', rulesVersion: 'fraud-rules@1.1.0', modelVersion: loadFraudModel().version },
    });
    expect((decision?.inputs as { fraud: { reasons: unknown[] } }).fraud.reasons.length).toBeGreaterThanOrEqual(3);
    expect(decision?.inputsDigest).toBe(createHash('sha256').update(canonicalJson(decision?.inputs)).digest('hex'));
    expect(decision?.inputs).toMatchObject({ claim: { claimId }, policy: { policyNumber: 'POL-1001' }, coverage: { outcome: 'COVERED' } });

    const handle = client.workflow.getHandle(claimWorkflowId(claimId));
    const description = await handle.describe();
    expect(description.taskQueue).toBe(taskQueues.claims);
    expect(description.typedSearchAttributes.get(ClaimStatusKey)).toBe('PAID');
    expect(description.typedSearchAttributes.get(LineOfBusinessKey)).toBe('motor');
    expect(description.typedSearchAttributes.get(ClaimAmountKey)).toBe(1250);
    expect(description.typedSearchAttributes.get(FraudBandKey)).toBe('low');
    expect(await description.staticSummary()).toBe(`Claim ${claimId}: motor collision, EUR 1,250.00`);
    expect(await description.staticDetails()).toContain('**Policy** POL-1001');

    expect(await handle.query(claimStatusQuery)).toMatchObject({ status: 'PAID', waitingFor: null, outcome: { status: 'PAID' } });
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('Paid: EUR 750.00');

    // Each activity carries a readable summary in the history, which the Web UI shows.
    const history = await handle.fetchHistory();
    // Encrypted like every payload: read through the codec, as the Web UI reads them through the codec server.
    const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
    const summaries = await Promise.all(
      (history.events ?? [])
        .filter((e) => e.activityTaskScheduledEventAttributes)
        .map(async (e) => payloadConverter.fromPayload<string>((await payloadCodecs[0]!.decode([e.userMetadata!.summary!]))[0]!)),
    );
    expect(summaries).toEqual([
      'Open the reserve: EUR 1,250.00',
      'Load policy POL-1001',
      'Fraud checks: rules, links, model',
      'Record decision: APPROVE',
      'Pay EUR 750.00 (payment 1)',
      'Record decision: PAID',
      'Release the reserve',
      'Write the decision letter (PAID)',
    ]);

    // Nothing personal reaches Temporal: the description text is only in the database.
    expect(JSON.stringify(history)).not.toContain('Rear-ended');
  });

  it('refers a claim the policy does not cover as a proposed denial, paying nothing', async () => {
    const claimId = await submit(claimBody({ policyNumber: 'POL-1002', peril: 'theft' }));
    const outcome = await outcomeOf(claimId);
    expect(outcome.status).toBe('IN_REVIEW');
    expect(outcome.payable).toBeNull();
    expect(outcome.reasons.map((r) => r.code)).toEqual(['PERIL_NOT_COVERED', 'PROPOSED_DENIAL']);
    const [claim] = await h.system.database.db.select().from(claims).where(eq(claims.id, claimId));
    expect(claim).toMatchObject({ status: 'IN_REVIEW', payableMinor: null, queue: 'adjusters' });
    const metadata = await client.workflow
      .getHandle(claimWorkflowId(claimId))
      .query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('PERIL_NOT_COVERED');
    expect(metadata.currentDetails).toContain('Waiting for an adjuster');
  });

  it('refers claims on expired and cancelled policies', async () => {
    const expired = await submit(claimBody({ policyNumber: 'POL-3001', claimedAmount: { amount: '900', currency: 'GBP' } }), keys.admin);
    expect((await outcomeOf(expired)).reasons.map((r) => r.code)).toEqual(['INCIDENT_AFTER_COVER', 'PROPOSED_DENIAL']);
    const cancelled = await submit(
      claimBody({ policyNumber: 'POL-2002', peril: 'fire', claimedAmount: { amount: '5000', currency: 'USD' } }),
      keys.claimant2,
    );
    expect((await outcomeOf(cancelled)).reasons.map((r) => r.code)).toEqual(['POLICY_CANCELLED', 'PROPOSED_DENIAL']);
  });

  it('reads documents on the documents queue and extracts their fields before approving', async () => {
    const form = new FormData();
    form.append('claim', JSON.stringify(claimBody({ peril: 'glass', claimedAmount: { amount: '380.00', currency: 'EUR' } })));
    form.append('documents', new Blob([fixtures.png()], { type: 'image/png' }), 'windscreen.png');
    // A whole invoice: its arithmetic and the payment confirm the total, which automation then relies on.
    const invoice = await fixtures.pdf(
      'CITY GLASS LTD',
      'TAX INVOICE',
      `Date: ${today()}`,
      'Windscreen 1 319.33',
      'Subtotal 319.33',
      'VAT 19% 60.67',
      'TOTAL EUR 380.00',
      'Paid by card EUR 380.00',
    );
    form.append('documents', new Blob([invoice], { type: 'application/pdf' }), 'invoice.pdf');
    const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const outcome = await outcomeOf(res.body.id);
    expect(outcome).toMatchObject({ status: 'PAID', payable: { minor: 38_000, currency: 'EUR' } });
    // The documents support the claim: the assessment found nothing to flag.
    const [assessment] = await h.system.database.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.claimId, res.body.id), eq(decisions.kind, 'CLAIM_ASSESSMENT')));
    expect(assessment?.flags).toEqual([]);
    const docs = await h.system.database.db.select().from(documents).where(eq(documents.claimId, res.body.id));
    const byName = Object.fromEntries(docs.map((d) => [d.fileName, d]));
    expect(byName['invoice.pdf']).toMatchObject({
      status: 'ANALYZED',
      kind: 'receipt',
      textSource: 'text-layer',
      pageCount: 1,
      pagesDone: 1,
      ocrConfidence: null,
    });
    expect(byName['invoice.pdf']!.fields?.total?.value).toEqual({
      cents: 38_000,
      currency: 'EUR',
      marks: { printed: 'EUR', families: [], country: null },
    });
    expect(byName['invoice.pdf']!.fields?.date?.value).toBe(today());
    expect(byName['windscreen.png']).toMatchObject({ status: 'ANALYZED', textSource: 'ocr', pageCount: 1 });
    const pages = await h.system.database.db.select().from(documentPages).where(eq(documentPages.documentId, byName['invoice.pdf']!.id));
    expect(pages[0]?.text).toContain('TOTAL EUR 380.00');
    const history = await client.workflow.getHandle(claimWorkflowId(res.body.id)).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : [],
    );
    expect(scheduled.filter((a) => a.taskQueue?.name === taskQueues.documents).map((a) => a.activityType?.name)).toEqual([
      'analyzeDocument',
      'analyzeDocument',
    ]);
  });

  it('flags a claimed amount the documents do not support, and refers the claim', async () => {
    const form = new FormData();
    form.append('claim', JSON.stringify(claimBody({ claimedAmount: { amount: '1250.00', currency: 'EUR' } })));
    const estimate = await fixtures.pdf(
      'BODYWORK GARAGE LTD',
      'REPAIR ESTIMATE',
      `Date: ${today()}`,
      'Labour 400.00',
      'Parts 550.00',
      'TOTAL EUR 950.00',
    );
    form.append('documents', new Blob([estimate], { type: 'application/pdf' }), 'estimate.pdf');
    const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form });
    const outcome = await outcomeOf(res.body.id);
    expect(outcome.status).toBe('IN_REVIEW');
    expect(outcome.reasons[0]).toEqual({
      code: 'AMOUNT_EXCEEDS_DOCUMENTS',
      message: 'The claimed EUR 1,250.00 is more than the documents show (EUR 950.00 across 1 document).',
    });
    const flag = outcome.flags?.find((f) => f.code === 'AMOUNT_EXCEEDS_DOCUMENTS');
    expect(flag).toMatchObject({ severity: 'high', evidence: [{ page: 1, text: 'TOTAL EUR 950.00' }] });
    const [decision] = await h.system.database.db.select().from(decisions).where(eq(decisions.claimId, res.body.id));
    expect(decision?.flags.map((f) => f.code)).toEqual(['AMOUNT_EXCEEDS_DOCUMENTS']);
    const detail = await api(h, 'GET', `/v1/claims/${res.body.id}`, { key: keys.claimant });
    expect(detail.body.flags[0].code).toBe('AMOUNT_EXCEEDS_DOCUMENTS');
    expect(detail.body.documents[0]).toMatchObject({
      kind: 'estimate',
      fields: { total: { value: { amount: '950.00', currency: 'EUR' } } },
      flags: [{ code: 'AMOUNT_EXCEEDS_DOCUMENTS' }],
    });
  });

  it('refers a claim whose stored document was altered, naming the document', async () => {
    // Upload and decide once with the file intact, then alter the stored bytes and assess again.
    const form = new FormData();
    form.append('claim', JSON.stringify(claimBody({ peril: 'glass', claimedAmount: { amount: '200.00', currency: 'EUR' } })));
    form.append('documents', new Blob([await fixtures.pdf('tampered later')], { type: 'application/pdf' }), 'invoice.pdf');
    const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form });
    expect(res.status).toBe(201);
    await outcomeOf(res.body.id);
    const [doc] = await h.system.database.db.select().from(documents).where(eq(documents.claimId, res.body.id));
    const blobPath = path.join(h.config.dataDir, 'blobs', doc!.sha256.slice(0, 2), doc!.sha256.slice(2, 4), doc!.sha256);
    writeFileSync(blobPath, await fixtures.pdf('altered content'));

    // The stored file is checked against the digest recorded at upload, not trusted.
    const again = await client.workflow.start('claimWorkflow', {
      workflowId: `claim-retest-${res.body.id}`,
      taskQueue: taskQueues.claims,
      args: [
        {
          claimId: res.body.id,
          policyNumber: 'POL-1001',
          lineOfBusiness: 'motor',
          peril: 'glass',
          incidentDate: today(),
          reportedOn: today(),
          claimed: { minor: 20_000, currency: 'EUR' },
          documentIds: [doc!.id],
        },
      ],
    });
    const outcome = await outcomeOf(res.body.id, again.workflowId);
    expect(outcome.status).toBe('IN_REVIEW');
    expect(outcome.reasons[0]).toEqual({
      code: 'DOCUMENT_UNREADABLE',
      message: `${doc!.id} could not be read: invoice.pdf: the stored file no longer matches its SHA-256 digest.`,
    });
    const [after] = await h.system.database.db.select().from(documents).where(eq(documents.id, doc!.id));
    expect(after).toMatchObject({ status: 'FAILED', statusReason: 'the stored file no longer matches its SHA-256 digest' });
    // Not retried: an altered file stays altered.
    const history = await again.fetchHistory();
    const failed = (history.events ?? []).find((e) => e.activityTaskFailedEventAttributes);
    expect(failed?.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo).toMatchObject({
      type: 'DocumentAltered',
      nonRetryable: true,
    });
  });

  it('stops reading a document promptly when the claim is cancelled', async () => {
    const [scan] = await rasterize(await textPdf([['REPAIR ESTIMATE', 'Labour 100.00', 'Parts 200.00']]), 200);
    const form = new FormData();
    form.append('claim', JSON.stringify(claimBody()));
    form.append(
      'documents',
      new Blob([await imagePdf(Array.from({ length: 16 }, () => scan!))], { type: 'application/pdf' }),
      'bundle.pdf',
    );
    const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form });
    expect(res.status).toBe(201);
    const db = h.system.database.db;
    const progress = async () => (await db.select().from(documents).where(eq(documents.claimId, res.body.id)))[0]!;
    while ((await progress()).pagesDone < 1) await new Promise((r) => setTimeout(r, 100));

    const handle = client.workflow.getHandle(claimWorkflowId(res.body.id));
    const cancelled = Date.now();
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    console.log(`document reading stopped ${Date.now() - cancelled} ms after the claim was cancelled`);
    // The workflow waited for the activity to stop (WAIT_CANCELLATION_COMPLETED), so reading has ended.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((e) => e.activityTaskCanceledEventAttributes)).toBe(true);
    const stopped = await progress();
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await progress();
    expect(later.pagesDone).toBe(stopped.pagesDone);
    expect(later.pagesDone).toBeLessThan(16);
    expect(later).toMatchObject({ status: 'RECEIVED', statusReason: 'reading was cancelled' });
  });

  it('refers rather than fails when the policy cannot be found', async () => {
    const claimId = await submit(claimBody());
    await outcomeOf(claimId);
    const handle = await client.workflow.start('claimWorkflow', {
      workflowId: `claim-missing-policy-${claimId}`,
      taskQueue: taskQueues.claims,
      args: [
        {
          claimId,
          policyNumber: 'POL-GONE',
          lineOfBusiness: 'motor',
          peril: 'collision',
          incidentDate: today(),
          reportedOn: today(),
          claimed: { minor: 10_000, currency: 'EUR' },
          documentIds: [],
        },
      ],
    });
    const outcome = await outcomeOf(claimId, handle.workflowId);
    expect(outcome).toMatchObject({ status: 'IN_REVIEW', reasons: [{ code: 'POLICY_NOT_FOUND' }] });
    // The lookup failed fast: one attempt, not a retry loop.
    const history = await handle.fetchHistory();
    const failed = (history.events ?? []).find((e) => e.activityTaskFailedEventAttributes);
    expect(failed?.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo).toMatchObject({
      type: 'PolicyNotFound',
      nonRetryable: true,
    });
  });
});

describe('claim activities', () => {
  it('records a decision once however often the activity is retried', async () => {
    const claimId = await submit(claimBody());
    await outcomeOf(claimId);
    const activities = createClaimActivities({ db: h.system.database.db });
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: 'wf-retry', runId: 'run-1' }, activityId: '7' });
    const input = {
      claimId,
      status: 'REFERRED' as const,
      payable: null,
      decision: { kind: 'TEST', outcome: 'REFER', reasons: [], ruleSetVersion: 't', decidedBy: 'automation' as const, inputs: { n: 1 } },
    };
    const first = await env.run(activities.recordClaimDecision, input);
    const second = await env.run(activities.recordClaimDecision, input);
    expect(second).toEqual(first);
    const rows = await h.system.database.db.select().from(decisions).where(eq(decisions.idempotencyKey, 'wf-retry/run-1/7'));
    expect(rows).toHaveLength(1);
  });

  it('reports a missing policy as a non-retryable business failure', async () => {
    const activities = createClaimActivities({ db: h.system.database.db });
    const error = await new MockActivityEnvironment().run(activities.loadPolicy, 'POL-NONE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'PolicyNotFound', nonRetryable: true });
  });
});
