// Fitting the motorcycle tariff on Wasa's policies (ohlsson-mc columns): claim frequency (Poisson,
// log exposure offset) and severity (Gamma, weighted by claim counts), each on tariff cells. Shared by
// `npm run train:pricing` and `npm run eval:pricing`.
import {
  factorLevels,
  ratingCell,
  ratingFactors,
  wasaRiskFacts,
  type RatingCell,
} from '../../domain/underwriting/products/motorcycle/rating-factors.ts';
import { fitGlm, poissonDeviance, predictGlm, type CellData, type GlmFit } from './glm.ts';

export interface WasaPolicy {
  readonly cell: RatingCell;
  /** Years insured. */
  readonly exposure: number;
  readonly claims: number;
  /** Total claim cost, SEK. */
  readonly cost: number;
}

export function wasaPolicies(rows: readonly Record<string, string>[]): WasaPolicy[] {
  return rows.map((r) => ({
    cell: ratingCell(wasaRiskFacts(r)),
    exposure: Number(r.duration),
    claims: Number(r.antskad),
    cost: Number(r.skadkost),
  }));
}

const levelsOf = (cell: RatingCell) => ratingFactors.map((f) => cell[f]);
const allLevels = ratingFactors.map((f) => factorLevels[f]);

/** The level with the most exposure is each factor's base (the book's convention). */
export function baseLevels(policies: readonly WasaPolicy[]): string[] {
  return ratingFactors.map((f) => {
    const exposure = new Map<string, number>();
    for (const p of policies) exposure.set(p.cell[f], (exposure.get(p.cell[f]) ?? 0) + p.exposure);
    return [...exposure.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  });
}

export interface TariffFit {
  readonly frequency: GlmFit;
  readonly severity: GlmFit;
}

function aggregate(policies: readonly WasaPolicy[]) {
  const cells = new Map<string, { levels: string[]; exposure: number; claims: number; cost: number }>();
  for (const p of policies) {
    const levels = levelsOf(p.cell);
    const key = levels.join('|');
    const c = cells.get(key) ?? { levels, exposure: 0, claims: 0, cost: 0 };
    c.exposure += p.exposure;
    c.claims += p.claims;
    c.cost += p.cost;
    cells.set(key, c);
  }
  return [...cells.values()];
}

export function fitFrequency(policies: readonly WasaPolicy[], bases = baseLevels(policies)): GlmFit {
  // Claims on policies with no recorded exposure cannot be related to time insured: left out, with them.
  const cells: CellData[] = aggregate(policies.filter((p) => p.exposure > 0)).map((c) => ({
    levels: c.levels,
    weight: c.exposure,
    response: c.claims,
  }));
  return fitGlm('poisson', cells, ratingFactors, allLevels, bases);
}

export function fitSeverity(policies: readonly WasaPolicy[], bases = baseLevels(policies)): GlmFit {
  const cells: CellData[] = aggregate(policies)
    .filter((c) => c.claims > 0 && c.cost > 0)
    .map((c) => ({ levels: c.levels, weight: c.claims, response: c.cost / c.claims }));
  return fitGlm('gamma', cells, ratingFactors, allLevels, bases);
}

export function fitTariff(policies: readonly WasaPolicy[], bases = baseLevels(policies)): TariffFit {
  return { frequency: fitFrequency(policies, bases), severity: fitSeverity(policies, bases) };
}

export function expectedClaims(fit: Pick<GlmFit, 'coefficients' | 'baseLevels'>, policy: WasaPolicy): number {
  return policy.exposure * predictGlm(fit, levelsOf(policy.cell), allLevels);
}

/** Poisson deviance of claim counts over policies (the frequency model's out-of-sample loss). */
export function frequencyDeviance(fit: Pick<GlmFit, 'coefficients' | 'baseLevels'>, policies: readonly WasaPolicy[]): number {
  return policies.filter((p) => p.exposure > 0).reduce((s, p) => s + poissonDeviance(p.claims, expectedClaims(fit, p)), 0);
}

export function crossValidatedDeviance(
  policies: readonly WasaPolicy[],
  folds: number,
): { deviance: number; nullDeviance: number; perFold: number[] } {
  const bases = baseLevels(policies);
  const perFold: number[] = [];
  let deviance = 0;
  let nullDeviance = 0;
  for (let k = 0; k < folds; k++) {
    const train = policies.filter((_, i) => i % folds !== k);
    const test = policies.filter((_, i) => i % folds === k);
    // Frequency only: the loss is the claim counts', and a fold may hold too few claims in a small cell
    // to fit severity.
    const d = frequencyDeviance(fitFrequency(train, bases), test);
    perFold.push(d);
    deviance += d;
    // The same fold priced at the training set's overall claim rate: what the factors add.
    const rate = train.reduce((s, p) => s + p.claims, 0) / train.reduce((s, p) => s + p.exposure, 0);
    nullDeviance += test.filter((p) => p.exposure > 0).reduce((s, p) => s + poissonDeviance(p.claims, p.exposure * rate), 0);
  }
  return { deviance, nullDeviance, perFold };
}

/** exp(coefficient) per level, 1 for the base: the tariff's multipliers. */
export function relativities(fit: Pick<GlmFit, 'names' | 'coefficients'>): Record<string, number> {
  const out: Record<string, number> = {};
  fit.names.forEach((name, i) => {
    if (name !== 'intercept') out[name] = Math.exp(fit.coefficients[i]!);
  });
  return out;
}
