// Bank accounts and decision letters: pure rules, tested without Temporal or a database.
import { describe, expect, it } from 'vitest';
import { isValidIban, maskIban, normalizeIban } from '../../domain/shared/iban.ts';
import { composeDecisionLetter, type LetterFacts } from '../../domain/claims/letter.ts';
import { renderDecisionLetter } from '../../engines/letters/decision-letter.ts';
import { openPdf, textLayer } from '../../engines/documents/pdf.ts';

describe('IBAN', () => {
  it('accepts accounts whose check digits match, however they are spaced', () => {
    for (const iban of ['DE89 3704 0044 0532 0130 00', 'nl91abna0417164300', 'GB29-NWBK-6016-1331-9268-19'])
      expect(isValidIban(iban), iban).toBe(true);
  });
  it('refuses a mistyped digit, a wrong country shape, and text', () => {
    for (const iban of ['DE89370400440532013001', 'DE8937040044', 'XX', 'not an iban', '']) expect(isValidIban(iban), iban).toBe(false);
  });
  it('masks all but the first and last four characters', () => {
    expect(maskIban('de89 3704 0044 0532 0130 00')).toBe('DE89 **** **** **** **30 00');
    expect(normalizeIban(' nl91 abna 0417 1643 00 ')).toBe('NL91ABNA0417164300');
  });
});

const facts = (overrides: Partial<LetterFacts> = {}): LetterFacts => ({
  claimId: 'CLM-01TEST',
  policyNumber: 'POL-1001',
  addressee: 'Ada Lovelace',
  peril: 'water_damage',
  incidentDate: '2026-11-01',
  claimed: { minor: 125_000, currency: 'EUR' },
  outcome: 'PAID',
  amount: { minor: 75_000, currency: 'EUR' },
  payee: 'DE89 **** **** **** **30 00',
  reasons: [
    { code: 'COVERAGE_CONFIRMED', message: 'The loss is covered by the policy.' },
    { code: 'REVIEWER_NOTE', message: 'internal' },
  ],
  decidedBy: 'automation',
  date: '2026-11-26',
  appealDays: 60,
  ...overrides,
});

describe('decision letter', () => {
  it('says what was paid, where, why, and how to appeal a partial payment', () => {
    const letter = composeDecisionLetter(facts());
    expect(letter.title).toBe('Your claim is approved');
    expect(letter.paragraphs).toContain('We have paid EUR 750.00 to the account DE89 **** **** **** **30 00.');
    expect(letter.paragraphs[1]).toBe('We have approved your water damage claim of 2026-11-01 under policy POL-1001, for EUR 1,250.00.');
    expect(letter.reasons).toEqual(['The loss is covered by the policy.']); // reviewers' notes are internal
    expect(letter.appeal).toContain('within 60 days of this letter');
  });
  it('has no appeal section when everything claimed was paid', () => {
    expect(composeDecisionLetter(facts({ amount: { minor: 125_000, currency: 'EUR' } })).appeal).toBeNull();
  });
  it('always explains how to appeal a denial and says a person decided it', () => {
    const letter = composeDecisionLetter(
      facts({
        outcome: 'DENIED',
        amount: null,
        payee: null,
        decidedBy: 'user:adj-1',
        reasons: [{ code: 'NOT_COVERED', message: 'The loss is not covered by the policy.' }],
      }),
    );
    expect(letter.title).toBe('We cannot pay your claim');
    expect(letter.paragraphs).toContain('A claims adjuster decided it.');
    expect(letter.reasons).toEqual(['The loss is not covered by the policy.']);
    expect(letter.appeal).toMatch(/^If you disagree, within 60 days of this letter reply to this letter quoting CLM-01TEST/);
  });
  it('tells a claim closed without documents how to reopen it', () => {
    const letter = composeDecisionLetter(facts({ outcome: 'CLOSED_INCOMPLETE', amount: null, payee: null }));
    expect(letter.appeal).toContain('send the documents, quoting CLM-01TEST');
  });
  it('renders any name, long words and many reasons into a readable PDF, the same bytes each time', async () => {
    const letter = composeDecisionLetter(
      facts({
        addressee: 'Zoë Łukasiewicz 山田 🙂',
        reasons: Array.from({ length: 60 }, (_, i) => ({ code: `R${i}`, message: `Reason ${i}: ${'x'.repeat(i === 3 ? 400 : 20)}` })),
      }),
    );
    const bytes = await renderDecisionLetter(letter, '2026-11-26');
    expect(Buffer.from(bytes).equals(Buffer.from(await renderDecisionLetter(letter, '2026-11-26')))).toBe(true);
    const pdf = await openPdf(bytes);
    expect(pdf.numPages).toBeGreaterThan(1);
    const first = (await textLayer(await pdf.getPage(1), 1)).lines.map((l) => l.text).join('\n');
    expect(first).toContain('Dear Zoë ?ukasiewicz ?? ?,');
    const last = (await textLayer(await pdf.getPage(pdf.numPages), 1)).lines.map((l) => l.text).join('\n');
    expect(last).toContain(`page ${pdf.numPages} of ${pdf.numPages}`);
  });
});
