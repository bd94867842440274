// The claim workflow's contracts: with its clients (input, result, the `status` query, the signal and
// updates), shared by the workflow, the API and tests; and with its activities (the failure types they
// raise that no retry can mend, and the timeouts and retries each is scheduled with).
import type { ActivityOptions } from '@temporalio/common';
import { ActivityCancellationType, defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { documentFailureTypes, documentReadingRetry } from '../../platform/temporal/document-reading.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { untilTheDatabaseAnswers } from '../activity-options.ts';
import type { AutomationPolicy } from '../../domain/claims/automation.ts';
import type { ClaimStatus, ReviewQueue } from '../../domain/claims/claim.ts';
import type { Reason } from '../../domain/shared/decision.ts';
import type { Flag } from '../../domain/documents/reconcile.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { LineOfBusiness, Peril } from '../../domain/shared/perils.ts';
import type { AuthorityLimits, ReferralInput, ReviewDecisionInput, ServiceLevels } from '../../domain/shared/review.ts';

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

/** An adjuster sends a claim in review to the senior adjusters, with a note; the validator refuses it otherwise. */
export const referToSeniorUpdate = defineUpdate<{ readonly status: ClaimStatus; readonly queue: ReviewQueue | null }, [ReferralInput]>(
  'referToSenior',
);

/** Documents added to a claim while it is being assessed (already stored and recorded by the API). */
export const addDocumentsSignal = defineSignal<[{ readonly documentIds: readonly string[] }]>('addDocuments');

export interface WithdrawalInput {
  /** Who withdraws (principal subject): the claimant, or an admin on their behalf. */
  readonly by: string;
  /** Absent in withdrawals sent before admins' were told apart: the claimant's. */
  readonly role?: 'claimant' | 'admin';
  readonly reason?: string;
}

/**
 * The claimant withdraws an open claim; whatever was begun is compensated (a payment not yet settled
 * is stopped). Answers once the claim is closed: WITHDRAWN, or PAID if the payment settled first.
 */
export const withdrawUpdate = defineUpdate<{ readonly status: ClaimStatus }, [WithdrawalInput]>('withdraw');

/** Failure types the claim's activities raise when the facts are wrong, which no retry can fix. */
export const claimFailureTypes = {
  policyNotFound: 'PolicyNotFound',
  claimNotFound: 'ClaimNotFound',
  paymentNotFound: 'PaymentNotFound',
  /** The claimant has no payout account on record: a person asks for one. */
  payoutAccountMissing: 'PayoutAccountMissing',
  /** The gateway refused the payout (a closed account, a bad one): a person decides what now. */
  paymentRejected: 'PaymentRejected',
} as const;

const { policyNotFound, claimNotFound, paymentNotFound, payoutAccountMissing, paymentRejected } = claimFailureTypes;

/** How each of the claim workflow's activities is scheduled, and why so. */
export const claimActivityOptions = {
  // Reads of the business record: quick, and retried without limit while the database is unreachable
  // (the pending activity shows the attempts in the Web UI); a missing policy is a fact, not an outage.
  loadPolicy: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '5 seconds',
    retry: {
      initialInterval: '200 milliseconds',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      nonRetryableErrorTypes: [policyNotFound],
    },
  },
  // Writes to the business record must happen eventually, however long the database is away.
  record: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '10 seconds',
    retry: untilTheDatabaseAnswers(claimNotFound),
  },
  // First version: CPU-light integrity check on the documents queue.
  verifyDocument: {
    taskQueue: taskQueues.documents,
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: '30 minutes',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: 5,
      nonRetryableErrorTypes: [documentFailureTypes.notFound],
    },
  },
  // Reading a document: seconds per page, up to the page limit. It heartbeats at least every 5 seconds,
  // so a worker that dies is noticed within a minute and the document goes to another. A file that cannot
  // be read fails at once (no retry helps); an engine crash is retried twice, then a person takes over.
  analyzeDocument: {
    taskQueue: taskQueues.documents,
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: '1 minute',
    // A cancelled claim waits until its documents have really stopped being read.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    scheduleToCloseTimeout: '2 hours',
    retry: documentReadingRetry,
  },
  // Money: retried until the gateway answers, with the same idempotency key, so never paid twice; a
  // refusal (no account, a bad one) is final and goes to a person.
  payment: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      nonRetryableErrorTypes: [claimNotFound, paymentNotFound, payoutAccountMissing, paymentRejected],
    },
  },
  letter: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [claimNotFound] },
  },
  // Reads of the claims store and a model: quick, retried while the database is away.
  fraud: {
    taskQueue: taskQueues.claims,
    startToCloseTimeout: '30 seconds',
    retry: untilTheDatabaseAnswers(claimNotFound),
  },
} satisfies Record<string, ActivityOptions>;
