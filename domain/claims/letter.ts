// What a decision letter says, in plain words: the outcome, the amount, the reasons, and how to appeal.
// Pure, so every outcome's wording is tested without rendering a PDF.
import type { Reason } from '../shared/decision.ts';
import { displayAmount, type Money } from '../shared/money.ts';
import { isPeril, perilNames } from '../shared/perils.ts';

export type LetterOutcome = 'PAID' | 'APPROVED' | 'DENIED' | 'WITHDRAWN' | 'CLOSED_INCOMPLETE';

export interface LetterFacts {
  readonly claimId: string;
  readonly policyNumber: string;
  readonly addressee: string;
  readonly peril: string;
  readonly incidentDate: string;
  readonly claimed: Money;
  readonly outcome: LetterOutcome;
  /** What was paid (or is payable), when anything is. */
  readonly amount: Money | null;
  /** The masked account it was paid to. */
  readonly payee: string | null;
  readonly reasons: readonly Reason[];
  /** 'automation' or the adjuster's id. */
  readonly decidedBy: string;
  /** ISO date of the letter. */
  readonly date: string;
  /** Days the claimant has to appeal. */
  readonly appealDays: number;
}

export interface LetterText {
  readonly title: string;
  readonly paragraphs: readonly string[];
  /** The reasons, one line each. */
  readonly reasons: readonly string[];
  readonly appeal: string | null;
  readonly footer: string;
}

/** Codes that explain the letter's outcome but mean nothing to a claimant. */
const internalCodes = new Set(['REVIEWER_NOTE']);

const perilWords = (peril: string) => (isPeril(peril) ? perilNames[peril] : peril.replace(/_/g, ' '));

export function composeDecisionLetter(f: LetterFacts): LetterText {
  const about = `your ${perilWords(f.peril)} claim of ${f.incidentDate} under policy ${f.policyNumber}, for ${displayAmount(f.claimed)}`;
  const by = f.decidedBy === 'automation' ? 'Our claims system decided it under our published rules.' : 'A claims adjuster decided it.';
  const reasons = f.reasons.filter((r) => !internalCodes.has(r.code)).map((r) => r.message);
  const partial = f.amount !== null && f.amount.currency === f.claimed.currency && f.amount.minor < f.claimed.minor;
  const appealWindow = `within ${f.appealDays} days of this letter`;
  const appealHow = `reply to this letter quoting ${f.claimId} and tell us what you disagree with and why, with any document that supports it. A different adjuster will review the claim and answer you in writing. If you are still not satisfied, you may take the matter to the insurance ombudsman or the insurance regulator where you live, at no cost to you.`;
  switch (f.outcome) {
    case 'PAID':
    case 'APPROVED':
      return {
        title: 'Your claim is approved',
        paragraphs: [
          `Dear ${f.addressee},`,
          `We have approved ${about}.`,
          f.outcome === 'PAID'
            ? `We have paid ${displayAmount(f.amount!)}${f.payee ? ` to the account ${f.payee}` : ''}.`
            : `We will pay ${displayAmount(f.amount!)}${f.payee ? ` to the account ${f.payee}` : ''}.`,
          by,
        ],
        reasons,
        appeal: partial ? `We paid less than you claimed. If you disagree with the amount, ${appealWindow} ${appealHow}` : null,
        footer: footer(f),
      };
    case 'DENIED':
      return {
        title: 'We cannot pay your claim',
        paragraphs: [`Dear ${f.addressee},`, `We have reviewed ${about}, and we cannot pay it.`, by],
        reasons,
        appeal: `If you disagree, ${appealWindow} ${appealHow}`,
        footer: footer(f),
      };
    case 'WITHDRAWN':
      return {
        title: 'Your claim is withdrawn',
        paragraphs: [
          `Dear ${f.addressee},`,
          `As you asked, we have withdrawn ${about}. Nothing has been paid, and anything that was on its way to you has been stopped.`,
          'You may claim again for the same loss if you change your mind, within the time your policy allows.',
        ],
        reasons,
        appeal: null,
        footer: footer(f),
      };
    case 'CLOSED_INCOMPLETE':
      return {
        title: 'Your claim is closed',
        paragraphs: [`Dear ${f.addressee},`, `We have closed ${about}, because we did not receive the documents we asked for.`],
        reasons,
        appeal: `The claim can be reopened: ${appealWindow} send the documents, quoting ${f.claimId}, and we will assess it again. If you disagree with the closure, ${appealHow}`,
        footer: footer(f),
      };
  }
}

function footer(f: LetterFacts): string {
  return `Claim ${f.claimId} - policy ${f.policyNumber} - ${f.date}`;
}
