// Voice intake: the call runs as a workflow. Each prompt is synthesized (activity) and served as audio;
// each answer arrives as an update (a recording by reference, or keypad digits), is recognized against
// the question's grammar (activity), and moves the dialogue (domain/voice/dialogue.ts, pure). A confirmed
// policy must be the caller's. When every slot is confirmed the claim is opened and its workflow started
// as a child, and the caller hears the claim reference. Silence times out; a hang-up leaves a partial
// intake for an agent. A one-shot statement (statement.ts) is transcribed and read instead.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { HeardAnswer } from '../../activities/voice/index.ts';
import type { VoiceSessionStatus } from '../../db/voice.ts';
import {
  answerTurn,
  descriptionHeard,
  filledValues,
  rejectValue,
  startDialogue,
  type CallerAnswer,
  type DialogueContext,
  type DialogueState,
  type Turn,
} from '../../domain/voice/dialogue.ts';
import type { ClaimRecordForStart } from '../claim/start.ts';
import { spokenReference } from '../../domain/claims/reference.ts';
import { isFailureOfType } from '../failures.ts';
import { findCallerPolicy, openAndStart, recognizeAnswer, saveVoiceSession, speakPrompt } from './activities.ts';
import {
  answerUpdate,
  hangUpSignal,
  voiceFailureTypes,
  voiceStatusQuery,
  type CallerInput,
  type VoiceIntakeInput,
  type VoicePrompt,
  type VoiceProgress,
  type VoiceResult,
  type VoiceSessionBase,
  voiceActivityOptions as options,
} from './messages.ts';

const spell = (s: string) =>
  s
    .replace(/[^A-Z0-9]/gi, '')
    .split('')
    .join(' ');

/** Calls begun from here on take a yes only when it was clearly heard (domain/voice/dialogue.ts 1.1.0). */
export const safeConfirmationsPatch = 'safe-confirmations';
/** Calls begun from here on read callers' own phrasings: relative dates, currency names, "somebody hit me". */
export const naturalPhrasingsPatch = 'natural-phrasings';

