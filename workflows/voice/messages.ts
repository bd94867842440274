// The voice-intake workflows' contract: inputs, the `status` query, the caller's `answer` update (audio by
// reference, or keypad digits), the `hangUp` signal, the failure types its activities raise and how each
// activity is scheduled.
import type { ActivityOptions } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { aiActivityOptions, untilTheDatabaseAnswers } from '../activity-options.ts';
import type { VoiceSessionStatus } from '../../db/voice.ts';
import type { FilledSlot, TranscriptLine } from '../../domain/voice/dialogue.ts';
import type { ClaimWorkflowInput } from '../claim/messages.ts';

/** Failure types the voice activities raise that no retry mends; the workflow tells them apart by these. */
export const voiceFailureTypes = {
  unreadableAudio: 'UnreadableAudio',
  engineUnavailable: 'SpeechEngineUnavailable',
  engineRefused: 'SpeechEngineRefused',
  policyNotFound: 'PolicyNotFound',
  /** What the caller said cannot be a claim (an amount with too many decimals, a date ahead): an agent takes it. */
  invalidReport: 'InvalidClaimReport',
} as const;

export const voiceIntakeWorkflowType = 'voiceIntakeWorkflow';
export const voiceStatementWorkflowType = 'voiceStatementWorkflow';

export function voiceWorkflowId(sessionId: string): string {
  return `voice-${sessionId}`;
}

export interface VoiceSessionBase {
  readonly sessionId: string;
  /** The customer whose policies the claim may be on. */
  readonly callerId: string;
  /** The principal that started the session (`role:subject`), recorded on the claim. */
  readonly startedBy: string;
  /** Service levels and authority limits for the claim this opens. */
  readonly review?: ClaimWorkflowInput['review'];
}

export interface VoiceIntakeInput extends VoiceSessionBase {
  readonly policyPrefix: string;
  /** How long the call waits for an answer before it counts as silence. */
  readonly silenceTimeoutMs: number;
}

export interface VoiceStatementInput extends VoiceSessionBase {
  /** The statement's recording (blob SHA-256). */
  readonly recording: string;
}

export interface VoicePrompt {
  readonly text: string;
  /** GET /v1/voice/prompts/{promptId}.wav */
  readonly promptId: string;
}

export interface VoiceProgress {
  readonly status: VoiceSessionStatus;
  /** What the caller hears now (the last prompt). */
  readonly prompt: VoicePrompt | null;
  readonly slot: string | null;
  readonly phase: string;
  /** Whether the next answer is expected on the keypad. */
  readonly keypad: boolean;
  readonly slots: Partial<Record<string, FilledSlot>>;
  readonly transcript: readonly TranscriptLine[];
  readonly claimId: string | null;
  /** Why the call ended as it did, when it ended early. */
  readonly reason: string | null;
}

export type CallerInput = { readonly recording: string } | { readonly digits: string };

export interface VoiceResult {
  readonly sessionId: string;
  readonly status: VoiceSessionStatus;
  readonly claimId: string | null;
}

export const voiceStatusQuery = defineQuery<VoiceProgress>('status');
export const answerUpdate = defineUpdate<VoiceProgress, [CallerInput]>('answer');
export const hangUpSignal = defineSignal('hangUp');

/** How each of the voice workflows' activities is scheduled, and why so. */
export const voiceActivityOptions = {
  // A caller is waiting: speech work is short and retried quickly, a few times; then the answer counts as
  // not understood (recognition) or the call goes on without audio (a prompt the caller cannot hear is
  // still in the transcript and the session).
  speech: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '1 minute',
    retry: {
      initialInterval: '300 milliseconds',
      backoffCoefficient: 2,
      maximumInterval: '5 seconds',
      maximumAttempts: 4,
      nonRetryableErrorTypes: [voiceFailureTypes.unreadableAudio, voiceFailureTypes.engineRefused],
    },
  },
  record: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '10 seconds',
    retry: untilTheDatabaseAnswers(voiceFailureTypes.policyNotFound),
  },
  // Reading a statement with the AI provider: retried briefly, then an agent takes it (aiActivityOptions).
  statement: aiActivityOptions(taskQueues.claims),
} satisfies Record<string, ActivityOptions>;
