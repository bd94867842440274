// The underwriting decision: hard rules first (they always win), then referral triggers, then the
// price from the tariff with loadings and a floor. The engine accepts (at standard or a rated premium)
// or refers; a decline is only ever proposed, for an underwriter to confirm.
import type { Reason } from '../shared/decision.ts';
import type { ApplicationFacts, UnderwritingProduct } from './products/product.ts';

export type { ApplicationFacts } from './products/product.ts';

export const underwritingRulesVersion = 'underwriting-rules@1.0.0';

export type UnderwritingOutcome = 'ACCEPT' | 'ACCEPT_RATED' | 'REFER' | 'PROPOSE_DECLINE';

export interface UnderwritingDecision {
  readonly outcome: UnderwritingOutcome;
  readonly reasons: readonly Reason[];
  /** Annual premium (minor units), when the engine can price it (not for a proposed decline). */
  readonly premiumMinor: number | null;
  readonly loading: number;
  readonly version: string;
}

/**
 * riskPremiumMinor: the tariff's expected claims cost per year for the applicant's rating cell. The rules
 * every product has (age, claims) come first, then the product's own hard rules and referral triggers.
 */
export function decideApplication(product: UnderwritingProduct, facts: ApplicationFacts, riskPremiumMinor: number): UnderwritingDecision {
  const declines: Reason[] = [];
  const { eligibility: e } = product;
  if (facts.applicantAge < e.minAge)
    declines.push({ code: 'UNDER_MINIMUM_AGE', message: `The applicant is ${facts.applicantAge}; the minimum age is ${e.minAge}.` });
  if (facts.applicantAge > e.maxAge)
    declines.push({ code: 'OVER_MAXIMUM_AGE', message: `The applicant is ${facts.applicantAge}; the maximum age is ${e.maxAge}.` });
  if (facts.priorClaims > e.maxPriorClaims)
    declines.push({
      code: 'TOO_MANY_CLAIMS',
      message: `${facts.priorClaims} claims in the last three years; at most ${e.maxPriorClaims} are accepted.`,
    });
  declines.push(...product.declines(facts));
  if (declines.length > 0) {
    declines.push({
      code: 'PROPOSED_DECLINE',
      message: 'The rules do not allow this risk; an underwriter must confirm before it is declined.',
    });
    return { outcome: 'PROPOSE_DECLINE', reasons: declines, premiumMinor: null, loading: 0, version: underwritingRulesVersion };
  }
  const loading = 1 + product.loadingPerPriorClaim * facts.priorClaims;
  const premiumMinor = Math.max(product.minimumPremiumMinor, Math.round((riskPremiumMinor * loading) / (1 - product.expenseRatio)));
  const reasons = product.referrals(facts);
  if (reasons.length > 0) return { outcome: 'REFER', reasons, premiumMinor, loading, version: underwritingRulesVersion };
  if (facts.priorClaims > 0) {
    return {
      outcome: 'ACCEPT_RATED',
      reasons: [
        {
          code: 'PRIOR_CLAIMS_LOADING',
          message: `${facts.priorClaims} claim(s) in the last three years: the premium is loaded by ${Math.round((loading - 1) * 100)}%.`,
        },
      ],
      premiumMinor,
      loading,
      version: underwritingRulesVersion,
    };
  }
  return {
    outcome: 'ACCEPT',
    reasons: [{ code: 'STANDARD_RISK', message: 'The risk is acceptable at the standard rate.' }],
    premiumMinor,
    loading,
    version: underwritingRulesVersion,
  };
}

/** The floor: the tariff's expected claims and expenses; no one prices below it. */
export function premiumFloorMinor(product: UnderwritingProduct, riskPremiumMinor: number): number {
  return Math.round(riskPremiumMinor / (1 - product.expenseRatio));
}

/** Reasons an underwriter may decline for (the letter and the record say them in words). */
export const declineReasons: Record<string, string> = {
  OUTSIDE_APPETITE: 'The risk is outside what we insure.',
  CLAIMS_HISTORY: 'The claims history does not allow us to offer cover.',
  MISREPRESENTATION: 'Information given in the application was materially incorrect.',
  ELIGIBILITY: 'The applicant does not meet the conditions of the product.',
};