export async function voiceIntakeWorkflow(input: VoiceIntakeInput): Promise<VoiceResult> {
  const today = new Date().toISOString().slice(0, 10);
  let currency = 'EUR'; // until the policy says
  const safeConfirmations = patched(safeConfirmationsPatch);
  const legacyPhrasings = !patched(naturalPhrasingsPatch);
  const context = (): DialogueContext => ({
    today,
    policyPrefix: input.policyPrefix,
    currency,
    safeConfirmations,
    ...(legacyPhrasings ? { legacyPhrasings } : {}),
  });
  const answers: CallerInput[] = [];
  const recordings: string[] = [];
  let received = 0;
  let handled = 0;
  let hungUp = false;
  let status: VoiceSessionStatus = 'IN_PROGRESS';
  let claimId: string | null = null;
  let reason: string | null = null;
  let turn: Turn = startDialogue(context());
  let prompt: VoicePrompt | null = null;

  const progress = (): VoiceProgress => ({
    status,
    prompt,
    slot: turn.state.slot,
    phase: turn.state.phase,
    keypad: turn.listenFor?.keypad ?? false,
    slots: turn.state.slots,
    transcript: turn.state.transcript,
    claimId,
    reason,
  });
  setHandler(voiceStatusQuery, progress);
  setHandler(hangUpSignal, () => {
    hungUp = true;
  });
  setHandler(
    answerUpdate,
    async (answer) => {
      const mine = ++received;
      answers.push(answer);
      await condition(() => handled >= mine);
      return progress();
    },
    {
      validator: (answer: CallerInput) => {
        const refuse = (type: string, message: string) => {
          throw ApplicationFailure.create({ type, message, nonRetryable: true });
        };
        if (status !== 'IN_PROGRESS' || hungUp || !turn.listenFor) refuse('CALL_OVER', 'The call is over.');
        if ('digits' in answer && !/^[0-9*#]{1,24}$/.test(answer.digits)) refuse('INVALID_DIGITS', 'Keypad digits are 0-9, * and #.');
        if ('recording' in answer && !/^[0-9a-f]{64}$/.test(answer.recording))
          refuse('INVALID_RECORDING', 'A recording is referred to by its SHA-256.');
      },
    },
  );

  const speak = async (text: string) => {
    try {
      prompt = {
        text,
        ...(await speakPrompt.executeWithOptions({ ...options.speech, summary: `Say: ${text.slice(0, 60)}` }, [
          { sessionId: input.sessionId, text },
        ])),
      };
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      prompt = { text, promptId: '' };
    }
  };
  const save = () =>
    saveVoiceSession.executeWithOptions({ ...options.record, summary: `Save the call (${status})` }, [
      {
        sessionId: input.sessionId,
        status,
        slots: turn.state.slots,
        transcript: turn.state.transcript as unknown as Record<string, unknown>[],
        recordings,
        statusReason: reason,
        claimId,
      },
    ]);
  // The Web UI shows the call as it goes: where it is, the slots so far, and the transcript.
  const details = () =>
    setCurrentDetails(
      [
        `**Voice intake** ${status}${turn.state.slot ? `: ${turn.state.slot} (${turn.state.phase}${turn.listenFor?.keypad ? ', keypad' : ''})` : ''}${claimId ? `, claim ${claimId}` : ''}`,
        Object.entries(turn.state.slots)
          .map(
            ([k, v]) =>
              `- ${k}: ${k === 'description' ? '(given)' : v.value} (${v.via}${v.via === 'voice' ? `, confidence ${v.confidence}` : ''})`,
          )
          .join('\n'),
        '**Transcript**',
        turn.state.transcript
          .slice(-40)
          .map((l) => `${l.speaker === 'agent' ? 'Agent' : 'Caller'}: ${l.text}`)
          .join('\n\n'),
      ].join('\n\n'),
    );

  await speak(turn.prompt);
  details();
  while (turn.listenFor) {
    const arrived = await condition(() => answers.length > 0 || hungUp, input.silenceTimeoutMs);
    if (hungUp) break;
    let answer: CallerAnswer = { kind: 'silence' };
    if (arrived) {
      const given = answers.shift()!;
      if ('digits' in given) {
        answer = { kind: 'digits', digits: given.digits };
      } else {
        recordings.push(given.recording);
        answer = toAnswer(await hear(given.recording, turn.listenFor.grammar));
      }
    }
    const before: DialogueState = turn.state;
    turn = answerTurn(before, answer, context());
    // A confirmed policy must be the caller's, in force; its currency is the claim's.
    if (!before.slots.policyNumber && turn.state.slots.policyNumber) {
      const policyNumber = turn.state.slots.policyNumber.value;
      const policy = await findCallerPolicy.executeWithOptions({ ...options.record, summary: `Look up policy ${policyNumber}` }, [
        { callerId: input.callerId, policyNumber },
      ]);
      if (policy) currency = policy.currency;
      else
        turn = rejectValue(turn.state, 'policyNumber', `I could not find policy ${spell(policyNumber)} in force on your name.`, context());
    }
    if (turn.state.phase === 'done') {
      const claim = await openClaim(input, turn.state).catch((error: unknown) => {
        // What was confirmed cannot be a claim (an amount with more decimals than the currency has): an
        // agent calls back with the answers kept, rather than the call failing.
        if (isFailureOfType(error, voiceFailureTypes.invalidReport)) return error.cause.message;
        throw error;
      });
      if (typeof claim === 'string') {
        status = 'NEEDS_AGENT';
        reason = claim;
      } else {
        claimId = claim.id;
        status = 'COMPLETED';
      }
      const closing =
        typeof claim === 'string'
          ? `${turn.prompt} An agent will call you back to finish your claim. Goodbye.`
          : `${turn.prompt} Your claim reference is ${claim.reference ? spokenReference(claim.reference) : spell(claim.id)}. We will be in touch. Goodbye.`;
      turn = {
        ...turn,
        prompt: closing,
        state: { ...turn.state, transcript: [...turn.state.transcript.slice(0, -1), { speaker: 'agent', text: closing }] },
      };
    } else if (turn.state.phase === 'abandoned') {
      status = 'ABANDONED';
      reason = 'The caller stopped answering.';
    }
    await speak(turn.prompt);
    await save();
    details();
    // Each answer's update returns once that answer, not a later one, has been heard and answered.
    if (arrived) handled++;
  }
  // Answers sent after the call ended (or while hanging up) get the final state.
  handled = received;
  if (hungUp && status === 'IN_PROGRESS') {
    status = 'HUNG_UP';
    reason = 'The caller hung up; the answers so far are kept for an agent.';
    await save();
    details();
  }
  await condition(allHandlersFinished);
  return { sessionId: input.sessionId, status, claimId };

  async function hear(recording: string, grammar: string | null): Promise<HeardAnswer | null> {
    try {
      return await recognizeAnswer.executeWithOptions({ ...options.speech, summary: `Recognize the answer (${turn.state.slot})` }, [
        { recording, grammar },
      ]);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      return null; // unreadable audio or no engine: as if not understood; the keypad follows
    }
  }
}

function toAnswer(heard: HeardAnswer | null): CallerAnswer {
  if (!heard) return { kind: 'speech', text: '', confidence: 0 };
  return heard.kind === 'speech'
    ? {
        kind: 'speech',
        text: heard.text,
        confidence: heard.confidence,
        ...(heard.coverage !== undefined ? { coverage: heard.coverage } : {}),
      }
    : { kind: 'recording', reference: heard.reference };
}

async function openClaim(input: VoiceSessionBase, state: DialogueState): Promise<ClaimRecordForStart> {
  const values = filledValues(state);
  const transcript = state.transcript.map((l) => `${l.speaker === 'agent' ? 'Agent' : 'Caller'}: ${l.text}`).join('\n');
  return openAndStart(input, {
    policyNumber: values.policyNumber!,
    incidentDate: values.incidentDate!,
    peril: values.incidentType!,
    amount: values.amount!,
    description: `Reported by phone. ${values.description ?? ''}\n\nTranscript:\n${transcript}`,
    // Transcribed clearly enough to count as heard; else a recording (or unsure words) until a person hears it.
    descriptionHeard: descriptionHeard(state.slots.description),
  });
}
