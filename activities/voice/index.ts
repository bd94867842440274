// Voice intake's activities: speak a prompt (synthesis, stored as a blob the API serves), recognize an
// answer (the caller's recording, decoded and resampled, against the question's grammar or as free
// speech), look up the caller's policy, keep the session's state, and open the claim. Every one is safe
// to retry: prompts and recordings are content-addressed, the claim is keyed by the session.
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { AiFailure } from '../../engines/ai/provider.ts';
import type { Database } from '../../db/client.ts';
import { openClaim } from '../../db/open-claim.ts';
import { claims, policies } from '../../db/schema.ts';
import { voiceSessions, type VoiceSessionStatus } from '../../db/voice.ts';
import { canonicalJson } from '../../domain/shared/decision.ts';
import { descriptionHeardConfidence } from '../../domain/voice/dialogue.ts';
import type { LineOfBusiness } from '../../domain/shared/perils.ts';
import { BlobNotFoundError, sha256Hex, type BlobStore } from '../../engines/storage/blob-store.ts';
import { AudioError, decodeAudio, type AudioLimits } from '../../engines/speech/audio.ts';
import { SpeechEngineFailure, type SpeechRecognizer, type SpeechSynthesizer } from '../../engines/speech/engines.ts';
import { claimWorkflowId } from '../../workflows/claim/messages.ts';
import { voiceFailureTypes } from '../../workflows/voice/messages.ts';
import type { ClaimRecordForStart } from '../../workflows/claim/start.ts';

export interface VoiceActivityDeps {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly recognizer: SpeechRecognizer;
  readonly synthesizer: SpeechSynthesizer;
  /** The synthesizer's voice for prompts. */
  readonly voice: string;
  readonly audio: AudioLimits;
}

export type HeardAnswer =
  | {
      readonly kind: 'speech';
      readonly text: string;
      readonly confidence: number;
      readonly engine: string;
      /** Share of the speech the recognised words account for (grammar engines). */
      readonly coverage?: number;
    }
  /** No engine here takes free speech: the recording is kept for a person. */
  | { readonly kind: 'recording'; readonly reference: string };

/** A speech engine's failure, classified for the retry policy; anything else is rethrown as it is. */
function engineFailure(error: unknown): unknown {
  if (!(error instanceof AiFailure) && !(error instanceof SpeechEngineFailure)) return error;
  return ApplicationFailure.create({
    type: error.retryable ? voiceFailureTypes.engineUnavailable : voiceFailureTypes.engineRefused,
    message: error instanceof AiFailure ? `${error.kind}: ${error.message}` : error.message,
    nonRetryable: !error.retryable,
  });
}

