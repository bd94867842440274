// The claim workflow's contract with its clients: its input, its result, and the `status` query.
// Shared by the workflow, the API and tests.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AutomationPolicy } from '../../domain/automation.ts';
import type { ClaimStatus, ReviewQueue } from '../../domain/claim.ts';
import type { Reason } from '../../domain/decision.ts';
import type { Flag } from '../../domain/documents/reconcile.ts';
import type { Money } from '../../domain/money.ts';
import type { LineOfBusiness, Peril } from '../../domain/perils.ts';
import type { AuthorityLimits, ReviewDecisionInput, ServiceLevels } from '../../domain/review.ts';

export const claimWorkflowType = 'claimWorkflow';

export function claimWorkflowId(claimId: string): string {
  return `claim-${claimId}`;
}

/** Decision facts and document references only: personal data stays in the database. */
export interface ClaimWorkflowInput {
  readonly claimId: string;
  readonly policyNumber: string;
  readonly lineOfBusiness: LineOfBusiness;
  readonly peril: Peril;
  readonly incidentDate: string;
  readonly reportedOn: string;
  readonly claimed: Money;
  readonly documentIds: readonly string[];
  /**
   * Who may decide what on this claim, fixed when it starts: people's service levels and authority
   * (absent before human review existed) and automation's authority (absent before automation limits).
   */
  readonly review?: ClaimDecisionRules;
  /** False for a claim reported by voice whose description nobody has heard (absent: written, so read). */
  readonly descriptionHeard?: boolean;
}

export interface ClaimDecisionRules {
  readonly serviceLevels: ServiceLevels;
  readonly authorityLimits: AuthorityLimits;
  readonly automation?: AutomationPolicy;
}

export interface ClaimOutcome {
  readonly claimId: string;
  readonly status: ClaimStatus;
  readonly payable: Money | null;
  readonly reasons: readonly Reason[];
  /** What reconciling the documents with the claim found (absent in the first workflow version). */
  readonly flags?: readonly Flag[];
}

export interface ClaimProgress {
  readonly claimId: string;
  readonly status: ClaimStatus;
  /** What the workflow is doing, in words. */
  readonly step: string;
  /** What it is waiting for, or null when it is not waiting. */
  readonly waitingFor: string | null;
  /** Documents read (or, in the first workflow version, verified) so far, and those that could not be. */
  readonly documents: { readonly total: number; readonly done: number; readonly failed: number };
  readonly outcome: ClaimOutcome | null;
  /** Whom the claim waits for and since when (ISO time), while it waits for people. */
  readonly queue?: ReviewQueue | null;
  readonly waitingSince?: string | null;
}

export const claimStatusQuery = defineQuery<ClaimProgress>('status');

/** An adjuster's decision on a claim in review; the validator refuses it before it enters history. */
export const decideUpdate = defineUpdate<{ readonly status: ClaimStatus }, [ReviewDecisionInput]>('decide');

/** Documents added to a claim while it is being assessed (already stored and recorded by the API). */
export const addDocumentsSignal = defineSignal<[{ readonly documentIds: readonly string[] }]>('addDocuments');

export interface WithdrawalInput {
  /** The claimant (principal subject) who withdraws. */
  readonly by: string;
  readonly reason?: string;
}

/**
 * The claimant withdraws an open claim; whatever was begun is compensated (a payment not yet settled
 * is stopped). Answers once the claim is closed: WITHDRAWN, or PAID if the payment settled first.
 */
export const withdrawUpdate = defineUpdate<{ readonly status: ClaimStatus }, [WithdrawalInput]>('withdraw');
