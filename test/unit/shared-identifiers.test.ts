// What insurers compare for duplicate claims: the same invoice, vehicle or account gives the same text at
// either insurer however it was typed or scanned; a match is a red flag naming the insurer and what was
// shared; an insurer that cannot be asked is said and weighs nothing.
import { describe, expect, it } from 'vitest';
import { fraudRuleHits, type FraudRuleFacts } from '../../domain/fraud/rules.ts';
import { claimIdentifiers } from '../../domain/fraud/shared-identifiers.ts';

const evidence = { page: 1, box: { x0: 0, y0: 0, x1: 1, y1: 1 }, text: '' };
const field = <T>(value: T) => ({ value, confidence: 0.9, evidence });

describe('shared identifiers', () => {
  it('normalises documents, receipts, vehicles and accounts the same way at either insurer', () => {
    const at = (issuer: string, plate: string, iban: string) =>
      claimIdentifiers({
        incidentDate: '2026-11-30',
        documents: [
          {
            sha256: 'AB'.repeat(32),
            fields: {
              issuer: field(issuer),
              date: field('2026-11-29'),
              total: field({ cents: 5_800, currency: 'MYR' }),
              vehicleRegistration: field(plate),
            },
          },
        ],
        payoutIban: iban,
      }).map((i) => i.value);
    const first = at('Kedai Runcit Ah-Seng Sdn. Bhd.', 'wxy 1234', 'DE89 3704 0044 0532 0130 00');
    expect(first).toEqual([
      `document:${'ab'.repeat(32)}`,
      'receipt:KEDAIRUNCITAHSENGSDNBHD|2026-11-29|5800',
      'vehicle:WXY1234|2026-11-30',
      'payout-account:DE89370400440532013000',
    ]);
    expect(at('KEDAI RUNCIT AH SENG SDN BHD', 'WXY-1234', 'de89370400440532013000')).toEqual(first);
  });

  it('skips a receipt whose issuer, date or total was not read', () => {
    const ids = claimIdentifiers({
      incidentDate: '2026-11-30',
      documents: [{ sha256: 'cd'.repeat(32), fields: { date: field('2026-11-29') } }],
      payoutIban: null,
    });
    expect(ids.map((i) => i.kind)).toEqual(['document']);
  });
});

describe('the other-insurer red flag', () => {
  const facts: FraudRuleFacts = {
    incidentDate: '2026-11-01',
    reportedOn: '2026-11-02',
    policyStart: '2025-01-01',
    claimed: { minor: 5_800, currency: 'MYR' },
    claimsInLastYear: 0,
    approvalThresholds: [],
    flags: [],
    reusedDocuments: [],
    sharedBankAccountWith: [],
    sharedContactWith: [],
  };

  it('names the insurer and what was shared, never more', () => {
    const hits = fraudRuleHits({
      ...facts,
      otherInsurers: [
        { peer: 'insurer-a', checked: true, matched: ['document', 'receipt', 'document'] },
        { peer: 'insurer-c', checked: false, why: 'it did not answer in time' },
        { peer: 'insurer-d', checked: true, matched: [] },
      ],
    });
    expect(hits.map((h) => [h.code, h.message, h.logOdds])).toEqual([
      [
        'CLAIMED_WITH_ANOTHER_INSURER',
        'insurer-a holds a claim with the same document file and the same receipt (issuer, date and total).',
        2.5,
      ],
      ['OTHER_INSURER_NOT_CHECKED', 'insurer-c could not be asked about this claim (it did not answer in time).', 0],
    ]);
    expect(fraudRuleHits(facts)).toEqual([]);
  });
});
