// `npm run eval:documents [-- --data DIR --engine tesseract.js|tesseract-cli --limit N --cache DIR --verbose]`
// Runs the document pipeline (OCR and extraction) over a folder laid out like SROIE (img/NNN.jpg, box/NNN.csv
// ground-truth lines, key/NNN.json fields) and prints character error rate, precision/recall/F1 for date,
// total and company, pages per minute and peak memory.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseAmountText } from '../domain/documents/amounts.ts';
import { parseDateText } from '../domain/documents/dates.ts';
import { extractDocument, type DocumentExtraction } from '../domain/documents/extract.ts';
import type { DocumentText } from '../domain/documents/layout.ts';
import { sniffMediaType } from '../domain/file-type.ts';
import { normalizeContrast, scaleImage, type GrayImage } from '../documents/images.ts';
import type { OcrEngine, PageSegmentation } from '../documents/ocr/engine.ts';
import { createTesseractCliEngine } from '../documents/ocr/tesseract-cli.ts';
import { createTesseractJsEngine } from '../documents/ocr/tesseract-js.ts';
import { readDocument } from '../documents/pipeline.ts';
import { projectRoot } from '../system/tools.ts';
import { characterErrors, fieldScores, type FieldScore } from './lib/metrics.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(projectRoot, '..', 'shared', 'data', 'sroie-dev') },
    engine: { type: 'string', default: 'tesseract.js' },
    segmentation: { type: 'string', default: 'auto' },
    workers: { type: 'string' },
    limit: { type: 'string' },
    cache: { type: 'string' },
    scale: { type: 'string' },
    normalize: { type: 'boolean', default: false },
    param: { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false },
  },
});

const dataDir = path.resolve(values.data);
if (!existsSync(path.join(dataDir, 'img'))) {
  console.log(`SKIPPED: no evaluation data at ${dataDir} (expected img/, box/ and key/ as in SROIE). Pass --data DIR.`);
  process.exit(0);
}

interface Sample {
  readonly id: string;
  readonly image: string;
  readonly groundTruthText: string;
  readonly key: { company?: string; date?: string; total?: string };
}

const samples: Sample[] = readdirSync(path.join(dataDir, 'img'))
  .filter((f) => /\.(jpe?g|png|tiff?|pdf)$/i.test(f))
  .sort()
  .slice(0, values.limit ? Number(values.limit) : undefined)
  .map((file) => {
    const id = file.replace(/\.[^.]+$/, '');
    const boxes = readFileSync(path.join(dataDir, 'box', `${id}.csv`), 'utf8');
    const groundTruthText = boxes
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .map((l) => l.split(',').slice(8).join(','))
      .join('\n');
    const key = JSON.parse(readFileSync(path.join(dataDir, 'key', `${id}.json`), 'utf8')) as Sample['key'];
    return { id, image: path.join(dataDir, 'img', file), groundTruthText, key };
  });

const segmentation = values.segmentation as PageSegmentation;
const workers = values.workers ? Number(values.workers) : availableParallelism();
const engine: OcrEngine =
  values.engine === 'tesseract-cli'
    ? createTesseractCliEngine({ concurrency: workers, cacheDir: path.join(projectRoot, '.data', 'cache') })
    : createTesseractJsEngine({ size: workers, parameters: Object.fromEntries((values.param ?? []).map((p) => p.split('=') as [string, string])) });
const scale = values.scale ? Number(values.scale) : undefined;
// Without --scale or --normalize the pipeline's own preparation applies (small scans enlarged).
const prepare = scale === undefined && !values.normalize ? undefined : async (image: GrayImage) => {
  let out = values.normalize ? await normalizeContrast(image) : image;
  if (scale !== undefined && scale !== 1) out = await scaleImage(out, scale);
  return out;
};
const variant = `${engine.name}-${segmentation}-${scale === undefined ? 'default' : `x${scale}`}${values.normalize ? '-norm' : ''}${(values.param ?? []).map((p) => `-${p}`).join('')}`;
const cacheDir = values.cache ? path.resolve(values.cache, variant) : undefined;
if (cacheDir) mkdirSync(cacheDir, { recursive: true });

const limits = { maxPages: 50, maxPixels: 40_000_000 };
const results: { sample: Sample; text: DocumentText; extraction: DocumentExtraction }[] = [];
let ocrPages = 0;
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: engine.concurrency }, async () => {
    while (next < samples.length) {
      const sample = samples[next++]!;
      const cached = cacheDir ? path.join(cacheDir, `${sample.id}.json`) : undefined;
      let text: DocumentText;
      if (cached && existsSync(cached)) {
        text = JSON.parse(readFileSync(cached, 'utf8')) as DocumentText;
      } else {
        const bytes = readFileSync(sample.image);
        const mediaType = sniffMediaType(bytes);
        if (!mediaType) throw new Error(`${sample.image}: not an accepted file type`);
        text = await readDocument(bytes, mediaType, { ocr: engine, limits, segmentation, prepare });
        ocrPages += text.pages.length;
        if (cached) writeFileSync(cached, JSON.stringify(text));
      }
      results.push({ sample, text, extraction: extractDocument(text) });
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
await engine.close();

const errors = characterErrors(results.map((r) => ({ truth: r.sample.groundTruthText, read: r.text.pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n') })));

const normalizeCompany = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
const scores: Record<string, FieldScore> = {
  date: fieldScores(
    results.map((r) => ({
      id: r.sample.id,
      truth: r.sample.key.date ? (parseDateText(r.sample.key.date)?.iso ?? r.sample.key.date) : null,
      predicted: r.extraction.fields.date?.value ?? null,
    })),
  ),
  total: fieldScores(
    results.map((r) => ({
      id: r.sample.id,
      truth: r.sample.key.total ? String(parseAmountText(r.sample.key.total)?.cents ?? r.sample.key.total) : null,
      predicted: r.extraction.fields.total ? String(r.extraction.fields.total.value.cents) : null,
    })),
  ),
  company: fieldScores(
    results.map((r) => ({
      id: r.sample.id,
      truth: r.sample.key.company ? normalizeCompany(r.sample.key.company) : null,
      predicted: r.extraction.fields.issuer ? normalizeCompany(r.extraction.fields.issuer.value) : null,
    })),
  ),
};

const peakMiB = process.resourceUsage().maxRSS / 1024;
console.log(`Document pipeline on ${results.length} documents from ${dataDir}`);
console.log(`  engine ${engine.name}, ${engine.concurrency} workers, variant ${variant}${cacheDir ? `, OCR cache ${cacheDir}` : ''}`);
console.log(`  character error rate   ${(errors.rate * 100).toFixed(2)}%  (${errors.edits} edits over ${errors.characters} ground-truth characters)`);
for (const [field, s] of Object.entries(scores)) {
  console.log(
    `  ${field.padEnd(8)} precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}   (${s.correct} right, ${s.wrong} wrong, ${s.missing} missing)`,
  );
}
if (ocrPages > 0) {
  console.log(`  throughput             ${((ocrPages / seconds) * 60).toFixed(1)} pages/min (${ocrPages} pages OCRed in ${seconds.toFixed(1)} s)`);
} else {
  console.log('  throughput             not measured (all pages came from the OCR cache)');
}
console.log(`  peak memory            ${peakMiB.toFixed(0)} MiB RSS`);
if (values.verbose) {
  for (const [field, s] of Object.entries(scores)) {
    for (const m of s.mistakes) console.log(`    ${field} ${m.id}: expected ${m.truth ?? '(none)'}, got ${m.predicted ?? '(none)'}`);
  }
}
