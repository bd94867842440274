// People decide what automation may not: adjusters approve (within their authority), deny (always with
// a reason), or ask the claimant for documents. These rules check a decision before it is accepted; the
// claim workflow runs them as its update validator, so an invalid decision never enters history.
import { displayAmount, type Money } from './money.ts';
import { findUnstorableText } from './text.ts';

export const reviewerRoles = ['adjuster', 'senior_adjuster', 'admin'] as const;
export type ReviewerRole = (typeof reviewerRoles)[number];

export const denialReasons = {
  NOT_COVERED: 'The loss is not covered by the policy.',
  POLICY_NOT_IN_FORCE: 'The policy was not in force on the date of the loss.',
  EXCLUSION_APPLIES: 'An exclusion in the policy applies to this loss.',
  BELOW_DEDUCTIBLE: 'The loss does not exceed the deductible.',
  INSUFFICIENT_EVIDENCE: 'The evidence provided does not support the claim.',
  MISREPRESENTATION: 'Information given for the claim or the policy was materially incorrect.',
  DUPLICATE_CLAIM: 'This loss has already been claimed.',
  FRAUD_SUSPECTED: 'The claim shows signs of fraud that were confirmed on review.',
} as const;
export type DenialReason = keyof typeof denialReasons;

export type ReviewAction =
  | { readonly action: 'approve'; readonly amount: Money; readonly note?: string }
  | { readonly action: 'deny'; readonly reasonCode: DenialReason; readonly note?: string }
  | { readonly action: 'request_documents'; readonly documents: readonly string[]; readonly note?: string };

export interface Reviewer {
  readonly role: ReviewerRole;
  readonly id: string;
}

export type ReviewDecisionInput = ReviewAction & { readonly reviewer: Reviewer };

/**
 * How much each role may approve on one claim, in minor units per currency. A currency missing from a
 * role's table means no limit for that role (senior adjusters and admins have none by default).
 */
export type AuthorityLimits = Readonly<Record<ReviewerRole, Readonly<Record<string, number>>>>;

export const defaultAuthorityLimits: AuthorityLimits = {
  adjuster: {
    EUR: 10_000_00,
    USD: 10_000_00,
    GBP: 8_000_00,
    MYR: 40_000_00,
    CHF: 10_000_00,
    SGD: 15_000_00,
    SEK: 100_000_00,
    JPY: 1_500_000,
  },
  senior_adjuster: {},
  admin: {},
};

export interface ReviewContext {
  /** What the claim is waiting for: only a claim in review takes a decision. */
  readonly awaiting: 'review' | 'documents' | 'nothing';
  readonly claimed: Money;
  /** Most the policy pays for this loss (after deductible, capped at the limit); null when not assessed. */
  readonly maximumPayable: Money | null;
  /** The rules found no cover: approving is an override, and an override must say why. */
  readonly proposedDenial: boolean;
  readonly limits: AuthorityLimits;
}

export class ReviewRejected extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ReviewRejected';
    this.code = code;
  }
}

