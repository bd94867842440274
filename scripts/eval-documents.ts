// `npm run eval:documents [-- --data DIR --engine ppocr|tesseract.js|tesseract-cli --limit N --no-cache --rules --verbose]`
// Runs the document pipeline (OCR and extraction) over a folder laid out like SROIE (img/NNN.jpg, box/NNN.csv
// ground-truth lines, key/NNN.json fields) and prints, for the development receipts the rules were written
// from and for the held-out rest, the character error rate and precision/recall/F1 for date, total and
// company; then how well the total's confidence is calibrated (five fixed folds) and the threshold
// automation should use; pages per minute and peak memory. The total and the company are chosen by the
// trained selectors (models/receipt-fields.json), each receipt by the fold models that never saw it;
// --rules: by the rules alone. OCR results are cached by engine, model, pipeline source and image hash in
// ~/.cache/insureflow/ocr (INSUREFLOW_OCR_CACHE; --no-cache reads every page again).
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultAutomationPolicy } from '../domain/claims/automation.ts';
import { extractDocument, type DocumentExtraction } from '../domain/documents/extract.ts';
import type { DocumentText } from '../domain/documents/layout.ts';
import { normalizeContrast, scaleImage, type GrayImage } from '../engines/documents/images.ts';
import { ocrEngineNames, type OcrEngine, type OcrEngineName, type PageSegmentation } from '../engines/documents/ocr/engine.ts';
import { openOcrEngine } from '../engines/documents/ocr/index.ts';
import { projectRoot } from '../platform/tools.ts';
import { calibrationTable, chooseThreshold, crossValidatedThreshold, scoreTotals } from './lib/calibration.ts';
import { characterErrors, fieldScores, type FieldScore } from './lib/metrics.ts';
import {
  crossValidatedSelectors,
  defaultReceiptsDir,
  developmentSet,
  foldOf,
  loadReceipts,
  normalizeCompany,
  split,
  type Receipt,
} from './lib/receipts.ts';
import { readReceipts } from './lib/read-receipts.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: defaultReceiptsDir },
    engine: { type: 'string', default: 'ppocr' },
    segmentation: { type: 'string', default: 'auto' },
    workers: { type: 'string' },
    limit: { type: 'string' },
    'no-cache': { type: 'boolean', default: false },
    scale: { type: 'string' },
    normalize: { type: 'boolean', default: false },
    param: { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false },
    rules: { type: 'boolean', default: false },
  },
});

const dataDir = path.resolve(values.data);
const receipts = loadReceipts(dataDir, values.limit ? Number(values.limit) : undefined);
if (!receipts) {
  console.log(`SKIPPED: no evaluation data at ${dataDir} (expected img/, box/ and key/ as in SROIE). Pass --data DIR.`);
  process.exit(0);
}

const segmentation = values.segmentation as PageSegmentation;
const workers = values.workers ? Number(values.workers) : availableParallelism();
if (!(ocrEngineNames as readonly string[]).includes(values.engine)) throw new Error(`--engine must be one of ${ocrEngineNames.join(', ')}`);
const engine: OcrEngine = await openOcrEngine(values.engine as OcrEngineName, {
  workers,
  cacheDir: path.join(projectRoot, '.data', 'cache'),
  parameters: Object.fromEntries((values.param ?? []).map((p) => p.split('=') as [string, string])),
});
const scale = values.scale ? Number(values.scale) : undefined;
// Without --scale or --normalize the pipeline's own preparation applies (small scans enlarged).
const prepare =
  scale === undefined && !values.normalize
    ? undefined
    : async (image: GrayImage) => {
        let out = values.normalize ? await normalizeContrast(image) : image;
        if (scale !== undefined && scale !== 1) out = await scaleImage(out, scale);
        return out;
      };
const variant = `${segmentation}-${scale === undefined ? 'default' : `x${scale}`}${values.normalize ? '-norm' : ''}${(values.param ?? []).map((p) => `-${p}`).join('')}`;

const read = await readReceipts(receipts, { engine, segmentation, prepare, variant, cache: !values['no-cache'] });
await engine.close();
const selectorsFor = crossValidatedSelectors(engine.name, values.rules);
const results = read.results.map((r) => ({ ...r, extraction: extractDocument(r.text, { selectors: selectorsFor(r.receipt) }) }));

const peakMiB = process.resourceUsage().maxRSS / 1024;
console.log(`Document pipeline on ${results.length} documents from ${dataDir}`);
console.log(
  `  engine ${engine.name}, ${engine.concurrency} workers, variant ${variant}${read.cacheDir ? `, OCR cache ${read.cacheDir}` : ''}`,
);
console.log(
  `  split: rules written from the mistakes on receipts ${split.development.replace('development ', '')} (development); the rest (${split.heldOut}) never looked at. Quote the held-out figures.`,
);
console.log(
  results.some((r) => r.extraction.version.includes('/fold-'))
    ? '  total and company chosen by the trained selectors, each receipt by the models trained without its fold (5 fixed folds, number mod 5): cross-validated'
    : '  total and company chosen by the rules alone (no trained selectors for this engine, or --rules)',
);
const development = results.filter((r) => developmentSet(r.receipt));
const heldOut = results.filter((r) => !developmentSet(r.receipt));
for (const [label, set] of [
  [split.heldOut, heldOut],
  [`${split.development} (tuned on)`, development],
  ['all', results],
] as const) {
  if (set.length === 0) continue;
  printScores(`${label}, ${set.length} receipts`, set);
}

