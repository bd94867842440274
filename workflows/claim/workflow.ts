// Claim workflow: validate -> read documents -> load policy -> coverage -> reconcile documents with the
// claim -> triage -> record the decision -> (when automation cannot approve) wait for an adjuster, who
// approves, denies, or asks the claimant for documents. Thin orchestration: every decision is a pure
// domain function, every side effect an activity with its own timeouts and retry policy.
//
// Versions, each kept so that claims already running replay as they ran:
// - v1 (no patch): documents verified for integrity only; ends REFERRED or APPROVED.
// - v2 (`document-analysis`): documents read and reconciled; still ends REFERRED or APPROVED.
// - v3 (`human-review`): a referred claim waits IN_REVIEW for an adjuster, with service levels.
// - v4 (`settlement`): a reserve from opening to closing, approved claims paid through the payment
//   gateway, a decision letter, and withdrawal by the claimant with compensation of a payment begun.
// - v5 (`fraud-scoring`): fraud checks (red-flag rules, link analysis, the model) score every claim;
//   a medium or high score sends it to an adjuster.
// - v6 (`automation-authority`): automation pays only inside the automation policy's limits, and only
//   what documents read with confidence corroborate; anything else goes to an adjuster with reasons.
//
// The phases live beside this file: the message handlers (handlers.ts), reading documents (documents.ts),
// assessing it (assessment.ts), people's review (review.ts), paying and closing (settlement.ts), and the
// first version (v1.ts).
import { patched } from '@temporalio/workflow';
import { defaultAutomationPolicy } from '../../domain/claims/automation.ts';
import { checkClaimFacts } from '../../domain/claims/claim.ts';
import type { Reason } from '../../domain/shared/decision.ts';
import { displayAmount } from '../../domain/shared/money.ts';
import { defaultAuthorityLimits, defaultServiceLevels } from '../../domain/shared/review.ts';
import { openReserve, options, record } from './activities.ts';
import { assessClaim, type AssessmentRun } from './assessment.ts';
import { installClaimHandlers } from './handlers.ts';
import type { ClaimDecisionRules, ClaimOutcome, ClaimWorkflowInput } from './messages.ts';
import { RecordRefusal, recordOrRefusal } from '../failures.ts';
import { awaitReview, referUnrecordedAssessment, waitingClaim } from './review.ts';
import { closeClaim, settleClaim, withdrawClaim } from './settlement.ts';
import { ClaimState } from './state.ts';
import { assessWithVerifiedDocuments } from './v1.ts';

export const documentAnalysisPatch = 'document-analysis';
export const humanReviewPatch = 'human-review';
export const settlementPatch = 'settlement';
export const fraudScoringPatch = 'fraud-scoring';
export const automationAuthorityPatch = 'automation-authority';

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<ClaimOutcome> {
  const state = new ClaimState(input.claimId, input.documentIds);
  const rules: ClaimDecisionRules = input.review ?? { serviceLevels: defaultServiceLevels, authorityLimits: defaultAuthorityLimits };
  installClaimHandlers(input, state, rules);

  // Which version this claim runs: each patch is taken only on top of the ones before it.
  const blockers: Reason[] = checkClaimFacts({ ...input });
  if (!patched(documentAnalysisPatch)) return assessWithVerifiedDocuments(input, state, blockers);
  const humanReview = patched(humanReviewPatch);
  state.settlement = humanReview && patched(settlementPatch);
  const fraudScoring = state.settlement && patched(fraudScoringPatch);
  const automationAuthority = fraudScoring && patched(automationAuthorityPatch);
  if (state.settlement)
    await openReserve.executeWithOptions({ ...options.payment, summary: `Open the reserve: ${displayAmount(input.claimed)}` }, [
      { claimId: input.claimId },
    ]);

  const run: AssessmentRun = {
    analyses: new Map(),
    policy: undefined,
    blockers,
    fraudScoring,
    automation: automationAuthority ? (rules.automation ?? defaultAutomationPolicy) : null,
  };
  for (;;) {
    const assessment = await assessClaim(input, state, run);
    if (!assessment) continue;
    if (state.settlement && state.withdrawn()) return withdrawClaim(input, state, null, false);
    const { triage, flags } = assessment;
    const automated = {
      kind: 'CLAIM_ASSESSMENT',
      outcome: triage.outcome,
      reasons: triage.reasons,
      decidedBy: 'automation' as const,
      ruleSetVersion: assessment.ruleSetVersion,
      inputs: assessment.inputs,
    };
    if (!humanReview) {
      state.enter(state.status, 'Recording the decision', 'the decision to be recorded');
      const outcome = await record(
        input,
        triage.outcome === 'APPROVE' ? 'APPROVED' : 'REFERRED',
        triage.outcome === 'APPROVE' ? triage.payable : null,
        flags,
        automated,
      );
      state.decided(outcome);
      // Documents that arrived while the decision was being recorded are read, and the claim assessed
      // again (a second decision record).
      if (state.pending.length === 0) return outcome;
      continue;
    }

    let since: string;
    // What the adjusters are shown the claim waits for: the rules' referral, or that their decision could
    // not be recorded (the database refused it for good: a person decides, never a run that fails).
    let review = triage;
    if (triage.outcome === 'APPROVE') {
      state.enter(state.status, 'Recording the decision', 'the decision to be recorded');
      const outcome = await recordOrRefusal(waitingClaim, () => record(input, 'APPROVED', triage.payable, flags, automated));
      if (outcome instanceof RecordRefusal) {
        since = new Date().toISOString();
        review = await referUnrecordedAssessment(input, state, triage, outcome, since);
      } else {
        if (state.pending.length > 0) continue;
        if (!state.settlement) {
          state.decided(outcome);
          return outcome;
        }
        state.outcome = outcome;
        const settled = await settleClaim(input, state, outcome);
        if (typeof settled !== 'string') return settled;
        since = settled;
      }
    } else {
      since = new Date().toISOString();
      const outcome = await recordOrRefusal(waitingClaim, () =>
        record(input, 'IN_REVIEW', null, flags, automated, { queue: 'adjusters', since }),
      );
      if (outcome instanceof RecordRefusal) review = await referUnrecordedAssessment(input, state, triage, outcome, since);
      else {
        state.outcome = outcome;
        if (state.pending.length > 0) continue;
      }
    }
    let assessAgain = false;
    while (!assessAgain) {
      const reviewed = await awaitReview(input, state, since, rules.serviceLevels, review);
      if (reviewed === 'withdrawn') return withdrawClaim(input, state, null, false);
      if (reviewed === null) {
        assessAgain = true; // documents arrived: read them and assess again
        continue;
      }
      if (!state.settlement) return reviewed;
      if (reviewed.status !== 'APPROVED') return closeClaim(input, state, reviewed);
      const settled = await settleClaim(input, state, reviewed);
      if (typeof settled !== 'string') return settled;
      since = settled; // the payment failed: back to the adjusters
    }
  }
}