/** Throws ReviewRejected (with a stable code and a message for the adjuster) when the decision cannot stand. */
export function checkReviewDecision(input: ReviewDecisionInput, context: ReviewContext): void {
  // A note or a document's name the record cannot keep would fail its recording at every retry.
  const unstorable = findUnstorableText({
    note: input.note,
    documents: input.action === 'request_documents' ? input.documents : undefined,
  });
  if (unstorable) throw new ReviewRejected('INVALID_TEXT', `${unstorable.path} ${unstorable.problem}.`);
  if (!(reviewerRoles as readonly string[]).includes(input.reviewer.role)) {
    throw new ReviewRejected('NOT_A_REVIEWER', `Role ${input.reviewer.role} cannot decide claims.`);
  }
  if (context.awaiting !== 'review') {
    throw new ReviewRejected(
      'NOT_AWAITING_REVIEW',
      context.awaiting === 'documents'
        ? 'The claim is waiting for documents from the claimant.'
        : 'The claim is not waiting for a decision.',
    );
  }
  switch (input.action) {
    case 'approve': {
      const { amount } = input;
      if (amount.currency !== context.claimed.currency) {
        throw new ReviewRejected('CURRENCY_MISMATCH', `The claim is in ${context.claimed.currency}, not ${amount.currency}.`);
      }
      if (!Number.isSafeInteger(amount.minor) || amount.minor <= 0) {
        throw new ReviewRejected('INVALID_AMOUNT', 'An approved amount must be greater than zero.');
      }
      if (amount.minor > context.claimed.minor) {
        throw new ReviewRejected(
          'AMOUNT_ABOVE_CLAIM',
          `${displayAmount(amount)} is more than the ${displayAmount(context.claimed)} claimed.`,
        );
      }
      if (context.maximumPayable && amount.minor > context.maximumPayable.minor) {
        throw new ReviewRejected(
          'AMOUNT_ABOVE_POLICY',
          `${displayAmount(amount)} is more than the policy pays for this loss (${displayAmount(context.maximumPayable)}).`,
        );
      }
      if (context.proposedDenial && !input.note?.trim()) {
        throw new ReviewRejected(
          'OVERRIDE_REASON_REQUIRED',
          'The rules found no cover for this loss; approving it needs a note saying why.',
        );
      }
      const limit = context.limits[input.reviewer.role][amount.currency];
      if (limit !== undefined && amount.minor > limit) {
        throw new ReviewRejected(
          'ABOVE_AUTHORITY',
          `${displayAmount(amount)} is above the ${input.reviewer.role.replace('_', ' ')} limit of ${displayAmount({ minor: limit, currency: amount.currency })}; a senior adjuster must approve it.`,
        );
      }
      return;
    }
    case 'deny':
      if (!(input.reasonCode in denialReasons)) {
        throw new ReviewRejected('UNKNOWN_REASON', `Deny with one of: ${Object.keys(denialReasons).join(', ')}.`);
      }
      return;
    case 'request_documents':
      if (input.documents.length === 0 || input.documents.some((d) => d.trim() === '')) {
        throw new ReviewRejected('NO_DOCUMENTS_NAMED', 'Say which documents the claimant should send.');
      }
      return;
    default:
      throw new ReviewRejected('UNKNOWN_ACTION', 'Decide with approve, deny or request_documents.');
  }
}

/** An adjuster sends a claim in review up to the senior adjusters (above their authority, or a call they should not make alone). */
export interface ReferralInput {
  readonly reviewer: Reviewer;
  /** Why, for the senior adjuster: required. */
  readonly note: string;
}

/** Throws ReviewRejected when the claim cannot be sent to the senior adjusters now. */
export function checkReferral(
  input: ReferralInput,
  context: { readonly awaiting: ReviewContext['awaiting']; readonly queue: string | null },
): void {
  const unstorable = findUnstorableText({ note: input.note });
  if (unstorable) throw new ReviewRejected('INVALID_TEXT', `${unstorable.path} ${unstorable.problem}.`);
  if (input.reviewer.role !== 'adjuster') {
    throw new ReviewRejected(
      'NOT_AN_ADJUSTER',
      'Only an adjuster sends a claim to the senior adjusters; senior adjusters and admins decide it.',
    );
  }
  if (!input.note.trim()) throw new ReviewRejected('NOTE_REQUIRED', 'Say why the claim needs a senior adjuster.');
  if (context.awaiting !== 'review') throw new ReviewRejected('NOT_AWAITING_REVIEW', 'The claim is not waiting for a decision.');
  if (context.queue === 'senior-adjusters')
    throw new ReviewRejected('ALREADY_WITH_SENIORS', 'The claim already waits for a senior adjuster.');
}

/** Service levels for the human steps, in milliseconds; configuration, carried in each claim's input. */
export interface ServiceLevels {
  /** A reminder to the review queue when a claim has waited this long. */
  readonly reviewReminderMs: number;
  /** Then escalation to senior adjusters. */
  readonly reviewEscalationMs: number;
  /** Reminders to the claimant while documents are outstanding, this often. */
  readonly documentsReminderMs: number;
  /** Closed as incomplete when documents have not come by then. */
  readonly documentsDeadlineMs: number;
}

const hour = 3_600_000;
export const defaultServiceLevels: ServiceLevels = {
  reviewReminderMs: 24 * hour,
  reviewEscalationMs: 72 * hour,
  documentsReminderMs: 7 * 24 * hour,
  documentsDeadlineMs: 30 * 24 * hour,
};

/** The reminder and escalation levels of a review, for any case people decide (claims, applications). */
export function escalationLevels(levels: ServiceLevels = defaultServiceLevels): {
  readonly reminderMs: number;
  readonly escalationMs: number;
} {
  return { reminderMs: levels.reviewReminderMs, escalationMs: levels.reviewEscalationMs };
}
