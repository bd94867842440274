// People in the loop, through the API against the real system: the review queue, adjusters' decisions
// (validated by the workflow before they enter history), authority limits, documents requested and
// received.
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claims, decisions, notifications } from '../../db/schema.ts';
import { ClaimQueueKey, ClaimStatusKey } from '../../platform/temporal/search-attributes.ts';
import { api, claimBody, fixtures, keys, startHarness, waitForDecision, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const senior = 'dev-senior-key';

async function submit(body: Record<string, unknown>, documents: { name: string; bytes: Buffer }[] = []) {
  const form = new FormData();
  form.append('claim', JSON.stringify(body));
  for (const d of documents) form.append('documents', new Blob([d.bytes], { type: 'application/pdf' }), d.name);
  const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form, headers: { prefer: 'wait=20' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const decide = (claimId: string, body: unknown, key: string = keys.adjuster) =>
  api(h, 'POST', `/v1/claims/${claimId}/decision`, { key, json: body });

async function history(workflowId: string) {
  return (await h.system.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

describe('review', () => {
  it('puts a claim automation cannot approve in the review queue, and an adjuster approves it with a reason', async () => {
    const claim = await submit(
      claimBody({ policyNumber: 'POL-1002', peril: 'theft', claimedAmount: { amount: '800.00', currency: 'EUR' } }),
    );
    expect(claim).toMatchObject({ status: 'IN_REVIEW', queue: 'adjusters', progress: { step: 'In review' } });
    expect(claim.decision).toMatchObject({ outcome: 'REFER', decidedBy: 'automation' });

    const queue = await api(h, 'GET', '/v1/review-queue', { key: keys.adjuster });
    const item = queue.body.items.find((i: { claimId: string }) => i.claimId === claim.id);
    expect(item).toMatchObject({
      status: 'IN_REVIEW',
      queue: 'adjusters',
      claimedAmount: { amount: '800.00', currency: 'EUR' },
      reasons: ['PERIL_NOT_COVERED', 'PROPOSED_DENIAL'],
    });
    const waited = queue.body.items.map((i: { waitingSince: string }) => i.waitingSince);
    expect([...waited].sort()).toEqual(waited);

    // The rules found no cover: approving is an override, and it needs a reason.
    const bare = await decide(claim.id, { action: 'approve', amount: { amount: '800.00', currency: 'EUR' } });
    expect(bare.status).toBe(422);
    expect(bare.body.error.code).toBe('OVERRIDE_REASON_REQUIRED');
    const approved = await decide(claim.id, {
      action: 'approve',
      amount: { amount: '750.00', currency: 'EUR' },
      note: 'Theft from the garden shed is covered under the contents extension.',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    // Answered as soon as the decision is recorded; the payment follows (and may already be made).
    expect(approved.body).toMatchObject({ payableAmount: { amount: '750.00', currency: 'EUR' }, queue: null });
    expect(['APPROVED', 'PAID']).toContain(approved.body.status);
    const handle = h.system.temporal.workflow.getHandle(claim.workflowId);
    expect(await handle.result()).toMatchObject({ status: 'PAID', payable: { minor: 75_000, currency: 'EUR' } });

    const records = await h.system.database.db.select().from(decisions).where(eq(decisions.claimId, claim.id)).orderBy(desc(decisions.id));
    expect(records.map((r) => `${r.kind}:${r.outcome}:${r.decidedBy}`)).toEqual([
      'PAYMENT:PAID:automation',
      'ADJUSTER_DECISION:APPROVE:user:adj-1',
      'CLAIM_ASSESSMENT:REFER:automation',
    ]);
    expect(records[1]?.inputs).toMatchObject({
      override: 'Theft from the garden shed is covered under the contents extension.',
      automated: { outcome: 'REFER' },
    });
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(ClaimStatusKey)).toBe('PAID');
    // Only the accepted decision entered the history; the refused one never did.
    const updates = (await history(claim.workflowId)).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(updates).toHaveLength(1);
  });

  it('lets an adjuster deny, with a reason code', async () => {
    const estimate = await fixtures.pdf('BODYWORK GARAGE LTD', 'REPAIR ESTIMATE', 'TOTAL EUR 400.00');
    const claim = await submit(claimBody({ claimedAmount: { amount: '2400.00', currency: 'EUR' } }), [
      { name: 'estimate.pdf', bytes: estimate },
    ]);
    expect(claim.status).toBe('IN_REVIEW');
    expect(claim.flags.map((f: { code: string }) => f.code)).toContain('AMOUNT_EXCEEDS_DOCUMENTS');
    const unknown = await decide(claim.id, { action: 'deny', reasonCode: 'BECAUSE' });
    expect(unknown.status).toBe(422);
    const denied = await decide(claim.id, {
      action: 'deny',
      reasonCode: 'INSUFFICIENT_EVIDENCE',
      note: 'The estimate covers a sixth of the amount claimed.',
    });
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({ status: 'DENIED', payableAmount: null });
    expect(denied.body.decision.reasons).toEqual([
      { code: 'INSUFFICIENT_EVIDENCE', message: 'The evidence provided does not support the claim.' },
      { code: 'REVIEWER_NOTE', message: 'The estimate covers a sixth of the amount claimed.' },
    ]);
    const again = await decide(claim.id, { action: 'approve', amount: { amount: '400.00', currency: 'EUR' } });
    expect(again.status).toBe(409);
  });

  it('needs a senior adjuster above an adjuster authority', async () => {
    const estimate = await fixtures.pdf('BODYWORK GARAGE LTD', 'REPAIR ESTIMATE', 'TOTAL EUR 9,000.00');
    const claim = await submit(claimBody({ claimedAmount: { amount: '15000.00', currency: 'EUR' } }), [
      { name: 'estimate.pdf', bytes: estimate },
    ]);
    expect(claim.status).toBe('IN_REVIEW');
    const above = await decide(claim.id, { action: 'approve', amount: { amount: '12000.00', currency: 'EUR' } });
    expect(above.status).toBe(403);
    expect(above.body.error).toMatchObject({ code: 'ABOVE_AUTHORITY' });
    expect(above.body.error.message).toContain('EUR 10,000.00');
    const beyondPolicy = await decide(claim.id, { action: 'approve', amount: { amount: '14600.00', currency: 'EUR' } }, senior);
    expect(beyondPolicy.body.error).toMatchObject({ code: 'AMOUNT_ABOVE_POLICY' });
    const wrongCurrency = await decide(claim.id, { action: 'approve', amount: { amount: '100.00', currency: 'USD' } }, senior);
    expect(wrongCurrency.body.error.code).toBe('CURRENCY_MISMATCH');
    const approved = await decide(claim.id, { action: 'approve', amount: { amount: '12000.00', currency: 'EUR' } }, senior);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ payableAmount: { amount: '12000.00' } });
    const paid = await waitForDecision(h, claim.id, keys.claimant, 30_000, ['PAID']);
    expect(paid.payments).toMatchObject([{ amount: { amount: '12000.00', currency: 'EUR' }, status: 'PAID' }]);
  });

  it('asks the claimant for documents, and decides again when they come', async () => {
    const estimate = await fixtures.pdf('BODYWORK GARAGE LTD', 'REPAIR ESTIMATE', 'TOTAL EUR 900.00');
    const claim = await submit(claimBody({ claimedAmount: { amount: '1250.00', currency: 'EUR' } }), [
      { name: 'estimate.pdf', bytes: estimate },
    ]);
    expect(claim.status).toBe('IN_REVIEW');
    const asked = await decide(claim.id, { action: 'request_documents', documents: ['the towing invoice'] });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ status: 'AWAITING_DOCUMENTS', queue: 'claimant', requestedDocuments: ['the towing invoice'] });
    const waiting = await api(h, 'GET', '/v1/review-queue?queue=claimant', { key: keys.adjuster });
    expect(waiting.body.items.map((i: { claimId: string }) => i.claimId)).toContain(claim.id);
    // Beside the acknowledgement every claim gets (CLAIM_RECEIVED), the request for documents.
    const requests = () =>
      h.system.database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.claimId, claim.id), eq(notifications.kind, 'DOCUMENTS_REQUESTED')));
    let sent = await requests();
    for (let i = 0; sent.length === 0 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sent = await requests();
    }
    expect(sent).toMatchObject([
      {
        audience: 'claimant',
        kind: 'DOCUMENTS_REQUESTED',
        message: `To continue with claim ${claim.id}, please send: the towing invoice.`,
      },
    ]);
    const description = await h.system.temporal.workflow.getHandle(claim.workflowId).describe();
    expect(description.typedSearchAttributes.get(ClaimQueueKey)).toBe('claimant');
    // No decision while documents are awaited.
    expect((await decide(claim.id, { action: 'deny', reasonCode: 'INSUFFICIENT_EVIDENCE' })).body.error.code).toBe('NOT_AWAITING_REVIEW');

    const form = new FormData();
    form.append(
      'documents',
      new Blob([await fixtures.pdf('ROADSIDE RESCUE LTD', 'INVOICE', 'Towing', 'TOTAL EUR 350.00')], { type: 'application/pdf' }),
      'towing.pdf',
    );
    const added = await api(h, 'POST', `/v1/claims/${claim.id}/documents`, { key: keys.claimant, body: form });
    expect(added.status).toBe(202);
    // The estimate and the towing invoice together support the 1,250 claimed: automation approves.
    const decided = await waitForDecision(h, claim.id, keys.claimant, 30_000, ['PAID', 'DENIED']);
    expect(decided).toMatchObject({ status: 'PAID', payableAmount: { amount: '750.00', currency: 'EUR' }, queue: null });
    const assessed = await h.system.database.db.select().from(decisions).where(eq(decisions.claimId, claim.id)).orderBy(desc(decisions.id));
    expect(assessed.find((d) => d.kind === 'CLAIM_ASSESSMENT')).toMatchObject({ outcome: 'APPROVE', flags: [] });
    const [row] = await h.system.database.db.select().from(claims).where(eq(claims.id, claim.id));
    expect(row).toMatchObject({ status: 'PAID', queue: null, waitingSince: null });
  });

  it('lets only reviewers decide', async () => {
    const claim = await submit(claimBody({ policyNumber: 'POL-1002', peril: 'theft' }));
    for (const key of [keys.claimant, keys.underwriter]) {
      const res = await decide(claim.id, { action: 'deny', reasonCode: 'NOT_COVERED' }, key);
      expect(res.status).toBe(403);
    }
    expect((await api(h, 'GET', '/v1/review-queue', { key: keys.claimant })).status).toBe(403);
    const malformed = await decide(claim.id, { action: 'approve', amount: { amount: 'lots', currency: 'EUR' }, note: 'x' });
    expect([malformed.status, malformed.body.error.code]).toEqual([422, 'INVALID_AMOUNT']);
  });
});