export function createVoiceActivities(deps: VoiceActivityDeps) {
  const { db, blobs } = deps;
  async function recording(sha256: string) {
    try {
      const bytes = await blobs.get(sha256);
      if (sha256Hex(bytes) !== sha256)
        throw ApplicationFailure.create({
          type: voiceFailureTypes.unreadableAudio,
          message: 'The stored recording no longer matches its digest',
          nonRetryable: true,
        });
      return await decodeAudio(bytes, deps.audio);
    } catch (error) {
      if (error instanceof AudioError || error instanceof BlobNotFoundError) {
        throw ApplicationFailure.create({ type: voiceFailureTypes.unreadableAudio, message: error.message, nonRetryable: true });
      }
      throw error;
    }
  }
  return {
    /** Synthesizes a prompt and stores it; its id (the WAV's SHA-256) is what GET /v1/voice/prompts/:id.wav serves. */
    async speakPrompt({ sessionId, text }: { sessionId: string; text: string }): Promise<{ promptId: string }> {
      let wav: Buffer;
      try {
        wav = await deps.synthesizer.synthesize(text, deps.voice);
      } catch (error) {
        throw engineFailure(error);
      }
      const { sha256 } = await blobs.put(wav);
      await db
        .update(voiceSessions)
        .set({
          prompts: sql`case when ${voiceSessions.prompts} @> ${JSON.stringify([sha256])}::jsonb then ${voiceSessions.prompts} else ${voiceSessions.prompts} || ${JSON.stringify([sha256])}::jsonb end`,
          updatedAt: new Date(),
        })
        .where(eq(voiceSessions.id, sessionId));
      return { promptId: sha256 };
    },

    /** What the caller said: against the grammar, or as free speech where the engine takes it. */
    async recognizeAnswer({ recording: sha256, grammar }: { recording: string; grammar: string | null }): Promise<HeardAnswer> {
      const audio = await recording(sha256);
      if (grammar === null && !deps.recognizer.freeSpeech) return { kind: 'recording', reference: sha256 };
      try {
        const heard = await deps.recognizer.recognize(audio, grammar);
        return {
          kind: 'speech',
          text: heard.text,
          confidence: heard.confidence,
          engine: heard.engine,
          ...(heard.coverage !== undefined ? { coverage: heard.coverage } : {}),
        };
      } catch (error) {
        throw engineFailure(error);
      }
    },

    /** A whole statement as text; only an engine that takes free speech can. */
    async transcribeStatement({ recording: sha256 }: { recording: string }): Promise<{ text: string; confidence: number; engine: string }> {
      const audio = await recording(sha256);
      if (!deps.recognizer.freeSpeech) {
        throw ApplicationFailure.create({
          type: voiceFailureTypes.engineRefused,
          message: `The speech engine here (${deps.recognizer.name}) recognizes answers to questions, not free statements; the recording is kept for an agent.`,
          nonRetryable: true,
        });
      }
      let heard;
      try {
        heard = await deps.recognizer.recognize(audio, null);
      } catch (error) {
        throw engineFailure(error);
      }
      // Silence, noise, or words the engine is unsure of are not a statement anyone may act on: a person
      // listens to the recording instead (the same bar as a caller's description, dialogue.ts).
      if (!/[a-z0-9]/i.test(heard.text) || heard.confidence < descriptionHeardConfidence) {
        throw ApplicationFailure.create({
          type: voiceFailureTypes.engineRefused,
          message: heard.text.trim()
            ? `The recording could not be transcribed with confidence (${heard.confidence} from ${heard.engine}); the recording is kept for a person.`
            : 'Nothing intelligible was heard in the recording; the recording is kept for a person.',
          nonRetryable: true,
        });
      }
      return heard;
    },

    /** The caller's policy in force, or null: a caller can claim only on a policy they hold. */
    async findCallerPolicy({
      callerId,
      policyNumber,
    }: {
      callerId: string;
      policyNumber: string;
    }): Promise<{ currency: string; lineOfBusiness: LineOfBusiness } | null> {
      const [p] = await db
        .select()
        .from(policies)
        .where(and(eq(policies.policyNumber, policyNumber), eq(policies.holderId, callerId)));
      return p && p.status === 'ACTIVE' ? { currency: p.currency, lineOfBusiness: p.lineOfBusiness } : null;
    },

    async saveVoiceSession(update: {
      sessionId: string;
      status: VoiceSessionStatus;
      slots: Record<string, unknown>;
      transcript: readonly Record<string, unknown>[];
      recordings?: readonly string[];
      statusReason?: string | null;
      claimId?: string | null;
    }): Promise<void> {
      await db
        .update(voiceSessions)
        .set({
          status: update.status,
          slots: update.slots,
          transcript: [...update.transcript],
          ...(update.recordings ? { recordings: [...update.recordings] } : {}),
          ...(update.statusReason !== undefined ? { statusReason: update.statusReason } : {}),
          ...(update.claimId !== undefined ? { claimId: update.claimId } : {}),
          updatedAt: new Date(),
        })
        .where(eq(voiceSessions.id, update.sessionId));
    },

    /**
     * Opens the claim the call reported, once: keyed by the session, so a retry returns the same claim.
     * Its workflow is started by the call's workflow, as a child. Calls that say whether the description
     * was heard (from `voice-claim-marked-after-start`) have the record marked started only once the child
     * is (markVoiceClaimStarted): a claim whose start never happened is then started by the API's sweep,
     * with what the call heard. Older calls marked it started here, before the child existed.
     */
    async openVoiceClaim({
      sessionId,
      callerId,
      startedBy,
      policyNumber,
      incidentDate,
      peril,
      amount,
      description,
      descriptionHeard,
    }: {
      sessionId: string;
      callerId: string;
      startedBy: string;
      policyNumber: string;
      incidentDate: string;
      peril: string;
      amount: string;
      description: string;
      /** Absent in calls started before the claim's start was marked after the child's. */
      descriptionHeard?: boolean;
    }): Promise<ClaimRecordForStart> {
      const idempotencyKey = `voice:${sessionId}`;
      const toRecord = (c: typeof claims.$inferSelect): ClaimRecordForStart => ({
        id: c.id,
        reference: c.reference,
        policyNumber: c.policyNumber,
        lineOfBusiness: c.lineOfBusiness,
        peril: c.peril,
        incidentDate: c.incidentDate,
        reportedOn: c.reportedOn,
        claimedMinor: c.claimedMinor,
        currency: c.currency,
        descriptionHeard: c.descriptionHeard,
      });
      // The same service as the API's intake: the policy the caller holds, the amount in its currency's
      // minor units, the date not ahead; once per call.
      const opened = await openClaim(
        db,
        {
          policyNumber,
          holder: callerId,
          submittedBy: startedBy,
          idempotencyKey,
          requestDigest: sha256Hex(Buffer.from(canonicalJson({ sessionId, policyNumber, incidentDate, peril, amount }))),
          peril,
          incidentDate,
          amount,
          description,
          workflowIdOf: claimWorkflowId,
          ...(descriptionHeard === undefined ? { startedWithRow: true } : { descriptionHeard }),
        },
        new Date().toISOString().slice(0, 10),
      );
      if (!opened.ok) {
        const type =
          opened.code === 'POLICY_NOT_FOUND'
            ? voiceFailureTypes.policyNotFound
            : opened.code === 'UNKNOWN_PERIL'
              ? undefined
              : voiceFailureTypes.invalidReport;
        throw ApplicationFailure.create({ ...(type ? { type } : {}), message: opened.problem, nonRetryable: true });
      }
      // Also on a retry: an attempt that opened the claim may have failed before linking the call to it.
      await db.update(voiceSessions).set({ claimId: opened.claim.id, updatedAt: new Date() }).where(eq(voiceSessions.id, sessionId));
      return toRecord(opened.claim);
    },

    /** The claim's workflow exists (the call started it as a child): the API's sweep leaves it alone. */
    async markVoiceClaimStarted({ claimId }: { claimId: string }): Promise<void> {
      await db
        .update(claims)
        .set({ workflowStartedAt: new Date() })
        .where(and(eq(claims.id, claimId), isNull(claims.workflowStartedAt)));
    },
  };
}

export type VoiceActivities = ReturnType<typeof createVoiceActivities>;
