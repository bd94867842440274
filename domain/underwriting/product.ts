// Products are data: the rules that make an application acceptable, rated, referred or (proposed)
// declined, and the cover an issued policy gets. Another line is another object of this shape; the
// underwriting workflow does not change.
import type { Peril } from '../shared/perils.ts';
import type { EvidenceKind } from './evidence.ts';

export interface UnderwritingProduct {
  readonly code: string;
  readonly version: string;
  readonly lineOfBusiness: 'motor';
  readonly currency: string;
  /** Hard rules: outside these the engine proposes a decline (a person confirms it). */
  readonly eligibility: {
    readonly minAge: number;
    readonly maxAge: number;
    readonly maxPriorClaims: number;
    readonly minLicenceYears: number;
  };
  /** A person must look: the engine neither accepts nor declines these. */
  readonly referral: { readonly maxVehicleValueMinor: number; readonly youngRiderAge: number; readonly powerfulClassFrom: number };
  /** Loading on the premium per claim in the last three years, when accepted rated. */
  readonly loadingPerPriorClaim: number;
  /** Share of the premium that pays expenses and profit: premium = risk premium x loadings / (1 - this). */
  readonly expenseRatio: number;
  readonly minimumPremiumMinor: number;
  readonly cover: readonly { readonly peril: Peril; readonly limit: 'vehicle-value' | number; readonly deductibleMinor: number }[];
  /** Documents an application must bring; any that are sent are checked against the application. */
  readonly evidence: { readonly required: readonly EvidenceKind[] };
  /** The most an AI assessment may load the premium by (0.5 = 50%) before an underwriter must look. */
  readonly maxAiLoading: number;
  /** Above this vehicle value, or to override a proposed decline, a senior underwriter must accept. */
  readonly underwriterAuthority: { readonly maxVehicleValueMinor: number };
}

export const motorcycleProduct: UnderwritingProduct = {
  code: 'MC-PARTIAL-CASCO',
  version: 'mc-product@1.0.0',
  lineOfBusiness: 'motor',
  currency: 'SEK',
  eligibility: { minAge: 18, maxAge: 90, maxPriorClaims: 3, minLicenceYears: 0 },
  referral: { maxVehicleValueMinor: 300_000_00, youngRiderAge: 21, powerfulClassFrom: 6 },
  loadingPerPriorClaim: 0.15,
  expenseRatio: 0.25,
  minimumPremiumMinor: 600_00,
  cover: [
    { peril: 'theft', limit: 'vehicle-value', deductibleMinor: 1_000_00 },
    { peril: 'fire', limit: 'vehicle-value', deductibleMinor: 1_000_00 },
    { peril: 'collision', limit: 'vehicle-value', deductibleMinor: 2_000_00 },
    { peril: 'third_party_liability', limit: 5_000_000_00, deductibleMinor: 0 },
  ],
  // Declared facts are priced at once, as on comparison sites; documents sent are verified, and a product
  // that requires them lists their kinds here (a missing one refers the application).
  evidence: { required: [] },
  maxAiLoading: 0.5,
  underwriterAuthority: { maxVehicleValueMinor: 500_000_00 },
};
