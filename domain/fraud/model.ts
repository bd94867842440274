// The fraud model's contract: which columns of the labelled claims (fraud_oracle) it reads, how their
// values become codes, and how a trained model scores one claim with per-feature contributions.
import { explainGbdt, type GbdtModel } from '../shared/gbdt.ts';

/** fraud_oracle columns the model learns from, and whether their order is numeric. */
export const fraudFeatures = [
  { name: 'Month', numeric: false },
  { name: 'WeekOfMonth', numeric: true },
  { name: 'DayOfWeek', numeric: false },
  { name: 'Make', numeric: false },
  { name: 'AccidentArea', numeric: false },
  { name: 'DayOfWeekClaimed', numeric: false },
  { name: 'MonthClaimed', numeric: false },
  { name: 'WeekOfMonthClaimed', numeric: true },
  { name: 'Sex', numeric: false },
  { name: 'MaritalStatus', numeric: false },
  { name: 'Age', numeric: true },
  { name: 'Fault', numeric: false },
  { name: 'PolicyType', numeric: false },
  { name: 'VehicleCategory', numeric: false },
  { name: 'VehiclePrice', numeric: false },
  { name: 'Deductible', numeric: true },
  { name: 'DriverRating', numeric: true },
  { name: 'Days_Policy_Accident', numeric: false },
  { name: 'Days_Policy_Claim', numeric: false },
  { name: 'PastNumberOfClaims', numeric: false },
  { name: 'AgeOfVehicle', numeric: false },
  { name: 'AgeOfPolicyHolder', numeric: false },
  { name: 'PoliceReportFiled', numeric: false },
  { name: 'WitnessPresent', numeric: false },
  { name: 'AgentType', numeric: false },
  { name: 'NumberOfSuppliments', numeric: false },
  { name: 'AddressChange_Claim', numeric: false },
  { name: 'NumberOfCars', numeric: false },
  { name: 'BasePolicy', numeric: false },
] as const;

export type FraudFeatureName = (typeof fraudFeatures)[number]['name'];
export type FraudFeatureValues = Partial<Record<FraudFeatureName, string>>;

export interface FraudModelArtefact {
  readonly version: string;
  readonly trainedOn: { readonly file: string; readonly rows: number; readonly positives: number; readonly sha256: string };
  readonly params: Record<string, number>;
  readonly crossValidation: {
    readonly folds: number;
    readonly auc: number;
    readonly precisionAtRecall80: number;
    /** The same, scoring with only the columns a claim in this engine supplies. */
    readonly claimFeaturesAuc: number;
  };
  /** Per feature, its values in code order (numeric by value, others by training fraud rate). */
  readonly categories: Record<FraudFeatureName, string[]>;
  readonly model: GbdtModel;
}

/** Codes for a row of values; a value the training data never had is unknown (averaged out). */
export function encodeFraudFeatures(categories: Record<string, readonly string[]>, values: FraudFeatureValues): (number | undefined)[] {
  return fraudFeatures.map(({ name }) => {
    const value = values[name];
    if (value === undefined) return undefined;
    const code = categories[name]?.indexOf(value) ?? -1;
    return code < 0 ? undefined : code;
  });
}

export interface ModelScore {
  readonly probability: number;
  /** Features by log-odds contribution, largest first; unknown features are not listed. */
  readonly contributions: readonly { readonly feature: FraudFeatureName; readonly value: string; readonly logOdds: number }[];
}

/**
 * How far the model's estimate may move a claim's score away from the prior: its measured skill on the
 * columns claims supply, relative to its skill with every column (0 = chance, 1 = as trained).
 */
export function modelWeight(artefact: FraudModelArtefact): number {
  const { auc, claimFeaturesAuc } = artefact.crossValidation;
  return Math.min(1, Math.max(0, (claimFeaturesAuc - 0.5) / Math.max(1e-6, auc - 0.5)));
}

export function scoreWithModel(artefact: FraudModelArtefact, values: FraudFeatureValues): ModelScore {
  const codes = encodeFraudFeatures(artefact.categories, values);
  const explained = explainGbdt(artefact.model, codes, fraudFeatures.length);
  const contributions = fraudFeatures
    .map(({ name }, f) => ({
      feature: name,
      value: values[name] ?? '',
      logOdds: explained.contributions[f]!,
      known: codes[f] !== undefined,
    }))
    .filter((c) => c.known)
    .map(({ feature, value, logOdds }) => ({ feature, value, logOdds }))
    .sort((a, b) => b.logOdds - a.logOdds);
  return { probability: explained.probability, contributions };
}
