import { describe, expect, it } from 'vitest';
import { assessCoverage } from '../../domain/claims/coverage.ts';
import { checkClaimFacts, isIsoDate } from '../../domain/claims/claim.ts';
import type { PolicySnapshot } from '../../domain/claims/policy.ts';
import { triageClaim } from '../../domain/claims/triage.ts';

const policy: PolicySnapshot = {
  policyNumber: 'POL-1',
  lineOfBusiness: 'home',
  holderId: 'cust-1',
  status: 'ACTIVE',
  effectiveFrom: '2026-01-01',
  effectiveTo: '2026-12-31',
  cancelledOn: null,
  currency: 'EUR',
  coverages: [{ peril: 'fire', limitMinor: 10_000_000, deductibleMinor: 100_000 }],
};
const covered = assessCoverage(policy, { incidentDate: '2026-03-01', peril: 'fire', claimed: { minor: 500_000, currency: 'EUR' } });
const notCovered = assessCoverage(policy, { incidentDate: '2026-03-01', peril: 'theft', claimed: { minor: 500_000, currency: 'EUR' } });

describe('triageClaim', () => {
  it('approves a covered claim with verified documents', () => {
    const t = triageClaim({ blockers: [], coverage: covered, unverifiedDocuments: [] });
    expect(t.outcome).toBe('APPROVE');
    expect(t.payable).toEqual({ minor: 400_000, currency: 'EUR' });
    expect(t.reasons.map((r) => r.code)).toEqual(['COVERAGE_CONFIRMED', 'DEDUCTIBLE_APPLIED']);
  });

  it('never denies: no cover becomes a proposed denial for a person', () => {
    const t = triageClaim({ blockers: [], coverage: notCovered, unverifiedDocuments: [] });
    expect(t.outcome).toBe('REFER');
    expect(t.payable).toBeNull();
    expect(t.reasons.map((r) => r.code)).toEqual(['PERIL_NOT_COVERED', 'PROPOSED_DENIAL']);
  });

  it('refers a covered claim whose documents could not be verified', () => {
    const t = triageClaim({
      blockers: [],
      coverage: covered,
      unverifiedDocuments: [{ documentId: 'DOC-1', reason: 'the stored file is missing' }],
    });
    expect(t.outcome).toBe('REFER');
    expect(t.reasons[0]).toEqual({
      code: 'DOCUMENT_UNVERIFIED',
      message: 'Document DOC-1 could not be verified: the stored file is missing',
    });
  });

  it('refers when the claim could not be assessed at all', () => {
    const t = triageClaim({ blockers: [{ code: 'POLICY_NOT_FOUND', message: 'gone' }], coverage: null, unverifiedDocuments: [] });
    expect(t).toMatchObject({ outcome: 'REFER', payable: null, reasons: [{ code: 'POLICY_NOT_FOUND' }] });
  });
});

describe('checkClaimFacts', () => {
  const facts = {
    claimId: 'CLM-1',
    policyNumber: 'POL-1',
    peril: 'fire' as const,
    incidentDate: '2026-03-01',
    reportedOn: '2026-03-02',
    claimed: { minor: 1, currency: 'EUR' },
  };
  it('accepts well-formed facts', () => expect(checkClaimFacts(facts)).toEqual([]));
  it('refuses an incident after the report', () =>
    expect(checkClaimFacts({ ...facts, incidentDate: '2026-03-03' }).map((r) => r.code)).toEqual(['INCIDENT_IN_FUTURE']));
  it('refuses impossible dates and non-positive amounts', () =>
    expect(checkClaimFacts({ ...facts, incidentDate: '2026-02-30', claimed: { minor: 0, currency: 'EUR' } }).map((r) => r.code)).toEqual([
      'INVALID_INCIDENT_DATE',
      'INVALID_AMOUNT',
    ]));
  it('knows calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('25-01-01')).toBe(false);
  });
});
