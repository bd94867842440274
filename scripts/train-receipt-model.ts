// `npm run train:receipts [-- --data DIR --dry-run --check]`: trains the receipt field selectors (total and issuer)
// on the labelled receipts (SROIE layout) as the default OCR engine reads them, cross-validates them over
// the five fixed folds, and writes the artefact the workers load (models/receipt-fields.json: the models
// trained on every receipt, and per field the five fold models the evaluations score each receipt with) and
// its model card (models/receipt-fields-card.md). Deterministic: the same data and OCR give the same files;
// --check trains and says whether the committed artefact is reproduced, writing nothing.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readReceiptFieldsArtefact, receiptFieldsFile } from '../activities/documents/index.ts';
import { issuerFeatureNames } from '../domain/documents/fields/issuer-selector.ts';
import type { ReceiptFieldsArtefact, SelectorArtefact } from '../domain/documents/fields/selector.ts';
import { totalFeatureNames } from '../domain/documents/fields/total-selector.ts';
import { openOcrEngine } from '../engines/documents/ocr/index.ts';
import type { GbdtModel, TreeNode } from '../domain/shared/gbdt.ts';
import {
  crossValidateSelector,
  prepareFields,
  selectorParams,
  trainSelector,
  type FieldTraining,
  type SelectorChoice,
} from '../engines/ml/receipt-fields-training.ts';
import { projectRoot } from '../platform/tools.ts';
import { writeReceiptFieldsCard, type FieldFigures } from './lib/receipt-fields-card.ts';
import { defaultReceiptsDir, developmentSet, foldOf, loadReceipts, normalizeCompany, split } from './lib/receipts.ts';
import { readReceipts } from './lib/read-receipts.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: defaultReceiptsDir },
    'dry-run': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});
const dataDir = path.resolve(values.data);
const receipts = loadReceipts(dataDir);
if (!receipts) {
  console.log(`SKIPPED: no labelled receipts at ${dataDir} (expected img/, box/ and key/ as in SROIE). Pass --data DIR.`);
  process.exit(0);
}
const engine = await openOcrEngine('ppocr', { workers: availableParallelism(), cacheDir: path.join(projectRoot, '.data', 'cache') });
const read = await readReceipts(receipts, { engine, segmentation: 'auto', variant: 'auto-default', cache: true });
await engine.close();

const labelled = read.results.map((r) => ({
  id: r.receipt.id,
  fold: foldOf(r.receipt),
  text: r.text,
  totalCents: r.receipt.truth.cents,
  company: r.receipt.truth.company,
}));
const fields = prepareFields(labelled, normalizeCompany);
console.log(
  `Training the receipt field selectors on ${labelled.length} receipts from ${dataDir} (${engine.name}); folds: receipt number mod 5`,
);

// Four decimals are far below what moves a probability, and keep the committed file small.
const round = (n: number) => Math.round(n * 1e4) / 1e4;
const compact = (m: GbdtModel): GbdtModel => ({
  baseScore: round(m.baseScore),
  trees: JSON.parse(JSON.stringify(m.trees, (_k, v: unknown) => (typeof v === 'number' ? round(v) : v))) as TreeNode[],
});
const figures: Record<'total' | 'issuer', FieldFigures> = {} as never;
const artefacts: Record<'total' | 'issuer', SelectorArtefact> = {} as never;
for (const [name, field, features] of [
  ['total', fields.total, totalFeatureNames],
  ['issuer', fields.issuer, issuerFeatureNames],
] as const) {
  const cv = crossValidateSelector(field);
  figures[name] = summarize(name, field, cv.choices);
  const model = compact(trainSelector(field));
  const version = `receipt-${name}-gbdt@${createHash('sha256').update(JSON.stringify(model)).digest('hex').slice(0, 12)}`;
  artefacts[name] = {
    version,
    features: [...features],
    trainedOn: { receipts: field.prepared.length, candidates: field.prepared.reduce((n, p) => n + p.rows.length, 0) },
    params: { ...selectorParams },
    model,
    folds: cv.models.map(compact),
  };
}

const artefact: ReceiptFieldsArtefact = { engine: engine.name, ...artefacts };
const modelFile = receiptFieldsFile;
if (values.check) {
  // Figures only: OCR on another machine's CPU may read a few characters differently, which trains other trees.
  const committed = readReceiptFieldsArtefact();
  const same = committed.total.version === artefact.total.version && committed.issuer.version === artefact.issuer.version;
  console.log(
    `  the committed models/receipt-fields.json ${same ? 'is reproduced exactly' : `differs from this training (${committed.total.version}, ${committed.issuer.version} committed)`}`,
  );
} else if (!values['dry-run']) {
  writeFileSync(modelFile, `${JSON.stringify(artefact)}\n`);
  writeFileSync(path.join(projectRoot, 'models', 'receipt-fields-card.md'), writeReceiptFieldsCard(artefact, figures, dataDir));
  console.log(
    `Wrote models/receipt-fields.json (${artefacts.total.version}, ${artefacts.issuer.version}) and models/receipt-fields-card.md`,
  );
}

/** Prints and returns the cross-validated figures of one field: right by the selector and by the rules. */
function summarize(name: string, field: FieldTraining, choices: readonly SelectorChoice[]): FieldFigures {
  const reachable = field.prepared.filter((p) => p.labels.includes(1)).length;
  console.log(
    `  ${name}: ${field.prepared.length} receipts with a true value, ${field.prepared.reduce((n, p) => n + p.rows.length, 0)} candidates; the true value is among them on ${reachable} (${pct(reachable, field.prepared.length)})`,
  );
  const right = (set: readonly SelectorChoice[]) => set.filter((c) => c.chosen?.value === c.truth).length;
  const dev = choices.filter((c) => developmentSet(c));
  const held = choices.filter((c) => !developmentSet(c));
  for (const [label, set] of [
    ['all, cross-validated', choices],
    [split.heldOut, held],
    [split.development, dev],
  ] as const) {
    console.log(`    right, ${label}: ${pct(right(set), set.length)} (${right(set)}/${set.length})`);
  }
  const bands = [
    [0, 0.3],
    [0.3, 0.5],
    [0.5, 0.7],
    [0.7, 0.8],
    [0.8, 0.9],
    [0.9, 0.95],
    [0.95, 1.01],
  ] as const;
  const calibration = bands.map(([lo, hi]) => {
    const band = choices.filter((c) => c.chosen && c.chosen.probability >= lo && c.chosen.probability < hi);
    return { band: `${lo.toFixed(2)}-${Math.min(1, hi).toFixed(2)}`, count: band.length, right: right(band) };
  });
  console.log(
    `    cross-validated probability of the chosen value, per band (count, right): ${calibration.map((b) => `${b.band} ${b.count}/${b.right}`).join(', ')}`,
  );
  return {
    receipts: choices.length,
    reachable,
    right: right(choices),
    heldOut: { n: held.length, right: right(held) },
    development: { n: dev.length, right: right(dev) },
    calibration,
  };
}

function pct(n: number, d: number) {
  return `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
}
