import { describe, expect, it } from 'vitest';
import {
  assessAutomationAuthority,
  automationPolicyProblems,
  defaultAutomationPolicy,
  type AuthorityQuestion,
} from '../../domain/claims/automation.ts';
import { assessCoverage } from '../../domain/claims/coverage.ts';
import { establishCurrency, findCurrencyMarks } from '../../domain/documents/currency.ts';
import type { DocumentFacts } from '../../domain/documents/reconcile.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { PolicySnapshot } from '../../domain/claims/policy.ts';
import { defaultAuthorityLimits } from '../../domain/shared/review.ts';
import { triageClaim } from '../../domain/claims/triage.ts';

const eur = (major: number): Money => ({ minor: Math.round(major * 100), currency: 'EUR' });
const myr = (major: number): Money => ({ minor: Math.round(major * 100), currency: 'MYR' });

function receipt(
  id: string,
  cents: number,
  overrides: {
    confidence?: number;
    printed?: string | null;
    country?: string | null;
    families?: ('dollar' | 'krona')[];
    kind?: DocumentFacts['kind'];
  } = {},
): DocumentFacts {
  const printed = overrides.printed === undefined ? 'MYR' : overrides.printed;
  return {
    documentId: id,
    fileName: `${id}.jpg`,
    readable: true,
    problem: null,
    kind: overrides.kind ?? 'receipt',
    receivedOn: '2026-03-02',
    fields: {
      total: {
        value: { cents, currency: printed, marks: { printed, families: overrides.families ?? [], country: overrides.country ?? null } },
        confidence: overrides.confidence ?? 1,
        evidence: { page: 1, box: { x0: 0, y0: 0, x1: 10, y1: 10 }, text: `TOTAL ${(cents / 100).toFixed(2)}` },
      },
    },
  };
}

const question = (overrides: Partial<AuthorityQuestion>): AuthorityQuestion => ({
  lineOfBusiness: 'home',
  peril: 'accidental_damage',
  payable: myr(50),
  documents: [],
  descriptionHeard: true,
  ...overrides,
});
const codes = (q: Partial<AuthorityQuestion>) => assessAutomationAuthority(defaultAutomationPolicy, question(q)).reasons.map((r) => r.code);

