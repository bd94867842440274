// Money and letters through the API against the real system: reserves, payments through the sandbox
// gateway (single under retries and lost answers), withdrawal with compensation of a payment begun,
// failed payments back to people, and the decision letter.
import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { claims, decisions, payments } from '../../db/schema.ts';
import { openPdf, textLayer } from '../../engines/documents/pdf.ts';
import { sandboxFailingIban } from '../../engines/payments/sandbox-gateway.ts';
import { api, claimBody, keys, startHarness, until, waitForDecision, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});
afterEach(() => {
  h.system.paymentSandbox!.settleAfter(0);
  h.system.paymentSandbox!.loseNextAnswers(0);
});

const sandbox = () => h.system.paymentSandbox!;
const db = () => h.system.database.db;

async function submit(body: Record<string, unknown>) {
  const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, json: body, headers: { prefer: 'wait=20' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const claimRow = async (id: string) => (await db().select().from(claims).where(eq(claims.id, id)))[0]!;
const paymentRows = (id: string) => db().select().from(payments).where(eq(payments.claimId, id)).orderBy(asc(payments.createdAt));
const withdraw = (id: string, body: unknown = { reason: 'The neighbour paid for the damage.' }, key: string = keys.claimant) =>
  api(h, 'POST', `/v1/claims/${id}/withdraw`, { key, json: body });

async function letterText(id: string, key: string = keys.claimant): Promise<string> {
  const res = await fetch(`${h.apiUrl}/v1/claims/${id}/letter.pdf`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const pdf = await openPdf(new Uint8Array(await res.arrayBuffer()));
  const lines: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) lines.push(...(await textLayer(await pdf.getPage(n), 1)).lines.map((l) => l.text));
  return lines.join('\n');
}

describe('settlement', () => {
  it('pays once when the gateway answer is lost twice and the payment is retried', async () => {
    sandbox().loseNextAnswers(2);
    const claim = await submit(claimBody({ claimedAmount: { amount: '900.00', currency: 'EUR' } }));
    const paid = await waitForDecision(h, claim.id, keys.claimant, 30_000, ['PAID']);
    expect(paid.payments).toMatchObject([
      { status: 'PAID', amount: { amount: '400.00', currency: 'EUR' }, payee: 'DE89 **** **** **** **30 00' },
    ]);
    // The gateway made the payout on the first call; the two retries found it by the idempotency key.
    expect(
      sandbox()
        .payouts()
        .filter((p) => p.reference === claim.id),
    ).toMatchObject([{ amount: 40_000, status: 'paid', idempotencyKey: `${claim.id}/payout/1` }]);
    expect(await paymentRows(claim.id)).toHaveLength(1);
    const history = (await h.system.temporal.workflow.getHandle(claim.workflowId).fetchHistory()).events ?? [];
    const payScheduled = history.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'startPayout');
    const payStarted = history.find(
      (e) =>
        e.activityTaskStartedEventAttributes &&
        Number(e.activityTaskStartedEventAttributes.scheduledEventId) === Number(payScheduled!.eventId),
    );
    expect(payStarted?.activityTaskStartedEventAttributes?.attempt).toBe(3);
  });

  it('opens a reserve with the claim and releases it when the claim closes', async () => {
    const claim = await submit(claimBody({ claimedAmount: { amount: '1000.00', currency: 'EUR' } }));
    expect(claim.reserve).toMatchObject({ amount: { amount: '1000.00', currency: 'EUR' } });
    await h.system.temporal.workflow.getHandle(claim.workflowId).result();
    const closed = await api(h, 'GET', `/v1/claims/${claim.id}`, { key: keys.claimant });
    expect(closed.body).toMatchObject({
      status: 'PAID',
      reserve: { amount: { amount: '1000.00' }, released: true },
      letterUrl: `/v1/claims/${claim.id}/letter.pdf`,
    });
    expect(closed.body.closedAt).toBeTruthy();
    const text = await letterText(claim.id);
    expect(text).toContain('Your claim is approved');
    expect(text).toContain('We have paid EUR 500.00 to the account DE89 **** **** **** **30 00.');
    // Less than claimed (the deductible): the letter says how to appeal.
    expect(text).toContain('If you disagree');
    expect(text).toContain('The deductible of EUR 500.00 is subtracted from the claimed amount.');
  });

  it('withdraws a claim in review: recorded as the claimant, reserve released, letter sent', async () => {
    const claim = await submit(
      claimBody({ policyNumber: 'POL-1002', peril: 'theft', claimedAmount: { amount: '700.00', currency: 'EUR' } }),
    );
    expect(claim.status).toBe('IN_REVIEW');
    expect((await withdraw(claim.id, {}, keys.claimant2)).status).toBe(404);
    expect((await withdraw(claim.id, { reason: 5 })).status).toBe(422);
    const res = await withdraw(claim.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: 'WITHDRAWN',
      queue: null,
      reserve: { released: true },
      payments: [],
      decision: { kind: 'CLAIM_WITHDRAWN', decidedBy: 'user:cust-1001' },
    });
    expect(res.body.decision.reasons).toEqual([
      { code: 'WITHDRAWN_BY_CLAIMANT', message: 'The claimant withdrew the claim.' },
      { code: 'CLAIMANT_NOTE', message: 'The neighbour paid for the damage.' },
    ]);
    expect(await letterText(claim.id)).toContain('As you asked, we have withdrawn your theft claim');
    const again = await withdraw(claim.id);
    expect([again.status, again.body.error.code]).toEqual([409, 'CLAIM_CLOSED']);
    // Nothing is left for an adjuster.
    const decide = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'deny', reasonCode: 'NOT_COVERED' },
    });
    expect(decide.status).toBe(409);
  });

  it('records a withdrawal by an admin as the admin, on the claimant’s behalf', async () => {
    const claim = await submit(
      claimBody({ policyNumber: 'POL-1002', peril: 'theft', claimedAmount: { amount: '650.00', currency: 'EUR' } }),
    );
    expect(claim.status).toBe('IN_REVIEW');
    const res = await withdraw(claim.id, { reason: 'The claimant asked by phone.' }, keys.admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'WITHDRAWN', decision: { kind: 'CLAIM_WITHDRAWN', decidedBy: 'user:admin' } });
    expect(res.body.decision.reasons).toEqual([
      { code: 'WITHDRAWN_BY_STAFF', message: "Withdrawn by admin (admin) on the claimant's behalf." },
      { code: 'STAFF_NOTE', message: 'The claimant asked by phone.' },
    ]);
  });

  it('stops a payment that has begun when the claimant withdraws before it settles', async () => {
    sandbox().settleAfter(3_600_000);
    const claim = await submit(claimBody({ claimedAmount: { amount: '800.00', currency: 'EUR' } }));
    await until(
      () => paymentRows(claim.id),
      (rows) => rows[0]?.status === 'PENDING' && rows[0].gatewayReference !== null,
      'the payout to be sent',
    );
    const res = await withdraw(claim.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: 'WITHDRAWN',
      payments: [{ status: 'CANCELED', amount: { amount: '300.00' } }],
      reserve: { released: true },
    });
    expect(res.body.decision.reasons.map((r: { code: string }) => r.code)).toEqual([
      'WITHDRAWN_BY_CLAIMANT',
      'PAYMENT_STOPPED',
      'CLAIMANT_NOTE',
    ]);
    expect(
      sandbox()
        .payouts()
        .filter((p) => p.reference === claim.id),
    ).toMatchObject([{ status: 'canceled' }]);
    const kinds = (await db().select().from(decisions).where(eq(decisions.claimId, claim.id)).orderBy(asc(decisions.id))).map(
      (d) => `${d.kind}:${d.outcome}`,
    );
    expect(kinds).toEqual(['CLAIM_ASSESSMENT:APPROVE', 'CLAIM_WITHDRAWN:WITHDRAW']);
    expect(await letterText(claim.id)).toContain('anything that was on its way to you has been stopped');
  });

  it('refuses to withdraw a paid claim', async () => {
    const claim = await submit(claimBody());
    await h.system.temporal.workflow.getHandle(claim.workflowId).result();
    const res = await withdraw(claim.id);
    expect([res.status, res.body.error.code]).toEqual([409, 'CLAIM_CLOSED']);
    expect((await claimRow(claim.id)).status).toBe('PAID');
  });

  it('sends a claim whose payment fails back to the adjusters with the reason, and pays the second time', async () => {
    const claim = await submit(
      claimBody({
        claimedAmount: { amount: '650.00', currency: 'EUR' },
        payoutAccount: { iban: sandboxFailingIban.replace(/(.{4})/g, '$1 '), holder: 'Ada Lovelace' },
      }),
    );
    const inReview = await waitForDecision(h, claim.id, keys.claimant, 30_000, ['IN_REVIEW']);
    expect(inReview).toMatchObject({
      queue: 'adjusters',
      payments: [{ status: 'FAILED', failureReason: 'account_closed' }],
      payoutAccount: { iban: 'GB94 **** **** **** **34 59', holder: 'Ada Lovelace' },
    });
    expect(inReview.decision).toMatchObject({ kind: 'PAYMENT', outcome: 'FAILED' });
    expect(inReview.decision.reasons[0].code).toBe('PAYMENT_FAILED');
    const queue = await api(h, 'GET', '/v1/review-queue', { key: keys.adjuster });
    expect(queue.body.items.find((i: { claimId: string }) => i.claimId === claim.id)).toMatchObject({ reasons: ['PAYMENT_FAILED'] });
    // The claimant corrects the account out of band; the adjuster approves again and a second payment is made.
    await db()
      .update(claims)
      .set({ payoutAccount: { iban: 'NL91ABNA0417164300', holder: 'Ada Lovelace' } })
      .where(eq(claims.id, claim.id));
    const approved = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'approve', amount: { amount: '150.00', currency: 'EUR' } },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const paid = await waitForDecision(h, claim.id, keys.claimant, 30_000, ['PAID']);
    expect(paid.payments).toMatchObject([
      { status: 'FAILED' },
      { status: 'PAID', amount: { amount: '150.00' }, payee: 'NL91 **** **** **43 00' },
    ]);
  });

  it('refuses an invalid bank account at submission', async () => {
    const res = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ payoutAccount: { iban: 'DE89370400440532013001', holder: 'Ada' } }),
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject([{ path: 'claim.payoutAccount.iban' }]);
  });

  it('has no letter before the claim closes', async () => {
    const claim = await submit(claimBody({ policyNumber: 'POL-1002', peril: 'theft' }));
    const res = await api(h, 'GET', `/v1/claims/${claim.id}/letter.pdf`, { key: keys.claimant });
    expect([res.status, res.body.error.code]).toEqual([404, 'LETTER_NOT_READY']);
  });
});
