// The underwriting workflow's contract: its input, result, the `status` query and the underwriter's update.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Reason } from '../../domain/decision.ts';
import type { UnderwritingOutcome } from '../../domain/underwriting/decide.ts';

export const underwritingWorkflowType = 'underwritingWorkflow';

export function applicationWorkflowId(applicationId: string): string {
  return `application-${applicationId}`;
}

/** References only: the applicant's details and documents stay in the database. */
export interface UnderwritingInput {
  readonly applicationId: string;
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
  readonly proposal: { readonly outcome: UnderwritingOutcome; readonly premiumMinor: number | null; readonly reasons: readonly Reason[] } | null;
}

export type UnderwriterRole = 'underwriter' | 'senior_underwriter' | 'admin';

export type UnderwriterDecision = (
  | { readonly action: 'accept'; readonly premiumMinor?: number; readonly note?: string }
  | { readonly action: 'decline'; readonly reasonCode: string; readonly note?: string }
) & { readonly underwriter: string; /** Absent in updates sent before authority limits existed. */ readonly role?: UnderwriterRole };

export const applicationStatusQuery = defineQuery<UnderwritingProgress>('status');
export const underwriterDecisionUpdate = defineUpdate<{ readonly status: string }, [UnderwriterDecision]>('underwrite');
