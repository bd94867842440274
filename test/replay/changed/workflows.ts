// A deliberately incompatible edit of the claim workflow (the policy is no longer loaded before the
// decision is recorded), to prove the replay test catches a change that would break running claims.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { UnderwritingActivities } from '../../../activities/underwriting/index.ts';
import type { UnderwritingInput, UnderwritingResult } from '../../../workflows/underwriting/messages.ts';
import type { VoiceActivities } from '../../../activities/voice/index.ts';
import type { VoiceIntakeInput, VoiceResult, VoiceStatementInput } from '../../../workflows/voice/messages.ts';
import type { ClaimActivities } from '../../../activities/claims/index.ts';
import type { ClaimOutcome, ClaimWorkflowInput } from '../../../workflows/claim/messages.ts';
import type { AppealActivities } from '../../../activities/claims/appeals.ts';
import type { AppealProgress, AppealWorkflowInput } from '../../../workflows/appeal/messages.ts';

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

const { priceApplication, recordApplicationDecision } = proxyActivities<UnderwritingActivities>({ startToCloseTimeout: '10 seconds' });

// And of the underwriting workflow: the AI assessment removed without a patch, the case always referred.
export async function underwritingWorkflow(input: UnderwritingInput): Promise<UnderwritingResult> {
  patched('evidence-and-ai');
  await priceApplication({ applicationId: input.applicationId });
  await recordApplicationDecision({ applicationId: input.applicationId, status: 'IN_REVIEW', premiumMinor: null, decision: {} });
  return { applicationId: input.applicationId, status: 'DECLINED', policyNumber: null, premiumMinor: null, reasons: [] };
}

const { saveVoiceSession } = proxyActivities<VoiceActivities>({ startToCloseTimeout: '10 seconds' });

// And of voice intake: the first prompt no longer spoken, the session saved at once.
export async function voiceIntakeWorkflow(input: VoiceIntakeInput): Promise<VoiceResult> {
  await saveVoiceSession({ sessionId: input.sessionId, status: 'ABANDONED', slots: {}, transcript: [] });
  return { sessionId: input.sessionId, status: 'ABANDONED', claimId: null };
}

export async function voiceStatementWorkflow(input: VoiceStatementInput): Promise<VoiceResult> {
  await saveVoiceSession({ sessionId: input.sessionId, status: 'NEEDS_AGENT', slots: {}, transcript: [] });
  await saveVoiceSession({ sessionId: input.sessionId, status: 'NEEDS_AGENT', slots: {}, transcript: [] });
  return { sessionId: input.sessionId, status: 'NEEDS_AGENT', claimId: null };
}

const { recordAppealDecision } = proxyActivities<AppealActivities>({ startToCloseTimeout: '10 seconds' });

// And of the appeal: recorded upheld at once, without waiting for a reviewer.
export async function appealWorkflow(input: AppealWorkflowInput): Promise<AppealProgress> {
  await recordAppealDecision({
    appealId: input.appealId,
    claimId: input.claimId,
    outcome: 'UPHELD',
    decidedBy: 'x',
    note: 'x',
    reasons: [],
    paid: null,
    inputs: {},
  });
  return { status: 'UPHELD', step: 'Decided', queue: null };
}
