// One fraud score, 0-100, from the model's estimate and the red flags, with a band and the reasons
// ranked by how much each moved the score. It sends claims to people; it never denies one.
import type { Reason } from '../shared/decision.ts';
import type { ModelScore } from './model.ts';
import type { RuleHit } from './rules.ts';

export type FraudBand = 'low' | 'medium' | 'high';

/** Scores at or above `medium` and `high` (0-100) put the claim in that band. */
export interface FraudBands {
  readonly medium: number;
  readonly high: number;
}

export const defaultFraudBands: FraudBands = { medium: 25, high: 50 };

/** Fraud rate of the training claims: the prior for a claim the model cannot score (another line). */
export const priorFraudRate = 0.058;

export interface FraudAssessment {
  readonly score: number;
  readonly band: FraudBand;
  /** Largest contribution first; at least three whenever the model scored the claim. */
  readonly reasons: readonly (Reason & { readonly logOdds: number })[];
  readonly modelVersion: string | null;
  readonly rulesVersion: string;
  readonly modelProbability: number | null;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const featureWords: Record<string, string> = {
  Days_Policy_Accident: 'days from the policy start to the loss',
  Days_Policy_Claim: 'days from the policy start to the claim',
  PastNumberOfClaims: 'earlier claims',
  NumberOfSuppliments: 'documents added after the claim',
  PoliceReportFiled: 'police report filed',
  BasePolicy: 'cover',
  Deductible: 'deductible',
};

export function scoreFraud(input: {
  /** `weight` (0-1) shrinks the model's log-odds toward the prior by how much it can be trusted here. */
  model: (ModelScore & { readonly version: string; readonly weight: number }) | null;
  rules: readonly RuleHit[];
  rulesVersion: string;
  bands: FraudBands;
}): FraudAssessment {
  const prior = logit(priorFraudRate);
  const weight = input.model?.weight ?? 0;
  const base = input.model ? prior + weight * (logit(Math.min(Math.max(input.model.probability, 1e-6), 1 - 1e-6)) - prior) : prior;
  const margin = base + input.rules.reduce((s, r) => s + r.logOdds, 0);
  const score = Math.round(100 * sigmoid(margin));
  const band: FraudBand = score >= input.bands.high ? 'high' : score >= input.bands.medium ? 'medium' : 'low';
  const modelReasons = (input.model?.contributions ?? []).map((c) => ({
    code: `MODEL_${c.feature.toUpperCase()}`,
    message: `${featureWords[c.feature] ?? c.feature}: ${c.value} (${c.logOdds >= 0 ? 'raises' : 'lowers'} the model's estimate)`,
    logOdds: Math.round(c.logOdds * weight * 1000) / 1000,
  }));
  const ranked = [...input.rules.map((r) => ({ code: r.code, message: r.message, logOdds: r.logOdds })), ...modelReasons].sort(
    (a, b) => b.logOdds - a.logOdds,
  );
  // Every reason that raised the score, and at least three in all (the largest, whichever way they went).
  const raising = ranked.filter((r) => r.logOdds > 0);
  const reasons = raising.length >= 3 ? raising : ranked.slice(0, Math.max(3, raising.length));
  return {
    score,
    band,
    reasons,
    modelVersion: input.model?.version ?? null,
    rulesVersion: input.rulesVersion,
    modelProbability: input.model?.probability ?? null,
  };
}
