// Training and cross-validating the fraud model on labelled claims (fraud_oracle columns): shared by
// `npm run train:fraud` and `npm run eval:fraud`.
import { fraudFeatures, encodeFraudFeatures, type FraudFeatureName } from '../../domain/fraud/model.ts';
import { auc, explainGbdt, precisionAtRecall, trainGbdt, type GbdtModel, type GbdtParams } from '../../domain/shared/gbdt.ts';

export const label = 'FraudFound_P';

/** Codes in an order trees can split: numbers by value, categories by their (smoothed) fraud rate. */
export function learnCategories(rows: readonly Record<string, string>[]): Record<FraudFeatureName, string[]> {
  const base = rows.reduce((s, r) => s + Number(r[label]), 0) / rows.length;
  const out = {} as Record<FraudFeatureName, string[]>;
  for (const { name, numeric } of fraudFeatures) {
    const stats = new Map<string, { n: number; y: number }>();
    for (const r of rows) {
      const s = stats.get(r[name]!) ?? { n: 0, y: 0 };
      s.n++;
      s.y += Number(r[label]);
      stats.set(r[name]!, s);
    }
    const rate = (v: string) => {
      const s = stats.get(v)!;
      return (s.y + 20 * base) / (s.n + 20);
    };
    out[name] = [...stats.keys()].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => rate(a) - rate(b) || (a < b ? -1 : 1));
  }
  return out;
}

export function trainFraudModel(
  rows: readonly Record<string, string>[],
  params: GbdtParams,
): { categories: Record<FraudFeatureName, string[]>; model: GbdtModel } {
  const categories = learnCategories(rows);
  const codes = rows.map((r) => encodeFraudFeatures(categories, r) as number[]);
  const bins = fraudFeatures.map(({ name }) => categories[name].length);
  return {
    categories,
    model: trainGbdt(
      codes,
      rows.map((r) => Number(r[label])),
      bins,
      params,
    ),
  };
}

export function scoreRows(
  trained: { categories: Record<string, readonly string[]>; model: GbdtModel },
  rows: readonly Record<string, string>[],
): number[] {
  return rows.map((r) => explainGbdt(trained.model, encodeFraudFeatures(trained.categories, r), fraudFeatures.length).margin);
}

export interface Evaluation {
  readonly auc: number;
  readonly precisionAtRecall80: number;
  readonly rows: number;
  readonly positives: number;
}

export function evaluate(scores: readonly number[], labels: readonly number[]): Evaluation {
  return {
    auc: auc(scores, labels),
    precisionAtRecall80: precisionAtRecall(scores, labels, 0.8).precision,
    rows: labels.length,
    positives: labels.reduce((s, y) => s + y, 0),
  };
}

/** Stratified k-fold: every row is scored by a model that never saw it. */
export function crossValidate(
  rows: readonly Record<string, string>[],
  folds: number,
  params: GbdtParams,
  /** Columns to treat as unknown when scoring (as for claims that cannot supply them). */
  unknown: readonly FraudFeatureName[] = [],
): Evaluation & { perFold: number[] } {
  const fold = new Array<number>(rows.length);
  for (const cls of ['0', '1']) {
    const members = rows
      .map((r, i) => [r, i] as const)
      .filter(([r]) => r[label] === cls)
      .map(([, i]) => i);
    // Deterministic shuffle (by a hash of the index) so folds are the same every run.
    members.sort((a, b) => hash(a) - hash(b));
    members.forEach((i, k) => (fold[i] = k % folds));
  }
  const scores = new Array<number>(rows.length);
  const perFold: number[] = [];
  for (let k = 0; k < folds; k++) {
    const train = rows.filter((_, i) => fold[i] !== k);
    const testIndex = rows.map((_, i) => i).filter((i) => fold[i] === k);
    const trained = trainFraudModel(train, params);
    const masked = (r: Record<string, string>) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !unknown.includes(k as FraudFeatureName)));
    const s = scoreRows(
      trained,
      testIndex.map((i) => masked(rows[i]!)),
    );
    testIndex.forEach((i, j) => (scores[i] = s[j]!));
    perFold.push(
      auc(
        s,
        testIndex.map((i) => Number(rows[i]![label])),
      ),
    );
  }
  return {
    ...evaluate(
      scores,
      rows.map((r) => Number(r[label])),
    ),
    perFold,
  };
}

function hash(i: number): number {
  let x = (i + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
