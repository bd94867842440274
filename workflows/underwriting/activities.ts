// The underwriting workflow's activities, each scheduled as its contract says (messages.ts), and the AI's
// assessment, whose failure never fails the application.
import { ActivityFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { DocumentActivities } from '../../activities/documents/index.ts';
import type { UnderwritingActivities } from '../../activities/underwriting/index.ts';
import type { VoiceActivities } from '../../activities/voice/index.ts';
import type { AiOpinion } from '../../domain/underwriting/dispose.ts';
import type { UnderwritingDecision } from '../../domain/underwriting/decide.ts';
import { underwritingActivityOptions as options } from './messages.ts';

export const {
  priceApplication,
  recordApplicationDecision,
  issuePolicy,
  checkApplicationEvidence,
  setApplicationWaiting,
  notifyAboutApplication,
  recordInterviewTranscript,
} = proxyActivities<UnderwritingActivities>(options.record);
export const { assessApplicationWithAi } = proxyActivities<UnderwritingActivities>(options.ai);
export const { analyzeDocument } = proxyActivities<DocumentActivities>(options.evidence);
export const { transcribeStatement } = proxyActivities<VoiceActivities>(options.interview);

/** The AI's proposal, or why there is none: its failure never fails the application, a person takes it. */
export async function assessWithAi(applicationId: string, engine: UnderwritingDecision): Promise<AiOpinion> {
  try {
    return await assessApplicationWithAi.executeWithOptions({ ...options.ai, summary: 'AI assessment (a proposal; the rules dispose)' }, [
      { applicationId, engine: { outcome: engine.outcome, premiumMinor: engine.premiumMinor, reasons: engine.reasons } },
    ]);
  } catch (error) {
    if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
    return { kind: 'unavailable', reason: error.cause?.message ?? error.message };
  }
}
