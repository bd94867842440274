// Assessing a claim: its documents read, its policy loaded, coverage, reconciliation, fraud checks and
// triage under the automation policy, all decided by the pure functions of the domain; the result is the
// decision record's content. Documents arriving meanwhile make it start again (null).
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { AutomationPolicy } from '../../domain/claims/automation.ts';
import { decideClaim } from '../../domain/claims/claim-decision.ts';
import type { Reason } from '../../domain/shared/decision.ts';
import { reconcileDocuments, type DocumentFacts, type Flag } from '../../domain/documents/reconcile.ts';
import type { FraudAssessment } from '../../domain/fraud/score.ts';
import type { PolicySnapshot } from '../../domain/claims/policy.ts';
import type { TriageDecision } from '../../domain/claims/triage.ts';
import { FraudBandKey } from '../../platform/temporal/search-attributes.ts';
import { assessFraud, loadPolicyOrNull, options } from './activities.ts';
import { readDocuments } from './documents.ts';
import type { ClaimWorkflowInput } from './messages.ts';
import type { ClaimState } from './state.ts';

/** What assessments of one claim share: the documents read so far, the policy once loaded, the version's steps. */
export interface AssessmentRun {
  readonly analyses: Map<string, DocumentFacts>;
  policy: PolicySnapshot | null | undefined;
  readonly blockers: Reason[];
  readonly fraudScoring: boolean;
  /** The automation policy, from the automation-authority version on; null before it. */
  readonly automation: AutomationPolicy | null;
}

export interface ClaimAssessment {
  readonly triage: TriageDecision;
  readonly flags: readonly Flag[];
  readonly ruleSetVersion: string;
  readonly inputs: Record<string, unknown>;
}

export async function assessClaim(input: ClaimWorkflowInput, state: ClaimState, run: AssessmentRun): Promise<ClaimAssessment | null> {
  // Documents that arrive while others are read are read before anything is decided.
  while (state.pending.length > 0) await readDocuments(input, state, state.pending.splice(0), run.analyses);
  if (run.policy === undefined) {
    state.enter('CHECKING_COVERAGE', 'Checking coverage', `policy ${input.policyNumber}`);
    run.policy = await loadPolicyOrNull(input.policyNumber, run.blockers);
    if (state.pending.length > 0) return null;
  }
  const documents = [...run.analyses.values()];
  const { policy, blockers } = run;
  const { flags, version: reconciliationVersion } = reconcileDocuments(input, documents);
  let fraud: FraudAssessment | null = null;
  if (run.fraudScoring) {
    state.enter('CHECKING_COVERAGE', 'Fraud checks', 'the fraud checks');
    fraud = await assessFraud.executeWithOptions({ ...options.fraud, summary: 'Fraud checks: rules, links, model' }, [
      { claimId: input.claimId, flags },
    ]);
    upsertSearchAttributes([{ key: FraudBandKey, value: fraud.band }]);
    if (state.pending.length > 0) return null;
  }
  const decided = decideClaim({
    claim: { ...input, descriptionHeard: input.descriptionHeard ?? true },
    policy,
    blockers,
    documents,
    flags,
    fraud,
    automation: run.automation,
  });
  const { coverage, triage, authority } = decided;
  state.coverage = coverage;
  return {
    triage,
    flags,
    ruleSetVersion: [coverage?.version, reconciliationVersion, fraud?.rulesVersion, fraud?.modelVersion, authority?.version, triage.version]
      .filter(Boolean)
      .join('+'),
    inputs: { claim: input, policy, documents, coverage, flags, ...(fraud ? { fraud } : {}), ...(authority ? { authority } : {}) },
  };
}