// ---- calibration of the total's confidence ---------------------------------------------------------
const scored = scoreTotals(
  results.map((r) => ({
    id: r.receipt.id,
    fold: foldOf(r.receipt),
    truthCents: r.receipt.truth.cents,
    total: r.extraction.fields.total
      ? { cents: r.extraction.fields.total.value.cents, confidence: r.extraction.fields.total.confidence }
      : null,
  })),
);
const withTruth = results.filter((r) => r.receipt.truth.cents !== null).length;
console.log(`  total confidence calibration (${scored.length} totals read of ${withTruth} receipts with a true total), per band:`);
console.log('    "right": the true total exactly; "not over": at most the reconciliation tolerance above it (max(1%, 1.00)),');
console.log('    which is what automation needs: a total read too low refers the claim, only one read too high could overpay.');
console.log('    band          count  right  share right  not over  share not over');
for (const band of calibrationTable(scored)) {
  const share = (n: number) => (band.count ? (n / band.count).toFixed(3) : '-').padStart(11);
  console.log(
    `    ${band.label.padEnd(12)} ${String(band.count).padStart(6)} ${String(band.right).padStart(6)} ${share(band.right)} ${String(band.safe).padStart(9)} ${share(band.safe).padStart(15)}`,
  );
}
const target = 0.99;
for (const sense of ['right', 'safe'] as const) {
  const what = sense === 'right' ? 'right' : 'not over the true total';
  const cv = crossValidatedThreshold(scored, target, withTruth, sense);
  console.log(
    `  threshold at which accepted totals are ${what} >= ${target * 100}%${sense === 'safe' ? ' (the one automation uses: ADR 0012)' : ''}, 5 fixed folds (receipt number mod 5):`,
  );
  for (const f of cv.folds) {
    console.log(
      `    fold ${f.fold}: threshold ${f.threshold === null ? 'none' : f.threshold.toFixed(2)} chosen on the other folds; on this fold ${f.accepted} accepted, ${f.right} ${what} (${f.accepted ? ((f.right / f.accepted) * 100).toFixed(1) : '-'}%)`,
    );
  }
  console.log(
    `  cross-validated: accepted totals ${what} ${(cv.precision * 100).toFixed(1)}% (${cv.right}/${cv.accepted}); receipts whose total is accepted ${(cv.coverage * 100).toFixed(1)}% (${cv.accepted}/${withTruth})`,
  );
  const all = chooseThreshold(scored, target, sense);
  console.log(
    `  threshold on all ${results.length} receipts: ${all === null ? 'none reaches the target' : all.toFixed(2)}${sense === 'safe' ? ` (the automation policy's minimumTotalConfidence is ${defaultAutomationPolicy.minimumTotalConfidence})` : ''}`,
  );
}
for (const t of [...new Set([defaultAutomationPolicy.minimumTotalConfidence, 0.8, 0.9, 0.95, 1])].sort((a, b) => a - b)) {
  const accepted = scored.filter((s) => s.confidence >= t);
  const right = accepted.filter((s) => s.right).length;
  const safe = accepted.filter((s) => s.safe).length;
  const pct = (n: number) => (accepted.length ? ((n / accepted.length) * 100).toFixed(1) : '-');
  console.log(
    `    at ${t.toFixed(2)}: ${accepted.length} totals accepted (${((accepted.length / withTruth) * 100).toFixed(1)}% of receipts), ${right} right (${pct(right)}%), ${safe} not over (${pct(safe)}%)` +
      (values.verbose
        ? `; wrong: ${accepted
            .filter((s) => !s.right)
            .map((s) => s.id)
            .join(' ')}; over: ${
            accepted
              .filter((s) => !s.safe)
              .map((s) => s.id)
              .join(' ') || 'none'
          }`
        : ''),
  );
}

if (read.ocrPages > 0) {
  console.log(
    `  throughput             ${((read.ocrPages / read.seconds) * 60).toFixed(1)} pages/min (${read.ocrPages} pages OCRed in ${read.seconds.toFixed(1)} s)`,
  );
} else {
  console.log('  throughput             not measured (all pages came from the OCR cache)');
}
console.log(`  peak memory            ${peakMiB.toFixed(0)} MiB RSS`);

function printScores(label: string, set: readonly { receipt: Receipt; text: DocumentText; extraction: DocumentExtraction }[]): void {
  const errors = characterErrors(
    set.map((r) => ({ truth: r.receipt.groundTruthText, read: r.text.pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n') })),
  );
  const scores: Record<string, FieldScore> = {
    date: fieldScores(
      set.map((r) => ({
        id: r.receipt.id,
        truth: r.receipt.truth.date ?? r.receipt.key.date ?? null,
        predicted: r.extraction.fields.date?.value ?? null,
      })),
    ),
    total: fieldScores(
      set.map((r) => ({
        id: r.receipt.id,
        truth: r.receipt.truth.cents === null ? (r.receipt.key.total ?? null) : String(r.receipt.truth.cents),
        predicted: r.extraction.fields.total ? String(r.extraction.fields.total.value.cents) : null,
      })),
    ),
    company: fieldScores(
      set.map((r) => ({
        id: r.receipt.id,
        truth: r.receipt.truth.company,
        predicted: r.extraction.fields.issuer ? normalizeCompany(r.extraction.fields.issuer.value) : null,
      })),
    ),
  };
  console.log(`  ${label}:`);
  console.log(
    `    character error rate   ${(errors.rate * 100).toFixed(2)}%  (${errors.edits} edits over ${errors.characters} ground-truth characters)`,
  );
  for (const [field, s] of Object.entries(scores)) {
    console.log(
      `    ${field.padEnd(8)} precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}   (${s.correct} right, ${s.wrong} wrong, ${s.missing} missing)`,
    );
  }
  if (values.verbose) {
    for (const [field, s] of Object.entries(scores))
      for (const m of s.mistakes) console.log(`      ${field} ${m.id}: expected ${m.truth ?? '(none)'}, got ${m.predicted ?? '(none)'}`);
  }
}