describe('automation authority', () => {
  it('pays a small claim without documents, where the peril does not need them', () => {
    const a = assessAutomationAuthority(defaultAutomationPolicy, question({ payable: myr(300) }));
    expect(a).toMatchObject({ withinAuthority: true, corroborated: null, reasons: [] });
  });

  it('refers a claim without documents above the limit for claims without documents, and above the automation limit', () => {
    expect(codes({ lineOfBusiness: 'motor', peril: 'collision', payable: eur(1_000.01) })).toEqual(['AMOUNT_NOT_CORROBORATED']);
    expect(codes({ lineOfBusiness: 'motor', peril: 'collision', payable: eur(14_500) })).toEqual([
      'ABOVE_AUTOMATION_LIMIT',
      'AMOUNT_NOT_CORROBORATED',
    ]);
    // The EUR 9,999,999,999,999.99 claim, capped at the policy limit by coverage, is still far above it.
    expect(codes({ lineOfBusiness: 'motor', peril: 'collision', payable: eur(20_000) })).toContain('ABOVE_AUTOMATION_LIMIT');
  });

  it('needs documents for the perils that require them', () => {
    expect(codes({ peril: 'theft', payable: myr(10) })).toEqual(['DOCUMENTS_REQUIRED']);
    expect(codes({ peril: 'theft', payable: myr(10), documents: [receipt('a', 1_000)] })).toEqual([]);
  });

  it('pays on documents only what they corroborate, read with confidence in the policy currency', () => {
    expect(codes({ peril: 'theft', payable: myr(50), documents: [receipt('a', 5_000)] })).toEqual([]);
    expect(codes({ peril: 'theft', payable: myr(50), documents: [receipt('a', 3_000), receipt('b', 2_000)] })).toEqual([]);
    expect(codes({ peril: 'theft', payable: myr(50), documents: [receipt('a', 1_330)] })).toEqual(['AMOUNT_NOT_CORROBORATED']);
    expect(codes({ peril: 'theft', payable: myr(50), documents: [receipt('a', 5_000, { confidence: 0.2 })] })).toEqual([
      'TOTAL_UNCERTAIN',
      'AMOUNT_NOT_CORROBORATED',
    ]);
    expect(codes({ peril: 'theft', payable: myr(50), documents: [receipt('a', 5_000, { printed: 'SGD' })] })).toEqual([
      'DOCUMENT_CURRENCY_DIFFERS',
      'AMOUNT_NOT_CORROBORATED',
    ]);
    expect(codes({ peril: 'theft', payable: myr(50), documents: [receipt('a', 5_000, { printed: null })] })).toEqual([
      'CURRENCY_NOT_ESTABLISHED',
      'AMOUNT_NOT_CORROBORATED',
    ]);
    // A Malaysian shop that prints no sign, or a generic "$", on a ringgit policy.
    expect(codes({ peril: 'theft', payable: myr(50), documents: [receipt('a', 5_000, { printed: null, country: 'MY' })] })).toEqual([]);
    expect(
      codes({ peril: 'theft', payable: myr(50), documents: [receipt('a', 5_000, { printed: null, country: 'MY', families: ['dollar'] })] }),
    ).toEqual([]);
  });

  it('never passes over a cost document it could not use, even under the limit without documents', () => {
    // The MYR 50 claim whose only receipt came back as `other` with no total.
    const other: DocumentFacts = { ...receipt('a', 0), kind: 'other', fields: {} };
    expect(codes({ payable: myr(50), documents: [other] })).toEqual(['TOTAL_NOT_FOUND', 'AMOUNT_NOT_CORROBORATED']);
    const unreadable: DocumentFacts = { ...other, readable: false, problem: 'corrupt JPEG' };
    expect(codes({ payable: myr(50), documents: [unreadable] })).toEqual(['DOCUMENT_NOT_READ', 'AMOUNT_NOT_CORROBORATED']);
    // A receipt whose amounts were read but none as the total is not passed over either.
    expect(codes({ payable: myr(50), documents: [{ ...other, amountsPrinted: 4 }] })).toEqual([
      'TOTAL_NOT_FOUND',
      'AMOUNT_NOT_CORROBORATED',
    ]);
    // A photo of the damage prints no amount: like a police report, it neither counts nor stands in the way.
    expect(codes({ payable: myr(50), documents: [{ ...other, amountsPrinted: 0 }] })).toEqual([]);
    expect(codes({ peril: 'theft', payable: myr(50), documents: [{ ...other, amountsPrinted: 0 }] })).toEqual(['DOCUMENTS_REQUIRED']);
    const police: DocumentFacts = { ...other, kind: 'police_report' };
    expect(codes({ payable: myr(50), documents: [police] })).toEqual([]);
    expect(codes({ peril: 'theft', payable: myr(50), documents: [police, receipt('b', 5_000)] })).toEqual([]);
  });

  it('refers a voice claim whose description nobody has heard, and products or currencies without authority', () => {
    expect(codes({ descriptionHeard: false })).toEqual(['DESCRIPTION_NOT_HEARD']);
    expect(codes({ payable: { minor: 100, currency: 'NOK' } })).toEqual(['NO_AUTOMATION_AUTHORITY']);
    expect(codes({ lineOfBusiness: 'motor', peril: 'third_party_liability', payable: eur(100) })).toEqual(['PERIL_NOT_AUTOMATED']);
  });

  it('explains in plain words what is missing and what to check', () => {
    const [uncertain] = assessAutomationAuthority(
      defaultAutomationPolicy,
      question({ peril: 'theft', documents: [receipt('scan', 5_000, { confidence: 0.3 })] }),
    ).reasons;
    expect(uncertain?.message).toBe(
      'The total on scan.jpg was read as 50.00 with confidence 0.30, below the 0.40 automation needs: check the total on page 1 ("TOTAL 50.00").',
    );
  });

  it('keeps every default limit below an adjuster’s own authority, and says when a policy does not', () => {
    expect(automationPolicyProblems(defaultAutomationPolicy, defaultAuthorityLimits)).toEqual([]);
    const reckless = {
      ...defaultAutomationPolicy,
      products: {
        motor: {
          limits: {
            EUR: { withoutDocumentsMinor: 500_00, corroboratedMinor: 10_000_00 },
            NOK: { withoutDocumentsMinor: 2, corroboratedMinor: 1 },
          },
          documentsRequired: [],
          neverAutomated: [],
        },
      },
    };
    expect(automationPolicyProblems(reckless, defaultAuthorityLimits)).toEqual([
      'motor EUR: automation’s EUR 10,000.00 is not below an adjuster’s EUR 10,000.00'.replaceAll('’', "'"),
      'motor NOK: the corroborated limit must be at least the limit without documents',
      "motor NOK: adjusters have no authority limit in NOK, so automation's cannot be held below it",
    ]);
  });
});

