// Appeals through the API against the real system: a claimant contests a denial; the appeal goes to an
// adjuster other than the one who decided, who overturns it; the money is paid and the outcome has its
// own letter. Automation never decides an appeal, and the one who decided the claim cannot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, claimBody, keys, startHarness, until, type Harness } from '../support/harness.ts';
import { pdfText } from '../support/documents.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const adjuster2 = 'dev-adjuster2-key';

async function deniedByAdjuster1() {
  const created = await api(h, 'POST', '/v1/claims', {
    key: keys.claimant,
    json: claimBody({ policyNumber: 'POL-1002', peril: 'theft', claimedAmount: { amount: '800.00', currency: 'EUR' } }),
    headers: { prefer: 'wait=30' },
  });
  expect(created.body.status).toBe('IN_REVIEW');
  const id = created.body.id as string;
  const denied = await api(h, 'POST', `/v1/claims/${id}/decision`, {
    key: keys.adjuster,
    json: { action: 'deny', reasonCode: 'NOT_COVERED' },
  });
  expect(denied.status, JSON.stringify(denied.body)).toBe(200);
  await until(
    () => api(h, 'GET', `/v1/claims/${id}`, { key: keys.claimant }),
    (r) => r.body.closedAt !== null,
    'the denial letter',
  );
  return id;
}

describe('appeals', () => {
  it('sends an appeal to a different adjuster, who overturns the denial: paid, with its own letter', async () => {
    const id = await deniedByAdjuster1();
    const reasons = 'The bicycle was locked inside the shed; the police report says so.';
    expect((await api(h, 'POST', `/v1/claims/${id}/appeal`, { key: keys.claimant2, json: { reasons } })).status).toBe(404);
    expect((await api(h, 'POST', `/v1/claims/${id}/appeal`, { key: keys.claimant, json: { reasons: 'no' } })).status).toBe(422);
    const appeal = await api(h, 'POST', `/v1/claims/${id}/appeal`, { key: keys.claimant, json: { reasons } });
    expect(appeal.status, JSON.stringify(appeal.body)).toBe(201);
    expect(appeal.body).toMatchObject({ status: 'OPEN', assignee: 'adj-2', originalDecidedBy: 'user:adj-1', queue: 'adjusters', reasons });
    const again = await api(h, 'POST', `/v1/claims/${id}/appeal`, { key: keys.claimant, json: { reasons } });
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_APPEALED']);

    const mine = await api(h, 'GET', '/v1/appeals?assignedTo=me', { key: adjuster2 });
    expect(mine.body.items.map((a: { claimId: string }) => a.claimId)).toContain(id);
    const byDecider = await api(h, 'POST', `/v1/claims/${id}/appeal/decision`, {
      key: keys.adjuster,
      json: { action: 'uphold', note: 'Still not covered.' },
    });
    expect([byDecider.status, byDecider.body.error.code]).toEqual([403, 'DECIDED_THE_CLAIM']);
    const tooMuch = await api(h, 'POST', `/v1/claims/${id}/appeal/decision`, {
      key: adjuster2,
      json: { action: 'overturn', amount: { amount: '900.00', currency: 'EUR' }, note: 'Covered after all.' },
    });
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([422, 'AMOUNT_ABOVE_CLAIM']);

    const overturned = await api(h, 'POST', `/v1/claims/${id}/appeal/decision`, {
      key: adjuster2,
      json: {
        action: 'overturn',
        amount: { amount: '800.00', currency: 'EUR' },
        note: 'The police report shows the shed was locked: covered.',
      },
    });
    expect(overturned.status, JSON.stringify(overturned.body)).toBe(200);
    expect(overturned.body).toMatchObject({ status: 'OVERTURNED', decidedBy: 'user:adj-2', paid: { amount: '800.00', currency: 'EUR' } });
    expect(overturned.body.letterUrl).toBe(`/v1/claims/${id}/appeal/letter.pdf`);
    const letter = await fetch(`${h.apiUrl}${overturned.body.letterUrl}`, { headers: { authorization: `Bearer ${keys.claimant}` } });
    expect([letter.status, letter.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    // The appeal's decision has its place in the decision ledger, printed for the claimant to check.
    expect(await pdfText(new Uint8Array(await letter.arrayBuffer()))).toMatch(
      /Decision record \d+ in the decision ledger[\s\S]*Leaf hash \(SHA-256\): [0-9a-f]{64}/,
    );
    const claim = await api(h, 'GET', `/v1/claims/${id}`, { key: keys.claimant });
    expect(claim.body.status).toBe('PAID');
    expect(claim.body.payments.map((p: { status: string; amount: { amount: string } }) => [p.status, p.amount.amount])).toEqual([
      ['PAID', '800.00'],
    ]);
    const story = await api(h, 'GET', `/v1/claims/${id}/history`, { key: keys.adjuster });
    expect(story.body.items.map((i: { kind: string }) => i.kind)).toEqual(
      expect.arrayContaining(['APPEALED', 'ASSIGNED', 'APPEAL_DECISION']),
    );
    const twice = await api(h, 'POST', `/v1/claims/${id}/appeal/decision`, { key: adjuster2, json: { action: 'uphold', note: 'x' } });
    expect(twice.status).toBe(409);
  });

  it('refuses an appeal of a claim that is not decided yet', async () => {
    const open = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ claimedAmount: { amount: '15000.00', currency: 'EUR' } }),
      headers: { prefer: 'wait=30' },
    });
    const refused = await api(h, 'POST', `/v1/claims/${open.body.id}/appeal`, {
      key: keys.claimant,
      json: { reasons: 'I want it decided now, please.' },
    });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'NOT_DECIDED']);
  });
});
