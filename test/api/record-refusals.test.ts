// What the database refuses for good never wedges a case (issue 15). Text the record cannot keep is
// refused at the door (input-rules.test.ts); this is the net under it, for whatever else the database
// may refuse: the activity's failure is classified as permanent (worker/permanent-failures.ts), not
// retried, and the person whose decision it was is told, while the claim or application stays decidable.
// The refusal is a real one: a trigger in the real database raises a check violation (SQLSTATE 23514)
// for decisions carrying a marker, as a constraint added by an operator would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, keys, referredApplication, referredClaim, startHarness, type Harness } from '../support/harness.ts';
import { refuseMarkedDecisions } from '../support/refusing-database.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await refuseMarkedDecisions(h.system.database.db);
});
afterAll(async () => {
  await h?.stop();
});

const refusedBecause = /^The database refused to record this: a value its rules refuse \(SQLSTATE 23514\)\. Nothing was decided/;

describe('a decision the database refuses', () => {
  it('is refused to the adjuster at once, never retried, and the claim waits for another decision', async () => {
    const claim = await referredClaim(h);
    const started = Date.now();
    const refused = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'approve', amount: { amount: '800.00', currency: 'EUR' }, note: 'Approved; refuse me.' },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.code).toBe('RECORD_REFUSED');
    expect(refused.body.error.message).toMatch(refusedBecause);
    expect(refused.body.error.message).toContain('the claim is still waiting for a decision');
    // Not retried until some timeout: the refusal is final on its first attempt.
    expect(Date.now() - started).toBeLessThan(10_000);
    const history = (await h.system.temporal.workflow.getHandle(claim.workflowId).fetchHistory()).events ?? [];
    const failed = history.filter((e) => e.activityTaskFailedEventAttributes);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.activityTaskFailedEventAttributes!.failure!.applicationFailureInfo).toMatchObject({
      type: 'RecordRefused',
      nonRetryable: true,
    });
    expect((await api(h, 'GET', `/v1/claims/${claim.id}`, { key: keys.adjuster })).body.status).toBe('IN_REVIEW');

    // Asking for documents is refused the same way; then a decision the database takes goes through.
    const asked = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'request_documents', documents: ['the police report (refuse me)'] },
    });
    expect([asked.status, asked.body.error?.code]).toEqual([422, 'RECORD_REFUSED']);
    const approved = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'approve', amount: { amount: '800.00', currency: 'EUR' }, note: 'Theft confirmed by the police report.' },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(['APPROVED', 'PAID']).toContain(approved.body.status);
  });

  it('withdraws a claim whose withdrawal note cannot be kept, saying the note was not stored', async () => {
    const claim = await referredClaim(h);
    const withdrawn = await api(h, 'POST', `/v1/claims/${claim.id}/withdraw`, {
      key: keys.claimant,
      json: { reason: 'Found it at home, refuse me.' },
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    const codes = (withdrawn.body.decision?.reasons ?? []).map((r: { code: string }) => r.code);
    expect(codes).toEqual(['WITHDRAWN_BY_CLAIMANT', 'NOTE_NOT_STORED']);
  });

  it('is refused to the underwriter, and the application waits for another decision', async () => {
    const { id } = await referredApplication(h);
    const refused = await api(h, 'POST', `/v1/underwriting/applications/${id}/decision`, {
      key: keys.underwriter,
      json: { action: 'accept', note: 'Experienced rider; refuse me.' },
    });
    expect([refused.status, refused.body.error?.code]).toEqual([422, 'RECORD_REFUSED']);
    expect(refused.body.error.message).toContain('the application is still waiting for a decision');
    expect((await api(h, 'GET', `/v1/underwriting/applications/${id}`, { key: keys.underwriter })).body.status).toBe('IN_REVIEW');
    const accepted = await api(h, 'POST', `/v1/underwriting/applications/${id}/decision`, {
      key: keys.underwriter,
      json: { action: 'accept', note: 'Experienced rider; accepted at the engine price.' },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.status).toBe('ISSUED');
  });
});
