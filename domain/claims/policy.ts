import type { LineOfBusiness, Peril } from '../shared/perils.ts';

export interface Coverage {
  readonly peril: Peril;
  /** Most the insurer pays for one claim under this coverage, in the policy currency's minor units. */
  readonly limitMinor: number;
  /** Part of each loss the policyholder bears, in minor units. */
  readonly deductibleMinor: number;
}

export type PolicyStatus = 'ACTIVE' | 'CANCELLED';

/** What the claim process needs to know about a policy: no personal data beyond the holder's id. */
export interface PolicySnapshot {
  readonly policyNumber: string;
  readonly lineOfBusiness: LineOfBusiness;
  readonly holderId: string;
  readonly status: PolicyStatus;
  /** First day of cover, ISO date, inclusive. */
  readonly effectiveFrom: string;
  /** Last day of cover, ISO date, inclusive. */
  readonly effectiveTo: string;
  /** First day without cover when the policy was cancelled early. */
  readonly cancelledOn: string | null;
  readonly currency: string;
  readonly coverages: readonly Coverage[];
}
