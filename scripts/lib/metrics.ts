// Evaluation measures shared by the eval scripts.
import { editDistance } from '../../domain/shared/edit-distance.ts';

const normalizeText = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Character error rate over whole documents: edits between the text read and the ground-truth lines
 * (both in reading order, whitespace collapsed), over the ground-truth length. Differences in reading
 * order count as errors too, as they do for anyone reading the text.
 */
export function characterErrors(documents: readonly { truth: string; read: string }[]): {
  rate: number;
  edits: number;
  characters: number;
} {
  let edits = 0;
  let characters = 0;
  for (const d of documents) {
    const truth = normalizeText(d.truth);
    edits += editDistance(normalizeText(d.read), truth);
    characters += truth.length;
  }
  return { rate: characters === 0 ? 0 : edits / characters, edits, characters };
}

export interface FieldScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly correct: number;
  /** Predicted but not equal to the truth (or predicted where there is none). */
  readonly wrong: number;
  /** A truth with no prediction. */
  readonly missing: number;
  readonly mistakes: readonly { id: string; truth: string | null; predicted: string | null }[];
}

/** Exact-match precision, recall and F1 of one field over documents (values already normalised). */
export function fieldScores(items: readonly { id: string; truth: string | null; predicted: string | null }[]): FieldScore {
  let correct = 0;
  let wrong = 0;
  let missing = 0;
  const mistakes: { id: string; truth: string | null; predicted: string | null }[] = [];
  for (const item of items) {
    if (item.predicted !== null && item.predicted === item.truth) correct++;
    else {
      if (item.predicted !== null) wrong++;
      else if (item.truth !== null) missing++;
      if (item.predicted !== null || item.truth !== null) mistakes.push(item);
    }
  }
  const predicted = correct + wrong;
  const truths = items.filter((i) => i.truth !== null).length;
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = truths === 0 ? 0 : correct / truths;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, correct, wrong, missing, mistakes: mistakes.sort((a, b) => a.id.localeCompare(b.id)) };
}
