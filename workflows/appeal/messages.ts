// The appeal workflow's contract: its input, the reviewer's decision (an update the validator checks),
// and what it reports.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AppealDecision } from '../../domain/claims/appeal.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { AuthorityLimits, ServiceLevels } from '../../domain/shared/review.ts';

export interface AppealWorkflowInput {
  readonly appealId: string;
  readonly claimId: string;
  /** 'automation' or `user:<id>`: who made the decision appealed against (they may not decide the appeal). */
  readonly originalDecidedBy: string;
  /** The reviewer the appeal was assigned to. */
  readonly assignee: string | null;
  readonly claimed: Money;
  readonly paid: Money;
  readonly serviceLevels: ServiceLevels;
  readonly authorityLimits: AuthorityLimits;
}

export interface AppealProgress {
  readonly status: 'OPEN' | 'UPHELD' | 'OVERTURNED';
  readonly step: string;
  readonly queue: 'adjusters' | 'senior-adjusters' | null;
}

export const appealWorkflowId = (claimId: string) => `appeal-${claimId}`;

export const appealStatusQuery = defineQuery<AppealProgress>('status');

export const decideAppealUpdate = defineUpdate<{ readonly status: 'UPHELD' | 'OVERTURNED' }, [AppealDecision]>('decideAppeal');
