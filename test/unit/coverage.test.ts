import { describe, expect, it } from 'vitest';
import { assessCoverage, coverageRulesVersion } from '../../domain/claims/coverage.ts';
import type { PolicySnapshot } from '../../domain/claims/policy.ts';

const policy: PolicySnapshot = {
  policyNumber: 'POL-1',
  lineOfBusiness: 'motor',
  holderId: 'cust-1',
  status: 'ACTIVE',
  effectiveFrom: '2026-01-01',
  effectiveTo: '2026-12-31',
  cancelledOn: null,
  currency: 'EUR',
  coverages: [
    { peril: 'collision', limitMinor: 1_000_000, deductibleMinor: 50_000 },
    { peril: 'glass', limitMinor: 200_000, deductibleMinor: 0 },
  ],
};

const eur = (minor: number) => ({ minor, currency: 'EUR' });
const codes = (a: { reasons: readonly { code: string }[] }) => a.reasons.map((r) => r.code);

describe('assessCoverage', () => {
  it('pays the loss less the deductible', () => {
    const a = assessCoverage(policy, { incidentDate: '2026-06-01', peril: 'collision', claimed: eur(125_000) });
    expect(a.outcome).toBe('COVERED');
    expect(a.payable).toEqual(eur(75_000));
    expect(codes(a)).toEqual(['DEDUCTIBLE_APPLIED']);
    expect(a.version).toBe(coverageRulesVersion);
  });

  it('caps the payable amount at the limit, after the deductible', () => {
    const a = assessCoverage(policy, { incidentDate: '2026-06-01', peril: 'collision', claimed: eur(2_000_000) });
    expect(a.payable).toEqual(eur(1_000_000));
    expect(codes(a)).toEqual(['DEDUCTIBLE_APPLIED', 'LIMIT_APPLIED']);
  });

  it('covers the first and last day of the period', () => {
    for (const day of ['2026-01-01', '2026-12-31']) {
      expect(assessCoverage(policy, { incidentDate: day, peril: 'glass', claimed: eur(10_000) }).outcome).toBe('COVERED');
    }
  });

  it('refuses losses outside the period', () => {
    expect(codes(assessCoverage(policy, { incidentDate: '2025-12-31', peril: 'glass', claimed: eur(10_000) }))).toEqual([
      'INCIDENT_BEFORE_COVER',
    ]);
    expect(codes(assessCoverage(policy, { incidentDate: '2027-01-01', peril: 'glass', claimed: eur(10_000) }))).toEqual([
      'INCIDENT_AFTER_COVER',
    ]);
  });

  it('ends cover on the cancellation date, not the period end', () => {
    const cancelled: PolicySnapshot = { ...policy, status: 'CANCELLED', cancelledOn: '2026-07-01' };
    expect(assessCoverage(cancelled, { incidentDate: '2026-06-30', peril: 'glass', claimed: eur(10_000) }).outcome).toBe('COVERED');
    const after = assessCoverage(cancelled, { incidentDate: '2026-07-01', peril: 'glass', claimed: eur(10_000) });
    expect(after.outcome).toBe('NOT_COVERED');
    expect(codes(after)).toEqual(['POLICY_CANCELLED']);
  });

  it('names every failed rule at once, and pays nothing', () => {
    const a = assessCoverage(policy, { incidentDate: '2027-02-01', peril: 'theft', claimed: { minor: 100, currency: 'USD' } });
    expect(a.outcome).toBe('NOT_COVERED');
    expect(a.payable).toEqual(eur(0));
    expect(codes(a)).toEqual(['INCIDENT_AFTER_COVER', 'PERIL_NOT_COVERED', 'CURRENCY_MISMATCH']);
    expect(a.reasons.every((r) => r.message.length > 10)).toBe(true);
  });

  it('pays nothing for a loss within the deductible', () => {
    const a = assessCoverage(policy, { incidentDate: '2026-06-01', peril: 'collision', claimed: eur(50_000) });
    expect(a.outcome).toBe('NOT_COVERED');
    expect(codes(a)).toEqual(['BELOW_DEDUCTIBLE']);
    expect(a.reasons[0]?.message).toContain('EUR 500.00');
  });
});
