// The adjuster's side of a referred claim through the API, as the console and integrations use it: the
// queue filtered, sorted and counted; the receipt's original file and its page drawn; the claim's story;
// notes and who holds the claim.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, claimBody, keys, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const senior = 'dev-senior-key';
const adjuster2 = 'dev-adjuster2-key';
const receipt = readFileSync(path.join(import.meta.dirname, '../../docs/examples/receipt-myr.png'));

/** The README's receipt (TOTAL 58.00) claimed at 87.00: referred, AMOUNT_EXCEEDS_DOCUMENTS. */
async function referredReceiptClaim() {
  const form = new FormData();
  form.append(
    'claim',
    JSON.stringify(claimBody({ policyNumber: 'POL-1003', peril: 'theft', claimedAmount: { amount: '87.00', currency: 'MYR' } })),
  );
  form.append('documents', new Blob([receipt], { type: 'image/png' }), 'receipt-myr.png');
  const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form, headers: { prefer: 'wait=30' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status).toBe('IN_REVIEW');
  return res.body;
}

describe('casework', () => {
  let claim: { id: string; documents: { id: string; pageFrames: { width: number; height: number }[]; fields: Record<string, any> }[] };
  beforeAll(async () => {
    claim = await referredReceiptClaim();
  }, 120_000);

  it('serves the original file and the page as read, with the frame its evidence boxes are in', async () => {
    const [doc] = claim.documents;
    expect(doc!.pageFrames).toHaveLength(1);
    const frame = doc!.pageFrames[0]!;
    const box = doc!.fields.total.evidence.box;
    expect(box.x1).toBeLessThanOrEqual(frame.width);
    expect(box.y1).toBeLessThanOrEqual(frame.height);

    const file = await fetch(`${h.apiUrl}/v1/claims/${claim.id}/documents/${doc!.id}/file`, {
      headers: { authorization: `Bearer ${keys.adjuster}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await file.arrayBuffer()).equals(receipt)).toBe(true);
    // The claimant who sent it may fetch it; another claimant cannot tell it exists.
    expect((await api(h, 'GET', `/v1/claims/${claim.id}/documents/${doc!.id}/file`, { key: keys.claimant })).status).toBe(200);
    expect((await api(h, 'GET', `/v1/claims/${claim.id}/documents/${doc!.id}/file`, { key: keys.claimant2 })).status).toBe(404);

    const page = await fetch(`${h.apiUrl}/v1/claims/${claim.id}/documents/${doc!.id}/pages/1?width=400`, {
      headers: { authorization: `Bearer ${keys.adjuster}` },
    });
    expect(page.status).toBe(200);
    const meta = await sharp(Buffer.from(await page.arrayBuffer())).metadata();
    expect([meta.format, meta.width]).toEqual(['png', 400]);
    // Same shape as the frame, so boxes scale by one factor.
    expect(Math.abs(meta.height / meta.width - frame.height / frame.width)).toBeLessThan(0.01);
    const missing = await api(h, 'GET', `/v1/claims/${claim.id}/documents/${doc!.id}/pages/2`, { key: keys.adjuster });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'PAGE_NOT_FOUND']);
    expect((await api(h, 'GET', `/v1/claims/${claim.id}/documents/nope/file`, { key: keys.adjuster })).status).toBe(422);
  });

  it('filters, sorts, pages and counts the review queue', async () => {
    const byReason = await api(h, 'GET', '/v1/review-queue?reason=AMOUNT_EXCEEDS_DOCUMENTS&currency=MYR&minAmount=80&maxAmount=90', {
      key: keys.adjuster,
    });
    expect(byReason.status, JSON.stringify(byReason.body)).toBe(200);
    expect(byReason.body.items.map((i: { claimId: string }) => i.claimId)).toContain(claim.id);
    expect(byReason.body.counts.adjusters).toBeGreaterThanOrEqual(1);
    const none = await api(h, 'GET', '/v1/review-queue?reason=AMOUNT_EXCEEDS_DOCUMENTS&currency=MYR&maxAmount=50', { key: keys.adjuster });
    expect(none.body.items.map((i: { claimId: string }) => i.claimId)).not.toContain(claim.id);
    const noCurrency = await api(h, 'GET', '/v1/review-queue?minAmount=10', { key: keys.adjuster });
    expect([noCurrency.status, noCurrency.body.error.message]).toEqual([422, expect.stringContaining('currency')]);

    // A second referred claim, larger, for sorting and paging.
    const big = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ claimedAmount: { amount: '15000.00', currency: 'EUR' } }),
      headers: { prefer: 'wait=30' },
    });
    expect(big.body.status).toBe('IN_REVIEW');
    const sorted = await api(h, 'GET', '/v1/review-queue?sort=amount-desc&currency=EUR', { key: keys.adjuster });
    const amounts = sorted.body.items.map((i: { claimedAmount: { amount: string } }) => Number(i.claimedAmount.amount));
    expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
    const first = await api(h, 'GET', '/v1/review-queue?limit=1', { key: keys.adjuster });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.total).toBeGreaterThanOrEqual(2);
    expect(first.body.nextOffset).toBe(1);
    const second = await api(h, 'GET', '/v1/review-queue?limit=1&offset=1', { key: keys.adjuster });
    expect(second.body.items[0].claimId).not.toBe(first.body.items[0].claimId);
  });

  it('lets an adjuster take a claim and write notes; only a senior adjuster hands it to someone else', async () => {
    const take = await api(h, 'PUT', `/v1/claims/${claim.id}/assignment`, { key: keys.adjuster, json: { assignee: 'adj-1' } });
    expect([take.status, take.body.assignee]).toEqual([200, 'adj-1']);
    const again = await api(h, 'PUT', `/v1/claims/${claim.id}/assignment`, { key: adjuster2, json: { assignee: 'adj-2' } });
    expect([again.status, again.body.error.code]).toEqual([403, 'ASSIGNED_TO_ANOTHER']);
    const handOver = await api(h, 'PUT', `/v1/claims/${claim.id}/assignment`, { key: keys.adjuster, json: { assignee: 'adj-2' } });
    expect([handOver.status, handOver.body.error.code]).toEqual([403, 'CANNOT_ASSIGN_OTHERS']);
    const unknown = await api(h, 'PUT', `/v1/claims/${claim.id}/assignment`, { key: senior, json: { assignee: 'cust-1001' } });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'UNKNOWN_ASSIGNEE']);
    const mine = await api(h, 'GET', '/v1/review-queue?assignedTo=me', { key: keys.adjuster });
    expect(mine.body.items.map((i: { claimId: string }) => i.claimId)).toEqual([claim.id]);
    expect(mine.body.counts.mine).toBe(1);
    const assigned = await api(h, 'PUT', `/v1/claims/${claim.id}/assignment`, { key: senior, json: { assignee: 'adj-2' } });
    expect([assigned.status, assigned.body.assignee]).toEqual([200, 'adj-2']);

    const note = await api(h, 'POST', `/v1/claims/${claim.id}/notes`, {
      key: adjuster2,
      json: { text: 'Called the shop: the till roll shows 58.00.' },
    });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(note.body).toMatchObject({ kind: 'NOTE', by: 'user:adj-2', text: 'Called the shop: the till roll shows 58.00.' });
    const nul = await api(h, 'POST', `/v1/claims/${claim.id}/notes`, { key: adjuster2, json: { text: 'a\u0000b' } });
    expect([nul.status, nul.body.error.code]).toEqual([422, 'INVALID_TEXT']);
    expect((await api(h, 'POST', `/v1/claims/${claim.id}/notes`, { key: keys.claimant, json: { text: 'hello' } })).status).toBe(403);

    const story = await api(h, 'GET', `/v1/claims/${claim.id}/history`, { key: keys.adjuster });
    expect(story.status).toBe(200);
    const kinds = story.body.items.map((i: { kind: string }) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['CLAIM_ASSESSMENT', 'ASSIGNED', 'NOTE']));
    const assessment = story.body.items.find((i: { kind: string }) => i.kind === 'CLAIM_ASSESSMENT');
    expect(assessment.coverage).toMatchObject({ outcome: 'COVERED', payable: { currency: 'MYR' } });
    expect(assessment.reasons.map((r: { code: string }) => r.code)).toContain('AMOUNT_EXCEEDS_DOCUMENTS');
    // The journal keeps its entries, as the decisions do.
    const edit = h.system.database.db.execute(sql`update claim_journal set text = 'changed'`);
    await expect(edit).rejects.toThrow();
  });

  it('lets an adjuster send a claim above their authority to the senior adjusters, who decide it', async () => {
    const big = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ claimedAmount: { amount: '14000.00', currency: 'EUR' } }),
      headers: { prefer: 'wait=30' },
    });
    expect(big.body.status).toBe('IN_REVIEW');
    const id = big.body.id as string;
    const above = await api(h, 'POST', `/v1/claims/${id}/decision`, {
      key: keys.adjuster,
      json: { action: 'approve', amount: { amount: '12000.00', currency: 'EUR' } },
    });
    expect([above.status, above.body.error.code]).toEqual([403, 'ABOVE_AUTHORITY']);
    const bare = await api(h, 'POST', `/v1/claims/${id}/refer`, { key: keys.adjuster, json: { note: ' ' } });
    expect(bare.status).toBe(422);
    expect((await api(h, 'POST', `/v1/claims/${id}/refer`, { key: senior, json: { note: 'for me' } })).status).toBe(403);
    const referred = await api(h, 'POST', `/v1/claims/${id}/refer`, {
      key: keys.adjuster,
      json: { note: 'Repair invoice checks out; above my authority.' },
    });
    expect(referred.status, JSON.stringify(referred.body)).toBe(200);
    expect(referred.body).toMatchObject({ status: 'IN_REVIEW', queue: 'senior-adjusters' });
    expect(referred.body.decision).toMatchObject({ kind: 'ADJUSTER_REFERRAL', decidedBy: 'user:adj-1' });
    expect(referred.body.decision.reasons[0].message).toContain('above my authority');
    const twice = await api(h, 'POST', `/v1/claims/${id}/refer`, { key: keys.adjuster, json: { note: 'again' } });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_WITH_SENIORS']);
    const seniors = await api(h, 'GET', '/v1/review-queue?queue=senior-adjusters&reason=REFERRED_TO_SENIOR', { key: senior });
    expect(seniors.body.items.map((i: { claimId: string }) => i.claimId)).toContain(id);
    const approved = await api(h, 'POST', `/v1/claims/${id}/decision`, {
      key: senior,
      json: { action: 'approve', amount: { amount: '12000.00', currency: 'EUR' } },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toMatch(/APPROVED|PAID/);
  });

  it('lists the denial reasons a reviewer may give', async () => {
    const reasons = await api(h, 'GET', '/v1/review/denial-reasons', { key: keys.adjuster });
    expect(reasons.body.items).toContainEqual({ code: 'NOT_COVERED', message: 'The loss is not covered by the policy.' });
  });
});
