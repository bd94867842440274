// Receipts laid out like SROIE (img/NNN.jpg, box/NNN.csv ground-truth lines, key/NNN.json fields) for the
// evaluations, the fixed split they are measured on, and a cache of what OCR read from each image, keyed
// by engine, model, pipeline settings and the image's SHA-256, so that evaluations over all receipts can
// run again without reading every page again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseAmountText } from '../../domain/documents/amounts.ts';
import { parseDateText } from '../../domain/documents/dates.ts';
import { readReceiptFieldsArtefact } from '../../activities/documents/index.ts';
import type { FieldSelectors, SelectorArtefact } from '../../domain/documents/fields/selector.ts';
import type { DocumentText } from '../../domain/documents/layout.ts';
import { projectRoot } from '../../platform/tools.ts';

export const defaultReceiptsDir = path.join(projectRoot, '..', 'shared', 'data', 'sroie-dev');

export interface Receipt {
  readonly id: string;
  readonly image: string;
  readonly groundTruthText: string;
  readonly key: { company?: string; date?: string; total?: string };
  /** The true total in hundredths, the true date as ISO, when the ground truth has them. */
  readonly truth: { readonly cents: number | null; readonly date: string | null; readonly company: string | null };
}

/** Receipts in a folder, in name order; null when the folder is not laid out like SROIE. */
export function loadReceipts(dataDir: string, limit?: number): Receipt[] | null {
  if (!existsSync(path.join(dataDir, 'img'))) return null;
  return readdirSync(path.join(dataDir, 'img'))
    .filter((f) => /\.(jpe?g|png|tiff?|pdf)$/i.test(f))
    .sort()
    .slice(0, limit)
    .map((file) => {
      const id = file.replace(/\.[^.]+$/, '');
      const boxes = readFileSync(path.join(dataDir, 'box', `${id}.csv`), 'utf8');
      const groundTruthText = boxes
        .split(/\r?\n/)
        .filter((l) => l.trim())
        .map((l) => l.split(',').slice(8).join(','))
        .join('\n');
      const key = JSON.parse(readFileSync(path.join(dataDir, 'key', `${id}.json`), 'utf8')) as Receipt['key'];
      const truth = {
        cents: key.total ? (parseAmountText(key.total)?.cents ?? null) : null,
        date: key.date ? (parseDateText(key.date)?.iso ?? null) : null,
        company: key.company ? normalizeCompany(key.company) : null,
      };
      return { id, image: path.join(dataDir, 'img', file), groundTruthText, key, truth };
    });
}

/** As SROIE compares companies: case and spacing (and punctuation) do not count. */
export const normalizeCompany = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * The fixed split. The extraction rules up to 1.5.0 were written from receipts 000-059; the changes of 1.6.0
 * were written from the mistakes made on 000-179 (and on 060-179 the earlier rules had already been
 * reviewed), so those are the development set now and every later receipt is held out: a receipt whose
 * mistakes were looked at cannot give a result. Thresholds and models fitted on data are cross-validated
 * over five folds fixed by the receipt number (number mod 5).
 */
const developmentEnd = 180;
export const developmentSet = (r: Pick<Receipt, 'id'>) => /^\d+$/.test(r.id) && Number(r.id) < developmentEnd;
/** How the split is named in every figure printed. */
export const split = {
  development: `development 000-${String(developmentEnd - 1).padStart(3, '0')}`,
  heldOut: `held-out ${String(developmentEnd).padStart(3, '0')}-299`,
} as const;
export const foldOf = (r: Receipt, folds = 5) =>
  (/^\d+$/.test(r.id) ? Number(r.id) : [...r.id].reduce((a, c) => a + c.charCodeAt(0), 0)) % folds;

/** What OCR read from one image, kept on disk by engine/model/settings and image hash. */
export class OcrCache {
  private readonly dir: string;
  constructor(root: string, engineKey: string) {
    this.dir = path.join(root, engineKey.replace(/[^\w.@+-]/g, '_'));
    mkdirSync(this.dir, { recursive: true });
  }

  static imageHash(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  get(hash: string): DocumentText | null {
    const file = path.join(this.dir, `${hash}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DocumentText) : null;
  }

  put(hash: string, text: DocumentText): void {
    const file = path.join(this.dir, `${hash}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(text));
    renameSync(`${file}.tmp`, file); // never a half-written entry for a later run to trust
  }

  get location(): string {
    return this.dir;
  }
}

/**
 * Outside the checkout, so every clone on a machine (CI's fresh one too) shares what was read before;
 * INSUREFLOW_OCR_CACHE moves it. A key that does not match reads the pages again: it never goes stale.
 */
export const defaultOcrCacheRoot = process.env.INSUREFLOW_OCR_CACHE ?? path.join(homedir(), '.cache', 'insureflow', 'ocr');

/**
 * The field selectors each receipt is read with in an evaluation: the models trained without the
 * receipt's fold (models/receipt-fields.json), so no receipt is scored by a model that saw it. None where
 * the artefact was trained on another engine's readings, or `--rules` asks for the rules alone.
 */
export function crossValidatedSelectors(engine: string, rulesOnly = false): (r: Receipt) => FieldSelectors {
  const artefact = readReceiptFieldsArtefact();
  if (rulesOnly || artefact.engine !== engine) return () => ({});
  const fold = (a: SelectorArtefact, r: Receipt) => ({ version: `${a.version}/fold-${foldOf(r)}`, model: a.folds[foldOf(r)]! });
  return (r) => ({ total: fold(artefact.total, r), issuer: fold(artefact.issuer, r) });
}
