// A one-shot recorded statement: transcribed, read into claim fields, and opened as a claim or left to an agent.
import { ActivityFailure, setCurrentDetails } from '@temporalio/workflow';
import type { VoiceSessionStatus } from '../../db/voice.ts';
import { findCallerPolicy, openAndStart, readClaimStatement, saveVoiceSession, transcribeStatement } from './activities.ts';
import { voiceActivityOptions as options, type VoiceResult, type VoiceStatementInput } from './messages.ts';

/**
 * One recorded statement: transcribed (an engine that takes free speech), read into claim fields by the AI
 * provider (grounded in the transcript), and opened as a claim when every field is there and the policy
 * is the caller's; otherwise an agent finishes it, with the transcript and what was read.
 */
export async function voiceStatementWorkflow(input: VoiceStatementInput): Promise<VoiceResult> {
  const finish = async (
    status: VoiceSessionStatus,
    slots: Record<string, unknown>,
    transcript: Record<string, unknown>[],
    reason: string | null,
    claimId: string | null = null,
  ) => {
    await saveVoiceSession.executeWithOptions({ ...options.record, summary: `Save the statement (${status})` }, [
      { sessionId: input.sessionId, status, slots, transcript, recordings: [input.recording], statusReason: reason, claimId },
    ]);
    setCurrentDetails(`**Voice statement** ${status}${reason ? `\n\n${reason}` : ''}`);
    return { sessionId: input.sessionId, status, claimId };
  };
  let text: string;
  try {
    text = (
      await transcribeStatement.executeWithOptions({ ...options.speech, summary: 'Transcribe the statement' }, [
        { recording: input.recording },
      ])
    ).text;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return finish('NEEDS_AGENT', {}, [], error.cause?.message ?? error.message);
  }
  const transcript = [{ speaker: 'caller', text }];
  let read;
  try {
    read = await readClaimStatement.executeWithOptions({ ...options.statement, summary: 'Read the statement into claim fields' }, [
      { statement: text },
    ]);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return finish('NEEDS_AGENT', {}, transcript, `The statement could not be read: ${error.cause?.message ?? error.message}`);
  }
  const f = read.fields;
  const slots = {
    policyNumber: f.policyNumber,
    incidentDate: f.incidentDate,
    incidentType: f.peril,
    amount: f.amount?.amount ?? null,
    description: f.summary,
    dropped: read.dropped,
    instructions: read.instructions,
  };
  const missing = (['policyNumber', 'incidentDate', 'incidentType', 'amount'] as const).filter((k) => !slots[k]);
  if (missing.length > 0) return finish('NEEDS_AGENT', slots, transcript, `Not in the statement: ${missing.join(', ')}.`);
  const policy = await findCallerPolicy.executeWithOptions({ ...options.record, summary: `Look up policy ${f.policyNumber}` }, [
    { callerId: input.callerId, policyNumber: f.policyNumber! },
  ]);
  if (!policy) return finish('NEEDS_AGENT', slots, transcript, `Policy ${f.policyNumber} is not one the caller holds in force.`);
  const claim = await openAndStart(input, {
    policyNumber: f.policyNumber!,
    incidentDate: f.incidentDate!,
    peril: f.peril!,
    amount: String(Number(f.amount!.amount.replace(/[^0-9.]/g, ''))),
    description: `Reported by a recorded statement. ${f.summary}\n\nTranscript:\n${text}`,
    descriptionHeard: true, // transcribed by the speech engine
  });
  return finish('COMPLETED', slots, transcript, null, claim.id);
}
