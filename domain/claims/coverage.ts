// Coverage verification: is this loss covered by this policy, and how much is payable under its terms?
import type { Reason } from '../shared/decision.ts';
import { displayAmount, type Money } from '../shared/money.ts';
import type { Peril } from '../shared/perils.ts';
import type { PolicySnapshot } from './policy.ts';

export const coverageRulesVersion = 'coverage-rules@1.0.0';

export interface CoverageQuestion {
  readonly incidentDate: string;
  readonly peril: Peril;
  readonly claimed: Money;
}

export interface CoverageAssessment {
  readonly outcome: 'COVERED' | 'NOT_COVERED';
  /** Claimed amount less the deductible, capped at the limit; zero when not covered. */
  readonly payable: Money;
  readonly deductible: Money | null;
  readonly limit: Money | null;
  /** Every rule that failed or adjusted the amount; empty only for a plain covered loss. */
  readonly reasons: readonly Reason[];
  readonly version: string;
}

/**
 * Checks, in order: the policy was in force on the incident date, the peril is covered, the claim is in
 * the policy currency, and the loss exceeds the deductible. The payable amount is the loss less the
 * deductible, capped at the coverage limit (deductible first, then limit).
 */
export function assessCoverage(policy: PolicySnapshot, question: CoverageQuestion): CoverageAssessment {
  const reasons: Reason[] = [];
  const zero: Money = { minor: 0, currency: policy.currency };
  const notCovered = (deductible: Money | null = null, limit: Money | null = null): CoverageAssessment => ({
    outcome: 'NOT_COVERED',
    payable: zero,
    deductible,
    limit,
    reasons,
    version: coverageRulesVersion,
  });

  const { incidentDate } = question;
  if (incidentDate < policy.effectiveFrom) {
    reasons.push({
      code: 'INCIDENT_BEFORE_COVER',
      message: `The incident on ${incidentDate} happened before cover started on ${policy.effectiveFrom}.`,
    });
  } else if (incidentDate > policy.effectiveTo) {
    reasons.push({
      code: 'INCIDENT_AFTER_COVER',
      message: `The incident on ${incidentDate} happened after cover ended on ${policy.effectiveTo}.`,
    });
  } else if (policy.status === 'CANCELLED' && policy.cancelledOn !== null && incidentDate >= policy.cancelledOn) {
    reasons.push({
      code: 'POLICY_CANCELLED',
      message: `The policy was cancelled with effect from ${policy.cancelledOn}, on or before the incident on ${incidentDate}.`,
    });
  }

  const coverage = policy.coverages.find((c) => c.peril === question.peril);
  if (!coverage) {
    reasons.push({
      code: 'PERIL_NOT_COVERED',
      message: `The policy does not cover ${question.peril.replaceAll('_', ' ')}.`,
    });
  }
  if (question.claimed.currency !== policy.currency) {
    reasons.push({
      code: 'CURRENCY_MISMATCH',
      message: `The claim is in ${question.claimed.currency} but the policy is written in ${policy.currency}.`,
    });
  }
  if (reasons.length > 0 || !coverage) return notCovered();

  const deductible: Money = { minor: coverage.deductibleMinor, currency: policy.currency };
  const limit: Money = { minor: coverage.limitMinor, currency: policy.currency };
  const afterDeductible = question.claimed.minor - coverage.deductibleMinor;
  if (afterDeductible <= 0) {
    reasons.push({
      code: 'BELOW_DEDUCTIBLE',
      message: `The claimed ${displayAmount(question.claimed)} does not exceed the deductible of ${displayAmount(deductible)}.`,
    });
    return notCovered(deductible, limit);
  }
  if (coverage.deductibleMinor > 0) {
    reasons.push({
      code: 'DEDUCTIBLE_APPLIED',
      message: `The deductible of ${displayAmount(deductible)} is subtracted from the claimed amount.`,
    });
  }
  let payableMinor = afterDeductible;
  if (afterDeductible > coverage.limitMinor) {
    payableMinor = coverage.limitMinor;
    reasons.push({
      code: 'LIMIT_APPLIED',
      message: `The payable amount is capped at the coverage limit of ${displayAmount(limit)}.`,
    });
  }
  return {
    outcome: 'COVERED',
    payable: { minor: payableMinor, currency: policy.currency },
    deductible,
    limit,
    reasons,
    version: coverageRulesVersion,
  };
}
