// The voice workflows' activities, each scheduled as its contract says (messages.ts), and opening the
// claim a call reports, which both the dialogue and the recorded statement end with.
import { ParentClosePolicy, patched, proxyActivities, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { StatementActivities } from '../../activities/claims/statements.ts';
import type { VoiceActivities } from '../../activities/voice/index.ts';
import { claimWorkflowType } from '../claim/messages.ts';
import { claimStart, type ClaimRecordForStart } from '../claim/start.ts';
import { voiceActivityOptions as options, type VoiceSessionBase } from './messages.ts';

export const { speakPrompt, recognizeAnswer, transcribeStatement } = proxyActivities<VoiceActivities>(options.speech);
export const { findCallerPolicy, saveVoiceSession, openVoiceClaim, markVoiceClaimStarted } = proxyActivities<VoiceActivities>(
  options.record,
);

/**
 * From this version the claim's record is marked started after its child workflow is, not when the claim
 * is opened: a claim whose start never happened (the call's workflow ended between) is then started by
 * the API's sweep, with whether its description was heard, which the record now keeps.
 */
export const claimMarkedAfterStartPatch = 'voice-claim-marked-after-start';
export const { readClaimStatement } = proxyActivities<StatementActivities>(options.statement);

/** Opens the claim (once per session) and starts its workflow as a child that outlives the call. */
export async function openAndStart(
  input: VoiceSessionBase,
  {
    descriptionHeard,
    ...fields
  }: { policyNumber: string; incidentDate: string; peril: string; amount: string; description: string; descriptionHeard: boolean },
): Promise<ClaimRecordForStart> {
  const markedAfterStart = patched(claimMarkedAfterStartPatch);
  const claim = await openVoiceClaim.executeWithOptions({ ...options.record, summary: 'Open the claim' }, [
    {
      sessionId: input.sessionId,
      callerId: input.callerId,
      startedBy: input.startedBy,
      ...fields,
      ...(markedAfterStart ? { descriptionHeard } : {}),
    },
  ]);
  const start = claimStart(claim, [], input.review, {
    origin: `by voice: session ${input.sessionId} (the transcript is on the claim and in workflow voice-${input.sessionId})`,
    descriptionHeard,
  });
  try {
    await startChild(claimWorkflowType, {
      workflowId: start.workflowId,
      taskQueue: start.taskQueue,
      args: [start.input],
      typedSearchAttributes: start.typedSearchAttributes,
      staticSummary: start.staticSummary,
      staticDetails: start.staticDetails,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  if (markedAfterStart) {
    await markVoiceClaimStarted.executeWithOptions({ ...options.record, summary: 'Mark the claim started' }, [{ claimId: claim.id }]);
  }
  return claim;
}
