// A trained choice among a field's candidates (the total's amounts, the issuer's lines): each candidate
// is described by integer feature codes, a gradient-boosted model rates its probability of being the true
// value, and the most probable is chosen with that probability as the field's confidence. Models are
// trained by `npm run train:receipts` on labelled receipts as the default OCR engine reads them
// (models/receipt-fields.json and its card, models/receipt-fields-card.md).
import { explainGbdt, type GbdtModel } from '../../shared/gbdt.ts';

export interface FieldSelector {
  readonly version: string;
  readonly model: GbdtModel;
}

/** The trained selectors extraction may use; a field without one is chosen by its rules. */
export interface FieldSelectors {
  readonly total?: FieldSelector;
  readonly issuer?: FieldSelector;
}

export interface SelectorArtefact {
  readonly version: string;
  readonly features: readonly string[];
  readonly trainedOn: { readonly receipts: number; readonly candidates: number };
  readonly params: Record<string, number>;
  /** Trained on every labelled receipt: the one documents are read with. */
  readonly model: GbdtModel;
  /** Model k was trained without fold k (receipt number mod 5): it scores that fold's receipts in evaluations. */
  readonly folds: readonly GbdtModel[];
}

/** What `npm run train:receipts` writes. */
export interface ReceiptFieldsArtefact {
  /** The OCR engine whose readings the selectors were trained on (their probabilities are calibrated on them). */
  readonly engine: string;
  readonly total: SelectorArtefact;
  readonly issuer: SelectorArtefact;
}

/** The candidate the model rates most probable (the first on a tie), and that probability. */
export function mostProbable(model: GbdtModel, rows: readonly (readonly number[])[]): { index: number; probability: number } | undefined {
  let best: { index: number; probability: number } | undefined;
  rows.forEach((row, index) => {
    const probability = explainGbdt(model, row, row.length).probability;
    if (!best || probability > best.probability) best = { index, probability };
  });
  return best;
}

export const clip = (n: number, max: number) => Math.max(0, Math.min(max, Math.floor(n)));
