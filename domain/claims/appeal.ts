// A claimant contests a closed claim's decision: within the appeal period the letter gives, once, with
// their reasons. A different adjuster than the one who decided reviews it (automation never decides an
// appeal): the decision is upheld, or overturned with an amount to pay on top of what was paid. Pure.
import type { ClaimStatus } from './claim.ts';
import type { Reason } from '../shared/decision.ts';
import { displayAmount, type Money } from '../shared/money.ts';
import { findUnstorableText } from '../shared/text.ts';
import { ReviewRejected, type AuthorityLimits, type Reviewer } from '../shared/review.ts';
import type { LetterText } from './letter.ts';

export const maxAppealReasonsLength = 4_000;
const dayMs = 86_400_000;

export interface AppealableClaim {
  readonly status: ClaimStatus;
  readonly closedAt: Date | null;
  readonly claimed: Money;
  /** What has been paid on the claim so far. */
  readonly paid: Money;
  readonly alreadyAppealed: boolean;
}

export type Appealability = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

/** Whether a claimant may appeal now: a closed decision that did not give them all they claimed, inside the period. */
export function checkAppealable(claim: AppealableClaim, now: Date, appealDays: number): Appealability {
  if (claim.alreadyAppealed)
    return { ok: false, code: 'ALREADY_APPEALED', message: 'This claim has been appealed already; the appeal decision is final here.' };
  if (!claim.closedAt)
    return { ok: false, code: 'NOT_DECIDED', message: 'The claim is not closed yet; an appeal is against a final decision.' };
  if (claim.status === 'WITHDRAWN')
    return { ok: false, code: 'NOT_APPEALABLE', message: 'A withdrawn claim cannot be appealed; claim again instead.' };
  if ((claim.status === 'PAID' || claim.status === 'APPROVED') && claim.paid.minor >= claim.claimed.minor)
    return { ok: false, code: 'NOT_APPEALABLE', message: 'The claim was paid in full; there is nothing to appeal.' };
  const deadline = new Date(claim.closedAt.getTime() + appealDays * dayMs);
  if (now > deadline)
    return {
      ok: false,
      code: 'APPEAL_PERIOD_OVER',
      message: `The appeal period of ${appealDays} days ended on ${deadline.toISOString().slice(0, 10)}.`,
    };
  return { ok: true };
}

export type AppealDecision =
  | { readonly action: 'uphold'; readonly note: string; readonly reviewer: Reviewer }
  | { readonly action: 'overturn'; readonly amount: Money; readonly note: string; readonly reviewer: Reviewer };

export interface AppealContext {
  readonly open: boolean;
  /** `user:<id>` of whoever made the decision appealed against, or 'automation'. */
  readonly originalDecidedBy: string;
  readonly claimed: Money;
  readonly paid: Money;
  readonly limits: AuthorityLimits;
}

/** Throws ReviewRejected when the appeal decision cannot stand. */
export function checkAppealDecision(input: AppealDecision, context: AppealContext): void {
  const unstorable = findUnstorableText({ note: input.note });
  if (unstorable) throw new ReviewRejected('INVALID_TEXT', `${unstorable.path} ${unstorable.problem}.`);
  if (!context.open) throw new ReviewRejected('APPEAL_DECIDED', 'The appeal has been decided.');
  if (`user:${input.reviewer.id}` === context.originalDecidedBy)
    throw new ReviewRejected('DECIDED_THE_CLAIM', 'You decided the claim; a different adjuster must review the appeal.');
  if (!input.note.trim()) throw new ReviewRejected('NOTE_REQUIRED', 'Say why: the claimant reads it in the appeal letter.');
  if (input.action === 'uphold') return;
  const { amount } = input;
  if (amount.currency !== context.claimed.currency)
    throw new ReviewRejected('CURRENCY_MISMATCH', `The claim is in ${context.claimed.currency}.`);
  if (!Number.isSafeInteger(amount.minor) || amount.minor <= 0)
    throw new ReviewRejected('INVALID_AMOUNT', 'The amount to pay must be greater than zero.');
  const open = context.claimed.minor - context.paid.minor;
  if (amount.minor > open)
    throw new ReviewRejected(
      'AMOUNT_ABOVE_CLAIM',
      `${displayAmount(amount)} and the ${displayAmount(context.paid)} already paid is more than the ${displayAmount(context.claimed)} claimed.`,
    );
  const limit = context.limits[input.reviewer.role][amount.currency];
  if (limit !== undefined && amount.minor + context.paid.minor > limit)
    throw new ReviewRejected(
      'ABOVE_AUTHORITY',
      `Paying ${displayAmount({ minor: amount.minor + context.paid.minor, currency: amount.currency })} in all is above the ${input.reviewer.role.replace('_', ' ')} limit of ${displayAmount({ minor: limit, currency: amount.currency })}; a senior adjuster must decide.`,
    );
}

/** The reviewer for an appeal: not whoever decided the claim, the one holding fewest open appeals, then by id. */
export function chooseAppealReviewer(candidates: readonly { id: string; openAppeals: number }[], originalDecidedBy: string): string | null {
  const eligible = candidates.filter((c) => `user:${c.id}` !== originalDecidedBy);
  eligible.sort((a, b) => a.openAppeals - b.openAppeals || a.id.localeCompare(b.id));
  return eligible[0]?.id ?? null;
}

export interface AppealLetterFacts {
  readonly claimId: string;
  readonly policyNumber: string;
  readonly addressee: string;
  readonly outcome: 'UPHELD' | 'OVERTURNED';
  /** Paid because of the appeal. */
  readonly paidNow: Money | null;
  readonly payee: string | null;
  readonly reasons: readonly Reason[];
  readonly lodgedOn: string;
  readonly date: string;
}

export function composeAppealLetter(f: AppealLetterFacts): LetterText {
  const ombudsman =
    'If you are still not satisfied, you may take the matter to the insurance ombudsman or the insurance regulator where you live, at no cost to you.';
  const footer = `Claim ${f.claimId} - policy ${f.policyNumber} - appeal decision ${f.date}`;
  const reasons = f.reasons.map((r) => r.message);
  if (f.outcome === 'OVERTURNED')
    return {
      title: 'Your appeal is upheld',
      paragraphs: [
        `Dear ${f.addressee},`,
        `You appealed on ${f.lodgedOn} against our decision on claim ${f.claimId}. An adjuster who had not decided the claim reviewed it, and we have changed our decision.`,
        f.paidNow
          ? `We have paid a further ${displayAmount(f.paidNow)}${f.payee ? ` to the account ${f.payee}` : ''}.`
          : 'We will write to you about the payment.',
      ],
      reasons,
      appeal: ombudsman,
      footer,
    };
  return {
    title: 'Our decision on your appeal',
    paragraphs: [
      `Dear ${f.addressee},`,
      `You appealed on ${f.lodgedOn} against our decision on claim ${f.claimId}. An adjuster who had not decided the claim reviewed it with what you sent, and our decision stands.`,
    ],
    reasons,
    appeal: ombudsman,
    footer,
  };
}
