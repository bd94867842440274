// The voice-intake workflows' contract: inputs, the `status` query, the caller's `answer` update (audio by
// reference, or keypad digits) and the `hangUp` signal.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { VoiceSessionStatus } from '../../db/schema.ts';
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
