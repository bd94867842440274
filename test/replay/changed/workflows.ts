// A deliberately incompatible edit of the claim workflow (the policy is no longer loaded before the
// decision is recorded), to prove the replay test catches a change that would break running claims.
import { proxyActivities } from '@temporalio/workflow';
import type { ClaimActivities } from '../../../activities/claims/index.ts';
import type { ClaimOutcome, ClaimWorkflowInput } from '../../../workflows/claim/messages.ts';

const { recordClaimDecision } = proxyActivities<ClaimActivities>({ startToCloseTimeout: '10 seconds' });

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<ClaimOutcome> {
  await recordClaimDecision({
    claimId: input.claimId,
    status: 'REFERRED',
    payable: null,
    decision: { kind: 'X', outcome: 'REFER', reasons: [], ruleSetVersion: 'x', decidedBy: 'automation', inputs: {} },
  });
  return { claimId: input.claimId, status: 'REFERRED', payable: null, reasons: [] };
}
