// What the claim workflow knows while it runs, in one place: what it reports (the `status` query, the
// search attributes, the Web UI's current details) and what its message handlers leave for the main
// line to take (documents added, adjusters' decisions, a withdrawal).
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { ClaimStatus, ReviewQueue } from '../../domain/claims/claim.ts';
import type { CoverageAssessment } from '../../domain/claims/coverage.ts';
import { displayAmount } from '../../domain/shared/money.ts';
import type { ReferralInput, ReviewDecisionInput, ReviewRejected } from '../../domain/shared/review.ts';
import { ClaimQueueKey, ClaimStatusKey } from '../../platform/temporal/search-attributes.ts';
import type { ClaimOutcome, ClaimProgress, WithdrawalInput } from './messages.ts';

const queueNames: Record<ReviewQueue, string> = {
  adjusters: 'an adjuster',
  'senior-adjusters': 'a senior adjuster',
  claimant: 'documents from the claimant',
};

/** An adjuster's decision waiting for the workflow, in review, to take it; answered through `result` or `refusal`. */
export interface ReviewTicket {
  readonly input: ReviewDecisionInput;
  result?: { status: ClaimStatus };
  refusal?: ReviewRejected;
}

/** An adjuster's referral to the senior adjusters, waiting for the workflow to move the claim. */
export interface ReferralTicket {
  readonly input: ReferralInput;
  done?: boolean;
  /** Set when the referral could not be recorded; the claim stays where it was. */
  refusal?: ReviewRejected;
}

/** The state every step reports through: the `status` query, the search attributes, current details. */
export class ClaimState {
  status: ClaimStatus = 'RECEIVED';
  step = 'Received';
  waitingFor: string | null = null;
  outcome: ClaimOutcome | null = null;
  queue: ReviewQueue | null = null;
  waitingSince: string | null = null;
  /** Closing (reserve released, letter being written) and closed: nothing more can be asked of it. */
  closing = false;
  closed = false;
  readonly documents = { total: 0, done: 0, failed: 0 };
  readonly claimId: string;

  /** Every document id the claim has, and those not read yet (the signal adds to both). */
  readonly known: Set<string>;
  readonly pending: string[];
  /** Adjusters' decisions, taken in order when the claim is in review. */
  readonly reviews: ReviewTicket[] = [];
  /** Referrals to the senior adjusters, taken while the claim waits in review. */
  readonly referrals: ReferralTicket[] = [];
  /** The claimant's withdrawal, taken at the next step boundary. */
  withdrawal: WithdrawalInput | null = null;
  /** From the settlement version on: reserves, payouts, letters and withdrawal. */
  settlement = false;
  paymentSettled = false;
  payments = 0;
  /** The latest coverage assessment: what an adjuster may approve up to, or whether denial is proposed. */
  coverage: CoverageAssessment | null = null;

  constructor(claimId: string, documentIds: readonly string[]) {
    this.claimId = claimId;
    this.documents.total = documentIds.length;
    this.known = new Set(documentIds);
    this.pending = [...documentIds];
  }

  readonly withdrawn = (): boolean => this.withdrawal !== null;

  /** Documents added by the signal: each new id once, read before anything more is decided. */
  addDocuments(documentIds: readonly string[]): void {
    for (const id of documentIds) {
      if (this.known.has(id)) continue;
      this.known.add(id);
      this.pending.push(id);
      this.documents.total++;
    }
  }

  /** A document's place on the claim (1-based), for the activity's summary. */
  positionOf(documentId: string): number {
    return [...this.known].indexOf(documentId) + 1;
  }

  progress(): ClaimProgress {
    return {
      claimId: this.claimId,
      status: this.status,
      step: this.step,
      waitingFor: this.waitingFor,
      documents: { ...this.documents },
      outcome: this.outcome,
      queue: this.queue,
      waitingSince: this.waitingSince,
    };
  }

  enter(status: ClaimStatus, step: string, waitingFor: string | null, details?: string): void {
    if (status !== this.status) upsertSearchAttributes([{ key: ClaimStatusKey, value: status }]);
    this.status = status;
    this.step = step;
    this.waitingFor = waitingFor;
    setCurrentDetails(details ?? `**${step}**${waitingFor ? `\n\nWaiting for: ${waitingFor}` : ''}`);
  }

  /** Waiting for people: the queue is a search attribute, so each queue is a Web UI filter. */
  wait(status: ClaimStatus, queue: ReviewQueue, since: string, note: string): void {
    if (queue !== this.queue) upsertSearchAttributes([{ key: ClaimQueueKey, value: queue }]);
    this.queue = queue;
    this.waitingSince = since;
    const readable = `${since.slice(0, 16).replace('T', ' ')} UTC`;
    this.enter(
      status,
      status === 'AWAITING_DOCUMENTS' ? 'Waiting for documents' : 'In review',
      `${queueNames[queue]} since ${readable}`,
      `**Waiting for ${queueNames[queue]}** since ${readable}${note ? `\n\n${note}` : ''}`,
    );
  }

  decided(outcome: ClaimOutcome): void {
    this.outcome = outcome;
    if (this.queue !== null) upsertSearchAttributes([{ key: ClaimQueueKey, value: null }]);
    this.queue = null;
    this.waitingSince = null;
    const why = outcome.reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n');
    if (outcome.status === 'PAID' && outcome.payable) {
      this.enter('PAID', `Paid: ${displayAmount(outcome.payable)}`, null);
    } else if (outcome.status === 'WITHDRAWN') {
      this.enter('WITHDRAWN', 'Withdrawn by the claimant', null, `**Withdrawn by the claimant**\n\n${why}`);
    } else if (outcome.status === 'APPROVED' && outcome.payable) {
      this.enter('APPROVED', `Approved: ${displayAmount(outcome.payable)} payable`, null);
    } else if (outcome.status === 'DENIED') {
      this.enter('DENIED', 'Denied', null, `**Denied**\n\n${why}`);
    } else if (outcome.status === 'CLOSED_INCOMPLETE') {
      this.enter('CLOSED_INCOMPLETE', 'Closed: documents not received', null, `**Closed: documents not received**\n\n${why}`);
    } else {
      this.enter('REFERRED', 'Referred to an adjuster', null, `**Referred to an adjuster**\n\n${why}`);
    }
  }
}
