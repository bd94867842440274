// Training and cross-validation of the receipt field selectors (domain/documents/fields/selector.ts): one
// row per candidate of each labelled receipt (the total's amounts, the issuer's lines), labelled 1 where
// it is the true value. Folds are fixed by the receipt's number (mod 5), the folds every evaluation uses,
// so a receipt's cross-validated choice comes from a model that never saw it.
import { issuerCandidates, issuerFeatureBins, issuerFeatureNames, issuerFeatures } from '../../domain/documents/fields/issuer-selector.ts';
import { placeLines } from '../../domain/documents/fields/lines.ts';
import { mostProbable } from '../../domain/documents/fields/selector.ts';
import { readTotalCandidates } from '../../domain/documents/fields/total.ts';
import { totalFeatureBins, totalFeatureNames, totalFeatures } from '../../domain/documents/fields/total-selector.ts';
import type { DocumentText } from '../../domain/documents/layout.ts';
import { trainGbdt, type GbdtModel, type GbdtParams } from '../../domain/shared/gbdt.ts';

/**
 * Set once, before any figure was seen, and not tuned: few shallow trees for a few hundred receipts
 * (tuning them on the folds would make the cross-validated figure a tuned one).
 */
export const selectorParams: GbdtParams = {
  trees: 150,
  depth: 3,
  learningRate: 0.08,
  lambda: 2,
  minChildWeight: 2,
  subsample: 0.8,
  colsample: 0.8,
  seed: 11,
};

export interface LabelledReceipt {
  readonly id: string;
  readonly fold: number;
  readonly text: DocumentText;
  /** Hundredths; null where the receipt's key has no total. */
  readonly totalCents: number | null;
  /** Normalised as the evaluation compares names (case, spacing); null where the key has none. */
  readonly company: string | null;
}

/** One receipt's candidates for one field: their feature codes, which are right, and what each reports. */
export interface Prepared {
  readonly id: string;
  readonly fold: number;
  readonly rows: number[][];
  readonly labels: number[];
  readonly values: string[];
  readonly truth: string;
}

export interface FieldTraining {
  readonly bins: readonly number[];
  readonly prepared: Prepared[];
}

/** `normalize`: how names are compared, as the evaluation does (SROIE: case and spacing do not count). */
export function prepareFields(
  receipts: readonly LabelledReceipt[],
  normalize: (name: string) => string,
): { total: FieldTraining; issuer: FieldTraining } {
  const total: Prepared[] = [];
  const issuer: Prepared[] = [];
  for (const r of receipts) {
    const lines = placeLines(r.text);
    if (r.totalCents !== null) {
      const reading = readTotalCandidates(lines);
      const values = reading.candidates.map((c) => String(c.cents));
      const truth = String(r.totalCents);
      total.push({ id: r.id, fold: r.fold, rows: totalFeatures(reading), labels: values.map((v) => (v === truth ? 1 : 0)), values, truth });
    }
    if (r.company !== null) {
      const { candidates, top } = issuerCandidates(lines);
      const values = candidates.map((c) => normalize(c.name));
      issuer.push({
        id: r.id,
        fold: r.fold,
        rows: issuerFeatures(lines, candidates, top),
        labels: values.map((v) => (v === r.company ? 1 : 0)),
        values,
        truth: r.company,
      });
    }
  }
  return {
    total: { bins: totalFeatureNames.map((n) => totalFeatureBins[n]!), prepared: total },
    issuer: { bins: issuerFeatureNames.map((n) => issuerFeatureBins[n]!), prepared: issuer },
  };
}

export function trainSelector(
  field: FieldTraining,
  only: (p: Prepared) => boolean = () => true,
  params: GbdtParams = selectorParams,
): GbdtModel {
  const used = field.prepared.filter(only);
  return trainGbdt(
    used.flatMap((p) => p.rows),
    used.flatMap((p) => p.labels),
    field.bins,
    params,
  );
}

export interface SelectorChoice {
  readonly id: string;
  readonly fold: number;
  readonly truth: string;
  readonly chosen: { readonly value: string; readonly probability: number } | null;
}

/** Each receipt's choice by the model trained on the other folds; and those fold models. */
export function crossValidateSelector(
  field: FieldTraining,
  folds = 5,
  params: GbdtParams = selectorParams,
): { choices: SelectorChoice[]; models: GbdtModel[] } {
  const models: GbdtModel[] = [];
  const choices: SelectorChoice[] = [];
  for (let k = 0; k < folds; k++) {
    const model = trainSelector(field, (p) => p.fold !== k, params);
    models.push(model);
    for (const p of field.prepared.filter((q) => q.fold === k)) {
      const best = mostProbable(model, p.rows);
      choices.push({
        id: p.id,
        fold: k,
        truth: p.truth,
        chosen: best ? { value: p.values[best.index]!, probability: best.probability } : null,
      });
    }
  }
  return { choices: choices.sort((a, b) => a.id.localeCompare(b.id)), models };
}
