// The automated decision on a claim, from what the workflow has gathered: coverage under the policy,
// whether automation may pay that much on this evidence, and triage. Pure: the claim workflow calls it,
// and so does `eval:claims`, so the evaluation measures the very decision the engine makes.
import { assessAutomationAuthority, type AuthorityAssessment, type AutomationPolicy } from './automation.ts';
import { assessCoverage, type CoverageAssessment } from './coverage.ts';
import type { Reason } from '../shared/decision.ts';
import type { DocumentFacts, Flag } from '../documents/reconcile.ts';
import type { FraudAssessment } from '../fraud/score.ts';
import type { Money } from '../shared/money.ts';
import type { LineOfBusiness, Peril } from '../shared/perils.ts';
import type { PolicySnapshot } from './policy.ts';
import { triageClaim, type TriageDecision } from './triage.ts';

export interface ClaimToDecide {
  readonly lineOfBusiness: LineOfBusiness;
  readonly peril: Peril;
  readonly incidentDate: string;
  readonly claimed: Money;
  /** False for a claim reported by voice whose description nobody has heard. */
  readonly descriptionHeard: boolean;
}

export interface AutomatedDecision {
  readonly coverage: CoverageAssessment | null;
  readonly authority: AuthorityAssessment | null;
  readonly triage: TriageDecision;
}

export function decideClaim(input: {
  readonly claim: ClaimToDecide;
  readonly policy: PolicySnapshot | null;
  /** Problems found before coverage could be assessed (the claim's own facts, a missing policy). */
  readonly blockers: readonly Reason[];
  readonly documents: readonly DocumentFacts[];
  readonly flags: readonly Flag[];
  readonly fraud: FraudAssessment | null;
  /** Null before automation limits existed: automation then pays whatever triage approves. */
  readonly automation: AutomationPolicy | null;
}): AutomatedDecision {
  const { claim, policy, blockers } = input;
  const coverage = policy && blockers.length === 0 ? assessCoverage(policy, claim) : null;
  const authority =
    input.automation && coverage?.outcome === 'COVERED'
      ? assessAutomationAuthority(input.automation, {
          lineOfBusiness: claim.lineOfBusiness,
          peril: claim.peril,
          payable: coverage.payable,
          documents: input.documents,
          descriptionHeard: claim.descriptionHeard,
        })
      : null;
  const triage = triageClaim({ blockers, coverage, unverifiedDocuments: [], flags: input.flags, fraud: input.fraud, authority });
  return { coverage, authority, triage };
}
