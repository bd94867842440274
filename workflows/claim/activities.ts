// The claim workflow's activities, each scheduled as its contract says (messages.ts), and the two steps
// every phase uses: recording a decision and loading the policy.
import { proxyActivities } from '@temporalio/workflow';
import type { ClaimActivities, Waiting } from '../../activities/claims/index.ts';
import type { FraudActivities } from '../../activities/claims/fraud.ts';
import type { SettlementActivities } from '../../activities/claims/settlement.ts';
import type { DocumentActivities } from '../../activities/documents/index.ts';
import type { ClaimStatus } from '../../domain/claims/claim.ts';
import type { DecisionActor, Reason } from '../../domain/shared/decision.ts';
import type { Flag } from '../../domain/documents/reconcile.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { PolicySnapshot } from '../../domain/claims/policy.ts';
import { isFailureOfType } from '../failures.ts';
import { claimActivityOptions as options, claimFailureTypes, type ClaimOutcome, type ClaimWorkflowInput } from './messages.ts';

export { options };
export const { loadPolicy } = proxyActivities<ClaimActivities>(options.loadPolicy);
export const { recordClaimDecision, updateWaiting, notify } = proxyActivities<ClaimActivities>(options.record);
export const { openReserve, releaseReserve, startPayout, checkPayout, cancelPayout } = proxyActivities<SettlementActivities>(
  options.payment,
);
export const { writeDecisionLetter } = proxyActivities<SettlementActivities>(options.letter);
export const { assessFraud } = proxyActivities<FraudActivities>(options.fraud);
export const { verifyDocument } = proxyActivities<DocumentActivities>(options.verifyDocument);
export const { analyzeDocument } = proxyActivities<DocumentActivities>(options.analyzeDocument);

export async function record(
  input: ClaimWorkflowInput,
  status: ClaimStatus,
  payable: Money | null,
  flags: readonly Flag[],
  decision: {
    kind: string;
    outcome: string;
    reasons: readonly Reason[];
    decidedBy: DecisionActor;
    ruleSetVersion: string;
    inputs: unknown;
  },
  waiting?: Waiting,
): Promise<ClaimOutcome> {
  await recordClaimDecision.executeWithOptions({ ...options.record, summary: `Record decision: ${decision.outcome}` }, [
    { claimId: input.claimId, status, payable, flags, decision, ...(waiting ? { waiting } : {}) },
  ]);
  return { claimId: input.claimId, status, payable, reasons: decision.reasons, flags };
}

export async function loadPolicyOrNull(policyNumber: string, blockers: Reason[]): Promise<PolicySnapshot | null> {
  try {
    return await loadPolicy.executeWithOptions({ ...options.loadPolicy, summary: `Load policy ${policyNumber}` }, [policyNumber]);
  } catch (error) {
    if (!isFailureOfType(error, claimFailureTypes.policyNotFound)) throw error;
    blockers.push({ code: 'POLICY_NOT_FOUND', message: `Policy ${policyNumber} could not be found.` });
    return null;
  }
}
