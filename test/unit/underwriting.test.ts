// Underwriting rules without Temporal: hard rules win, referrals, loadings and the premium floor.
import { describe, expect, it } from 'vitest';
import { decideApplication, type ApplicationFacts } from '../../domain/underwriting/decide.ts';
import { motorcycleProduct as product } from '../../domain/underwriting/products/motorcycle/product.ts';

const clear: ApplicationFacts = { applicantAge: 45, licenceYears: 20, priorClaims: 0, vehicleValueMinor: 80_000_00, vehicleClass: 3 };

describe('underwriting decision', () => {
  it('accepts a clear risk at the tariff premium plus expenses', () => {
    expect(decideApplication(product, clear, 1_500_00)).toMatchObject({
      outcome: 'ACCEPT',
      premiumMinor: 2_000_00,
      loading: 1,
      reasons: [{ code: 'STANDARD_RISK' }],
    });
  });
  it('never prices below the minimum premium', () => {
    expect(decideApplication(product, clear, 100_00).premiumMinor).toBe(600_00);
  });
  it('loads the premium for recent claims', () => {
    expect(decideApplication(product, { ...clear, priorClaims: 2 }, 1_500_00)).toMatchObject({
      outcome: 'ACCEPT_RATED',
      loading: 1.3,
      premiumMinor: 2_600_00,
    });
  });
  it('refers a young rider on a powerful bike and an expensive vehicle, with a price for the underwriter', () => {
    const young = decideApplication(product, { ...clear, applicantAge: 19, vehicleClass: 6 }, 4_000_00);
    expect(young).toMatchObject({ outcome: 'REFER', reasons: [{ code: 'YOUNG_RIDER_POWERFUL_VEHICLE' }] });
    expect(young.premiumMinor).toBeGreaterThan(0);
    expect(decideApplication(product, { ...clear, vehicleValueMinor: 450_000_00 }, 1_500_00).outcome).toBe('REFER');
  });
  it('only proposes a decline, and hard rules win over everything else', () => {
    const declined = decideApplication(product, { ...clear, applicantAge: 16, priorClaims: 5, vehicleValueMinor: 900_000_00 }, 1_500_00);
    expect(declined).toMatchObject({ outcome: 'PROPOSE_DECLINE', premiumMinor: null });
    expect(declined.reasons.map((r) => r.code)).toEqual(['UNDER_MINIMUM_AGE', 'TOO_MANY_CLAIMS', 'PROPOSED_DECLINE']);
  });
});
