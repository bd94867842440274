// Does a confidence mean what it says? Of the fields given confidence >= t, the share that is right; and
// the lowest threshold at which that share reaches a target, chosen on some folds and measured on the fold
// left out, so the figure quoted is on receipts the threshold was not chosen on.
//
// Two senses of right for a total: `right`, the amount exactly as the ground truth has it; and `safe`, not
// above the true total by more than the tolerance reconciliation allows, which is what automation needs
// from a total (a total read too low refers the claim to a person; only one read too high could pay more
// than the receipt shows).
import { amountTolerance } from '../../domain/documents/reconcile.ts';

export interface Scored {
  readonly id: string;
  readonly fold: number;
  readonly confidence: number;
  readonly right: boolean;
  readonly safe: boolean;
}

export type Sense = 'right' | 'safe';

export function calibrationTable(scored: readonly Scored[], width = 0.1): { label: string; count: number; right: number; safe: number }[] {
  const bands: { label: string; count: number; right: number; safe: number }[] = [];
  for (let from = 0; from < 1 - 1e-9; from += width) {
    const to = from + width;
    const last = to >= 1 - 1e-9;
    const inBand = scored.filter((s) => s.confidence >= from - 1e-9 && (last ? s.confidence <= 1 : s.confidence < to - 1e-9));
    bands.push({
      label: `${from.toFixed(1)}-${last ? '1.0' : `<${to.toFixed(1)}`}`,
      count: inBand.length,
      right: inBand.filter((s) => s.right).length,
      safe: inBand.filter((s) => s.safe).length,
    });
  }
  return bands;
}

/** The lowest threshold at which the fields accepted (confidence >= it) are right at least `target` of the time. */
export function chooseThreshold(scored: readonly Scored[], target: number, sense: Sense = 'right'): number | null {
  const candidates = [...new Set(scored.map((s) => s.confidence))].sort((a, b) => a - b);
  for (const t of candidates) {
    const accepted = scored.filter((s) => s.confidence >= t);
    if (accepted.length > 0 && accepted.filter((s) => s[sense]).length / accepted.length >= target) return t;
  }
  return null;
}

export interface CrossValidated {
  readonly folds: readonly { fold: number; threshold: number | null; accepted: number; right: number }[];
  readonly accepted: number;
  readonly right: number;
  /** Of the accepted fields, the share right, over every fold's held-out part. */
  readonly precision: number;
  /** Accepted fields over all the items that have a truth (read or not). */
  readonly coverage: number;
}

export function crossValidatedThreshold(
  scored: readonly Scored[],
  target: number,
  itemsWithTruth: number,
  sense: Sense = 'right',
  folds = 5,
): CrossValidated {
  const results = Array.from({ length: folds }, (_, fold) => {
    const threshold = chooseThreshold(
      scored.filter((s) => s.fold !== fold),
      target,
      sense,
    );
    const accepted = threshold === null ? [] : scored.filter((s) => s.fold === fold && s.confidence >= threshold);
    return { fold, threshold, accepted: accepted.length, right: accepted.filter((s) => s[sense]).length };
  });
  const accepted = results.reduce((n, f) => n + f.accepted, 0);
  const right = results.reduce((n, f) => n + f.right, 0);
  return {
    folds: results,
    accepted,
    right,
    precision: accepted ? right / accepted : 0,
    coverage: itemsWithTruth ? accepted / itemsWithTruth : 0,
  };
}

/** Each receipt's total as read, scored against the truth, with its fold: what thresholds are fitted on. */
export function scoreTotals(
  items: readonly { id: string; fold: number; truthCents: number | null; total: { cents: number; confidence: number } | null }[],
): Scored[] {
  return items
    .filter((i) => i.truthCents !== null && i.total !== null)
    .map((i) => ({
      id: i.id,
      fold: i.fold,
      confidence: i.total!.confidence,
      right: i.total!.cents === i.truthCents,
      safe: i.total!.cents <= i.truthCents! + amountTolerance(i.truthCents!),
    }));
}