describe('triage under the automation policy', () => {
  const policy: PolicySnapshot = {
    policyNumber: 'POL-1',
    lineOfBusiness: 'motor',
    holderId: 'c',
    status: 'ACTIVE',
    effectiveFrom: '2026-01-01',
    effectiveTo: '2026-12-31',
    cancelledOn: null,
    currency: 'EUR',
    coverages: [{ peril: 'collision', limitMinor: 20_000_00, deductibleMinor: 500_00 }],
  };
  it('refers a EUR 15,000 claim without documents with the payable amount, for an adjuster to approve', () => {
    const coverage = assessCoverage(policy, { incidentDate: '2026-03-01', peril: 'collision', claimed: eur(15_000) });
    const authority = assessAutomationAuthority(
      defaultAutomationPolicy,
      question({ lineOfBusiness: 'motor', peril: 'collision', payable: coverage.payable }),
    );
    const t = triageClaim({ blockers: [], coverage, unverifiedDocuments: [], flags: [], fraud: null, authority });
    expect(t.outcome).toBe('REFER');
    expect(t.payable).toEqual(eur(14_500));
    expect(t.reasons.map((r) => r.code)).toEqual(['ABOVE_AUTOMATION_LIMIT', 'AMOUNT_NOT_CORROBORATED', 'DEDUCTIBLE_APPLIED']);
  });
});

describe('document currency', () => {
  it('takes a code, a sign or a word that names one currency', () => {
    expect(findCurrencyMarks(['TOTAL RM 9.00']).printed).toBe('MYR');
    expect(findCurrencyMarks(['TOTAL RM9.00']).printed).toBe('MYR');
    expect(findCurrencyMarks(['Fifty ringgit only']).printed).toBe('MYR');
    expect(findCurrencyMarks(['Scheibe 10,00 €', 'Summe 12,50 €']).printed).toBe('EUR');
    expect(findCurrencyMarks(['TOTAL EUR 12.50']).printed).toBe('EUR');
  });

  it('takes a lone sign for what OCR of thermal print often makes of a letter, and a sign against the shop’s country for noise', () => {
    expect(findCurrencyMarks(['KEDAI SDN BHD', 'GRAND TOTAL ¥ 33.00']).printed).toBeNull();
    expect(findCurrencyMarks(['KEDAI SDN BHD', 'CLIP 15MM EA S$', 'ENVELOPE EA S$', 'TOTAL 20.19']).printed).toBeNull();
    expect(findCurrencyMarks(['KEDAI SDN BHD', 'CLIP 15MM SGD 3.00', 'TOTAL 20.19']).printed).toBe('SGD');
    expect(findCurrencyMarks(['PARTS US$ 10.00', 'TOTAL US$ 12.00']).printed).toBe('USD');
  });

  it('reads a bare "$" as a dollar of some country, never as US dollars by itself', () => {
    const marks = findCurrencyMarks(['SOMEWHERE STORE', 'TOTAL $7.10']);
    expect(marks).toEqual({ printed: null, families: ['dollar'], country: null });
    expect(establishCurrency(marks, 'USD')).toEqual({ currency: 'USD', basis: 'sign' });
    expect(establishCurrency(marks, 'SGD')).toEqual({ currency: 'SGD', basis: 'sign' });
    expect(establishCurrency(marks, 'MYR')).toBeNull();
    expect(establishCurrency(marks, 'EUR')).toBeNull();
  });

  it('lets the country a shop is in confirm the policy currency, never a bare number', () => {
    const malaysian = findCurrencyMarks(['KEDAI ABC SDN BHD', 'NO 3, JALAN SS21/39, PETALING JAYA', 'TOTAL $ 26.60']);
    expect(malaysian.country).toBe('MY');
    expect(establishCurrency(malaysian, 'MYR')).toEqual({ currency: 'MYR', basis: 'country' });
    expect(establishCurrency(findCurrencyMarks(['TOTAL 26.60']), 'MYR')).toBeNull();
    expect(establishCurrency(findCurrencyMarks(['KEDAI ABC SDN BHD', 'TOTAL 26.60']), 'EUR')).toBeNull();
    // A printed code wins over the prior: the receipt is in another currency.
    expect(establishCurrency(findCurrencyMarks(['KEDAI SDN BHD', 'TOTAL SGD 26.60']), 'MYR')).toEqual({
      currency: 'SGD',
      basis: 'printed',
    });
  });
});
