// The facts of a claim that decisions are made from. Personal data (names, contact details, the free
// description) stays in the database and never enters workflow histories or search attributes.
import { addDays } from '../shared/calendar.ts';
import type { Reason } from '../shared/decision.ts';
import { parseAmount, type Money } from '../shared/money.ts';
import type { Peril } from '../shared/perils.ts';

export const claimStatuses = [
  'RECEIVED',
  'VERIFYING_DOCUMENTS',
  'ANALYZING_DOCUMENTS',
  'CHECKING_COVERAGE',
  'IN_REVIEW',
  'AWAITING_DOCUMENTS',
  'APPROVED',
  'PAID',
  'DENIED',
  'WITHDRAWN',
  'CLOSED_INCOMPLETE',
  'REFERRED',
] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

/**
 * Statuses in which the claim is decided: no one is asked anything more. REFERRED ended the first two
 * workflow versions (a person took over outside the engine); later versions wait IN_REVIEW instead.
 * APPROVED ended the first three; later ones pay it (APPROVED while the payment settles, then PAID).
 */
export const settledClaimStatuses: readonly ClaimStatus[] = ['APPROVED', 'PAID', 'DENIED', 'WITHDRAWN', 'CLOSED_INCOMPLETE', 'REFERRED'];

/** Statuses in which the claim waits for a person. */
export const waitingClaimStatuses: readonly ClaimStatus[] = ['IN_REVIEW', 'AWAITING_DOCUMENTS'];

/** Where automation stops: decided, or waiting for people. */
export const restingClaimStatuses: readonly ClaimStatus[] = [...settledClaimStatuses, ...waitingClaimStatuses];

export type ReviewQueue = 'adjusters' | 'senior-adjusters' | 'claimant';

export interface ClaimFacts {
  readonly claimId: string;
  readonly policyNumber: string;
  readonly peril: Peril;
  /** ISO date of the loss. */
  readonly incidentDate: string;
  /** ISO date the claim was reported (first notice of loss). */
  readonly reportedOn: string;
  readonly claimed: Money;
}

export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!isoDatePattern.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** Facts that cannot be right whatever the policy says. Empty when the claim is well-formed. */
export function checkClaimFacts(facts: ClaimFacts): Reason[] {
  const problems: Reason[] = [];
  if (!isIsoDate(facts.incidentDate)) {
    problems.push({ code: 'INVALID_INCIDENT_DATE', message: `'${facts.incidentDate}' is not a calendar date.` });
  } else if (isIsoDate(facts.reportedOn) && facts.incidentDate > facts.reportedOn) {
    problems.push({
      code: 'INCIDENT_IN_FUTURE',
      message: `The incident date ${facts.incidentDate} is after the date the claim was reported (${facts.reportedOn}).`,
    });
  }
  if (!Number.isSafeInteger(facts.claimed.minor) || facts.claimed.minor <= 0) {
    problems.push({ code: 'INVALID_AMOUNT', message: 'The claimed amount must be greater than zero.' });
  }
  return problems;
}

/** A claim as it is reported, before it is recorded: what the claimant (or caller) said it is for. */
export interface ReportedClaim {
  /** A plain decimal amount ("1250.00", or a JSON number), in `currency`. */
  readonly amount: string | number;
  readonly currency: string;
  /** ISO date. */
  readonly incidentDate: string;
}

export type ReportedClaimCheck =
  | { readonly ok: true; readonly claimed: Money; readonly reportedOn: string }
  | { readonly ok: false; readonly code: 'INVALID_AMOUNT' | 'INCIDENT_DATE_IN_FUTURE'; readonly problem: string };

/**
 * The one rule for turning a report into a claim's facts, whichever way it came (the API, a call, an
 * agent): the amount in the currency's minor units (yen have none, dinars three), above zero; the loss
 * not after tomorrow (an incident "today" in a time zone ahead of UTC is tomorrow's date in UTC); the
 * report dated today, or the incident's date when that is later.
 */
export function checkReportedClaim(report: ReportedClaim, today: string): ReportedClaimCheck {
  const amount = parseAmount(report.amount, report.currency);
  if (!amount.ok) return { ok: false, code: 'INVALID_AMOUNT', problem: `claimedAmount: ${amount.problem}.` };
  if (amount.money.minor <= 0) return { ok: false, code: 'INVALID_AMOUNT', problem: 'claimedAmount: must be greater than zero.' };
  if (report.incidentDate > addDays(today, 1))
    return { ok: false, code: 'INCIDENT_DATE_IN_FUTURE', problem: `incidentDate ${report.incidentDate} is in the future.` };
  return { ok: true, claimed: amount.money, reportedOn: report.incidentDate > today ? report.incidentDate : today };
}
