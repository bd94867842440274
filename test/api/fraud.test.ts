// Fraud checks on the real system: link analysis over the claims store (a document sent with two
// claims, one bank account given by two claimants) raises the score, and the claim goes to a person
// with the reasons; an ordinary claim scores low and goes straight through.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claims } from '../../db/schema.ts';
import { FraudBandKey } from '../../platform/temporal/search-attributes.ts';
import { api, claimBody, fixtures, keys, startHarness, waitForDecision, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function submit(key: string, body: Record<string, unknown>, documents: { name: string; bytes: Buffer }[] = []) {
  const form = new FormData();
  form.append('claim', JSON.stringify(body));
  for (const d of documents) form.append('documents', new Blob([d.bytes], { type: 'application/pdf' }), d.name);
  const res = await api(h, 'POST', '/v1/claims', { key, body: form, headers: { prefer: 'wait=20' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('fraud checks', () => {
  it('scores an ordinary claim low and lets it through', async () => {
    const claim = await submit(keys.claimant, claimBody());
    expect(['APPROVED', 'PAID']).toContain(claim.status);
    const staffView = await api(h, 'GET', `/v1/claims/${claim.id}`, { key: keys.adjuster });
    expect(staffView.body.fraud).toMatchObject({ band: 'low' });
  });

  it('sends a claim to an adjuster when its document and bank account were used by another claimant', async () => {
    const estimate = await fixtures.pdf('BODYWORK GARAGE LTD', 'REPAIR ESTIMATE 88231', 'Rear bumper and tailgate', 'TOTAL 900.00');
    const account = { iban: 'DE44500105175407324931', holder: 'J. Smith' };
    const first = await submit(keys.claimant, claimBody({ claimedAmount: { amount: '900.00', currency: 'EUR' }, payoutAccount: account }), [
      { name: 'estimate.pdf', bytes: estimate },
    ]);
    expect((await api(h, 'GET', `/v1/claims/${first.id}`, { key: keys.adjuster })).body.fraud.band).toBe('low');

    const second = await submit(
      keys.claimant2,
      claimBody({ policyNumber: 'POL-2001', claimedAmount: { amount: '900.00', currency: 'USD' }, payoutAccount: account }),
      [{ name: 'quote.pdf', bytes: estimate }],
    );
    // The claimant is told a person will look, not which fraud signals fired or the score.
    expect(second).toMatchObject({ status: 'IN_REVIEW', queue: 'adjusters', fraud: null });
    const claimantCodes = second.decision.reasons.map((r: { code: string }) => r.code);
    expect(claimantCodes).toContain('REVIEW_REQUIRED');
    expect(claimantCodes.filter((c: string) => c.startsWith('FRAUD'))).toEqual([]);
    expect(JSON.stringify(second)).not.toContain('BANK_ACCOUNT_SHARED');
    const staff = (await api(h, 'GET', `/v1/claims/${second.id}`, { key: keys.adjuster })).body;
    expect(staff).toMatchObject({ status: 'IN_REVIEW', queue: 'adjusters', fraud: { band: 'high' } });
    expect(staff.fraud.score).toBeGreaterThanOrEqual(50);
    const codes = staff.decision.reasons.map((r: { code: string }) => r.code);
    expect(codes).toContain('FRAUD_RISK_HIGH');
    const fraudReason = staff.decision.reasons.find((r: { code: string }) => r.code === 'FRAUD_RISK_HIGH');
    expect(fraudReason.message).toMatch(/^Fraud score \d+ of 100 \(high\): DOCUMENT_REUSED, BANK_ACCOUNT_SHARED, /);

    const [row] = await h.system.database.db.select().from(claims).where(eq(claims.id, second.id));
    expect(row).toMatchObject({ fraudBand: 'high' });
    const description = await h.system.temporal.workflow.getHandle(second.workflowId).describe();
    expect(description.typedSearchAttributes.get(FraudBandKey)).toBe('high');
    const queue = await api(h, 'GET', '/v1/review-queue', { key: keys.adjuster });
    expect(queue.body.items.find((i: { claimId: string }) => i.claimId === second.id)).toMatchObject({ fraudBand: 'high' });

    // The adjuster decides; the fraud score never denies on its own.
    const denied = await api(h, 'POST', `/v1/claims/${second.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'deny', reasonCode: 'FRAUD_SUSPECTED', note: 'Same estimate as another customer.' },
    });
    expect(denied.body).toMatchObject({ status: 'DENIED', decision: { decidedBy: 'user:adj-1' } });
    const closed = await waitForDecision(h, second.id, keys.claimant2, 30_000, ['DENIED']);
    expect(closed.status).toBe('DENIED');
  });
});
