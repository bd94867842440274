// The underwriting workflow's contract: its input, result, the `status` query, the underwriter's update,
// the failure types its activities raise and how each activity is scheduled.
import type { ActivityOptions } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { documentReadingRetry } from '../../platform/temporal/document-reading.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { aiActivityOptions, untilTheDatabaseAnswers } from '../activity-options.ts';
import { voiceFailureTypes } from '../voice/messages.ts';
import type { Reason } from '../../domain/shared/decision.ts';
import type { UnderwritingOutcome } from '../../domain/underwriting/decide.ts';

export const underwritingWorkflowType = 'underwritingWorkflow';

export function applicationWorkflowId(applicationId: string): string {
  return `application-${applicationId}`;
}

/** References only: the applicant's details and documents stay in the database. */
export interface UnderwritingInput {
  readonly applicationId: string;
  /** The product's code (domain/underwriting/products); absent in runs from before there were two: motorcycle. */
  readonly product?: string;
  /** Evidence sent with the application, read on the documents queue (absent before evidence existed). */
  readonly documentIds?: readonly string[];
  /** A recorded interview (blob SHA-256), transcribed for the assessment (absent before interviews existed). */
  readonly interview?: string;
  /** How long a referral may wait before underwriters are reminded, then senior underwriters take it. */
  readonly serviceLevels?: { readonly reminderMs: number; readonly escalationMs: number };
}

export interface UnderwritingResult {
  readonly applicationId: string;
  readonly status: 'ISSUED' | 'DECLINED';
  readonly policyNumber: string | null;
  readonly premiumMinor: number | null;
  readonly reasons: readonly Reason[];
}

export interface UnderwritingProgress {
  readonly status: 'READING_EVIDENCE' | 'ASSESSING' | 'IN_REVIEW' | 'ISSUING' | 'ISSUED' | 'DECLINED';
  /** Evidence documents read so far (absent in the first version). */
  readonly documents?: { readonly total: number; readonly done: number; readonly failed: number };
  /** While IN_REVIEW: whose queue. */
  readonly queue?: 'underwriters' | 'senior-underwriters';
  readonly proposal: {
    readonly outcome: UnderwritingOutcome;
    readonly premiumMinor: number | null;
    readonly reasons: readonly Reason[];
  } | null;
}

export type UnderwriterRole = 'underwriter' | 'senior_underwriter' | 'admin';

export type UnderwriterDecision = (
  | { readonly action: 'accept'; readonly premiumMinor?: number; readonly note?: string }
  | { readonly action: 'decline'; readonly reasonCode: string; readonly note?: string }
) & { readonly underwriter: string; /** Absent in updates sent before authority limits existed. */ readonly role?: UnderwriterRole };

export const applicationStatusQuery = defineQuery<UnderwritingProgress>('status');
export const underwriterDecisionUpdate = defineUpdate<{ readonly status: string }, [UnderwriterDecision]>('underwrite');

/** Failure types the underwriting activities raise when the facts are wrong, which no retry can fix. */
export const underwritingFailureTypes = {
  applicationNotFound: 'ApplicationNotFound',
} as const;

const { applicationNotFound } = underwritingFailureTypes;

/** How each of the underwriting workflow's activities is scheduled, and why so. */
export const underwritingActivityOptions = {
  // Pricing, records, issuing and notices: quick, retried while the database is away; a missing
  // application is a fact, not an outage.
  record: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '30 seconds',
    retry: untilTheDatabaseAnswers(applicationNotFound),
  },
  // The AI: retried briefly, then the application goes to a person (aiActivityOptions).
  ai: aiActivityOptions(taskQueues.claims, applicationNotFound),
  // Evidence is read like claim documents: seconds per page, heartbeating; a file no retry can fix fails
  // at once, and the application goes to an underwriter with the reason.
  evidence: {
    taskQueue: taskQueues.documents,
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: '1 minute',
    scheduleToCloseTimeout: '1 hour',
    retry: documentReadingRetry,
  },
  // An interview is minutes of audio: transcription gets minutes, and a few tries.
  interview: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: '15 minutes',
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: 4,
      nonRetryableErrorTypes: [voiceFailureTypes.unreadableAudio, voiceFailureTypes.engineRefused],
    },
  },
} satisfies Record<string, ActivityOptions>;
