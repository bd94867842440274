// Automation authority on the real system (API, Temporal, the documents worker's OCR, the database):
// automation pays a claim straight through only inside its limits and only what a receipt read with
// confidence corroborates; a large claim without documents and a claim whose receipt cannot be relied
// on go to an adjuster, with reasons in words in the claim and in the review queue.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/tools.ts';
import { api, claimBody, keys, startHarness, today, waitForDecision, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** The README's example receipt: a Malaysian till receipt, TOTAL 58.00, no currency sign on the total. */
const receipt = () => readFileSync(path.join(projectRoot, 'docs', 'examples', 'receipt-myr.png'));

async function claimWithReceipt(amount: string, file: Buffer, name = 'receipt.png') {
  const form = new FormData();
  form.append(
    'claim',
    JSON.stringify(
      claimBody({
        policyNumber: 'POL-1003',
        peril: 'theft',
        claimedAmount: { amount, currency: 'MYR' },
        description: 'Stolen from my car',
      }),
    ),
  );
  form.append('documents', new Blob([file], { type: 'image/png' }), name);
  const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return waitForDecision(h, res.body.id, keys.claimant, 60_000, ['PAID', 'IN_REVIEW']);
}

const codes = (claim: { decision: { reasons: { code: string }[] } }) => claim.decision.reasons.map((r) => r.code);

describe('automation authority', () => {
  it('pays a claim straight through that a readable receipt corroborates, inside the limit', async () => {
    const claim = await claimWithReceipt('58.00', receipt());
    expect(claim, JSON.stringify(claim.decision)).toMatchObject({ status: 'PAID', payableAmount: { amount: '58.00', currency: 'MYR' } });
    const [doc] = claim.documents;
    expect(doc.fields.total).toMatchObject({ value: { amount: '58.00' } });
    // The chosen total's probability (ADR 0015): in the band where 98.7% of totals are right.
    expect(doc.fields.total.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('refers a EUR 15,000 claim without documents: above the automation limit, and nothing corroborates it', async () => {
    const res = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ claimedAmount: { amount: '15000.00', currency: 'EUR' } }),
      headers: { prefer: 'wait=10' },
    });
    expect(res.status).toBe(201);
    const claim = await waitForDecision(h, res.body.id, keys.claimant, 30_000, ['IN_REVIEW']);
    expect(claim).toMatchObject({ status: 'IN_REVIEW', queue: 'adjusters' });
    expect(codes(claim)).toEqual(expect.arrayContaining(['ABOVE_AUTOMATION_LIMIT', 'AMOUNT_NOT_CORROBORATED']));
    expect(claim.decision.reasons.find((r: { code: string }) => r.code === 'ABOVE_AUTOMATION_LIMIT').message).toBe(
      'EUR 14,500.00 payable is above EUR 5,000.00, the most automation pays on any claim.',
    );
    // The review queue says why in words, not only in codes.
    const queue = await api(h, 'GET', '/v1/review-queue', { key: keys.adjuster });
    const item = queue.body.items.find((i: { claimId: string }) => i.claimId === claim.id);
    expect(item.reasons).toEqual(expect.arrayContaining(['ABOVE_AUTOMATION_LIMIT']));
    expect(item.why).toEqual(
      expect.arrayContaining([
        { code: 'AMOUNT_NOT_CORROBORATED', message: expect.stringContaining('ask for a receipt, invoice or estimate') },
      ]),
    );
    // An adjuster can still approve it within their own authority.
    const approved = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'approve', amount: { amount: '9000.00', currency: 'EUR' }, note: 'Estimate seen.' },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  });

  it('refers a claim whose receipt cannot be relied on, naming what to check', async () => {
    // The receipt photographed from across the room: 120 pixels wide, enlarged back. Its print is beyond reading.
    const original = await sharp(receipt()).metadata();
    const tiny = await sharp(receipt()).resize({ width: 120 }).png().toBuffer();
    const smeared = await sharp(tiny).resize({ width: original.width }).png().toBuffer();
    const claim = await claimWithReceipt('58.00', smeared, 'smudged.png');
    expect(claim.status).toBe('IN_REVIEW');
    const found = codes(claim);
    // Either nothing on it reads as a cost (the theft needs documents), or what reads is not a total to rely on.
    expect(
      found.some((c: string) =>
        ['DOCUMENTS_REQUIRED', 'TOTAL_NOT_FOUND', 'TOTAL_UNCERTAIN', 'CURRENCY_NOT_ESTABLISHED', 'AMOUNT_NOT_CORROBORATED'].includes(c),
      ),
      found.join(','),
    ).toBe(true);
    expect(found).not.toContain('COVERAGE_CONFIRMED');
  });

  it('refers an inflated claim on a readable receipt, which shows less than is claimed', async () => {
    const claim = await claimWithReceipt('87.00', receipt());
    expect(claim.status).toBe('IN_REVIEW');
    expect(codes(claim)).toEqual(expect.arrayContaining(['AMOUNT_EXCEEDS_DOCUMENTS', 'AMOUNT_NOT_CORROBORATED']));
    const why = claim.decision.reasons.find((r: { code: string }) => r.code === 'AMOUNT_NOT_CORROBORATED');
    expect(why.message).toBe('The documents that could be read show MYR 58.00, less than the MYR 87.00 payable.');
  });

  it('still pays a small claim without documents where the peril needs none', async () => {
    const res = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ peril: 'glass', incidentDate: today(), claimedAmount: { amount: '380.00', currency: 'EUR' } }),
    });
    expect(res.status).toBe(201);
    const claim = await waitForDecision(h, res.body.id, keys.claimant, 30_000, ['PAID']);
    expect(claim).toMatchObject({ status: 'PAID', payableAmount: { amount: '380.00', currency: 'EUR' } });
  });
});
