// The underwriting workflow's contract: its input, result, the `status` query and the underwriter's update.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Reason } from '../../domain/decision.ts';
import type { UnderwritingOutcome } from '../../domain/underwriting/decide.ts';

export const underwritingWorkflowType = 'underwritingWorkflow';

export function applicationWorkflowId(applicationId: string): string {
  return `application-${applicationId}`;
}

/** A reference only: the applicant's details stay in the database. */
export interface UnderwritingInput {
  readonly applicationId: string;
}

export interface UnderwritingResult {
  readonly applicationId: string;
  readonly status: 'ISSUED' | 'DECLINED';
  readonly policyNumber: string | null;
  readonly premiumMinor: number | null;
  readonly reasons: readonly Reason[];
}

export interface UnderwritingProgress {
  readonly status: 'ASSESSING' | 'IN_REVIEW' | 'ISSUING' | 'ISSUED' | 'DECLINED';
  readonly proposal: { readonly outcome: UnderwritingOutcome; readonly premiumMinor: number | null; readonly reasons: readonly Reason[] } | null;
}

export type UnderwriterDecision =
  | { readonly action: 'accept'; readonly premiumMinor?: number; readonly note?: string; readonly underwriter: string }
  | { readonly action: 'decline'; readonly reasonCode: string; readonly note?: string; readonly underwriter: string };

export const applicationStatusQuery = defineQuery<UnderwritingProgress>('status');
export const underwriterDecisionUpdate = defineUpdate<{ readonly status: string }, [UnderwriterDecision]>('underwrite');
