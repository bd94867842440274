// The total's candidates as a trained selector sees them (selector.ts). The vote (total.ts) says how much
// evidence each amount has; which mix of evidence means "this is the total" is learned. The chosen
// candidate's probability is the total's confidence, so the threshold automation uses is a threshold on a
// probability measured on receipts the model was not trained on (ADR 0012).
import { round2 } from './lines.ts';
import { clip, mostProbable, type FieldSelector } from './selector.ts';
import { printedOrder, type TotalChoice, type TotalReading } from './total.ts';

export const totalSources = [
  'total',
  'total-plain',
  'payment',
  'subtotal',
  'arithmetic',
  'exact-payment',
  'total-misread',
  'total-rounded',
  'dollar-as-5',
] as const;

/** The features, each an integer code below its number of bins. */
export const totalFeatureBins = {
  score: 16,
  rank: 4,
  lead: 11,
  deficit: 11,
  ...Object.fromEntries(totalSources.map((s) => [`source:${s}`, 2])),
  sourceCount: 7,
  timesPrinted: 7,
  position: 11,
  lowestPrinted: 2,
  largestPrinted: 2,
  printedWithCents: 3,
  ocrCertainty: 11,
  multipleOfFive: 2,
  roundingPrinted: 2,
  candidates: 9,
  magnitude: 8,
  shareOfLargest: 12,
} as Record<string, number>;

export const totalFeatureNames = Object.keys(totalFeatureBins);

/** Each candidate's feature codes, in `totalFeatureNames` order. */
export function totalFeatures(reading: TotalReading): number[][] {
  const ranked = [...reading.candidates].sort((a, b) => b.score - a.score);
  const best = ranked[0]?.score ?? 0;
  const lowest = Math.max(...reading.candidates.map(printedOrder));
  const largest = Math.max(0, ...reading.decimals);
  return reading.candidates.map((c) => {
    const rank = ranked.indexOf(c);
    const others = ranked.filter((o) => o !== c);
    const nextBest = others[0]?.score ?? 0;
    const printed = c.printedAt;
    const features: Record<string, number> = {
      score: clip(c.score * 2, 15),
      rank: clip(rank, 3),
      lead: rank === 0 ? clip((c.score - nextBest) * 2, 10) : 0,
      deficit: clip((best - c.score) * 2, 10),
      ...Object.fromEntries(totalSources.map((s) => [`source:${s}`, c.sources.has(s) ? 1 : 0])),
      sourceCount: clip(c.sources.size, 6),
      timesPrinted: clip(reading.decimals.filter((d) => d === c.cents).length, 6),
      position: printed ? clip((printed.box.y0 / Math.max(1, printed.at.page.height)) * 10, 9) : 10,
      lowestPrinted: printed && printedOrder(c) === lowest ? 1 : 0,
      largestPrinted: c.cents === largest ? 1 : 0,
      printedWithCents: printed ? (printed.amount.hasDecimals ? 1 : 0) : 2,
      ocrCertainty: clip(((printed ?? c.evidenceAt)?.at.line.confidence ?? 0) / 10, 10),
      multipleOfFive: c.cents % 5 === 0 ? 1 : 0,
      roundingPrinted: reading.rounding ? 1 : 0,
      candidates: clip(reading.candidates.length, 8),
      magnitude: clip(Math.log10(Math.max(1, c.cents)), 7),
      shareOfLargest: largest > 0 ? clip((c.cents / largest) * 10, 11) : 11,
    };
    return totalFeatureNames.map((name) => features[name]!);
  });
}

/** Chooses the candidate the selector rates most probable, with that probability. */
export const chooseBySelector =
  (selector: FieldSelector): TotalChoice =>
  (reading) => {
    const best = mostProbable(selector.model, totalFeatures(reading));
    return best && { chosen: reading.candidates[best.index]!, confidence: round2(best.probability) };
  };
