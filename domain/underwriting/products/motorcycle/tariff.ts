// The motorcycle tariff as the worker uses it: a committed artefact of frequency and severity
// coefficients (npm run train:pricing), from which the risk premium of a rating cell follows.
import { factorLevels, ratingFactors, type RatingCell } from './rating-factors.ts';

export interface GlmCoefficients {
  readonly names: readonly string[];
  readonly coefficients: readonly number[];
  readonly baseLevels: readonly string[];
}

export interface TariffArtefact {
  readonly version: string;
  readonly currency: 'SEK';
  readonly trainedOn: {
    readonly file: string;
    readonly policies: number;
    readonly exposureYears: number;
    readonly claims: number;
    readonly sha256: string;
  };
  readonly frequency: GlmCoefficients;
  readonly severity: GlmCoefficients;
  readonly crossValidation: { readonly folds: number; readonly poissonDeviance: number; readonly nullDeviance: number };
}

function linear(model: GlmCoefficients, cell: RatingCell): number {
  let eta = model.coefficients[0]!;
  for (const f of ratingFactors) {
    const i = model.names.indexOf(`${f}=${cell[f]}`);
    if (i > 0) eta += model.coefficients[i]!;
  }
  return eta;
}

export interface RiskPremium {
  /** Expected claims per year insured. */
  readonly frequency: number;
  /** Expected cost per claim, SEK. */
  readonly severity: number;
  /** frequency x severity: expected claims cost per year, SEK. */
  readonly premium: number;
  /** Each factor's multiplier on the premium (frequency and severity relativities combined). */
  readonly relativities: Record<string, number>;
}

export function riskPremium(tariff: TariffArtefact, cell: RatingCell): RiskPremium {
  for (const f of ratingFactors) if (!factorLevels[f].includes(cell[f])) throw new Error(`${f} '${cell[f]}' is not a level of the tariff`);
  const frequency = Math.exp(linear(tariff.frequency, cell));
  const severity = Math.exp(linear(tariff.severity, cell));
  const relativities: Record<string, number> = {};
  for (const f of ratingFactors) {
    const fi = tariff.frequency.names.indexOf(`${f}=${cell[f]}`);
    const si = tariff.severity.names.indexOf(`${f}=${cell[f]}`);
    relativities[f] = Math.exp((fi > 0 ? tariff.frequency.coefficients[fi]! : 0) + (si > 0 ? tariff.severity.coefficients[si]! : 0));
  }
  return { frequency, severity, premium: frequency * severity, relativities };
}
