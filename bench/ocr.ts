// `npm run bench:ocr [-- --pages 40 --data DIR]`: the tesseract.js pool and the PP-OCR engine against the
// native `tesseract` program on the same page images with the same number of cores (one single-threaded
// process per core; for tesseract the same model and parameters). Prints pages per minute for each, their ratio, one-page latency,
// and peak memory. Pages come from the SROIE scans when present, otherwise from generated receipts.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImagePage, enlargeSmallPrint, type GrayImage } from '../engines/documents/images.ts';
import type { OcrEngine } from '../engines/documents/ocr/engine.ts';
import { createTesseractCliEngine } from '../engines/documents/ocr/tesseract-cli.ts';
import { createTesseractJsEngine } from '../engines/documents/ocr/tesseract-js.ts';
import { openOcrEngine } from '../engines/documents/ocr/index.ts';
import { projectRoot } from '../platform/tools.ts';
import { rasterize, textPdf } from '../test/support/documents.ts';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '40' },
    data: { type: 'string', default: path.join(projectRoot, '..', 'shared', 'data', 'sroie-dev') },
    tesseract: { type: 'string', default: 'tesseract' },
  },
});
const count = Number(values.pages);
const cores = availableParallelism();

/** Pages as decoded (PP-OCR reads them so) and as the pipeline prepares them for Tesseract (small print enlarged). */
async function pages(): Promise<{ source: string; images: GrayImage[]; originals: GrayImage[] }> {
  const dir = path.join(path.resolve(values.data), 'img');
  if (existsSync(dir)) {
    const files = readdirSync(dir)
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
      .slice(0, count);
    const originals: GrayImage[] = [];
    for (const f of files) originals.push(await decodeImagePage(readFileSync(path.join(dir, f)), 0, 50_000_000));
    const images = await Promise.all(originals.map((o) => enlargeSmallPrint(o)));
    return { source: `${files.length} SROIE receipt scans from ${dir}`, images, originals };
  }
  const images: GrayImage[] = [];
  for (let n = 0; n < count; n++) {
    const lines = [
      'CITY GLASS LTD',
      'TAX INVOICE',
      `Invoice ${1000 + n}`,
      'Windscreen 1 350.00',
      'Fitting 1 30.00',
      'TOTAL 380.00',
      'CASH 400.00',
      'CHANGE 20.00',
    ];
    images.push((await rasterize(await textPdf([lines]), 200))[0]!);
  }
  return { source: `${count} generated receipts (no SROIE data at ${dir})`, images, originals: images };
}

/** Pages per minute, and the words read, so an engine that reads nothing cannot look fast. */
async function throughput(engine: OcrEngine, images: readonly GrayImage[]): Promise<{ rate: number; words: number }> {
  // One page first, outside the clock: workers start and load the model.
  await Promise.all(Array.from({ length: engine.concurrency }, () => engine.recognize(images[0]!)));
  const started = performance.now();
  const results = await Promise.all(images.map((image) => engine.recognize(image)));
  const rate = images.length / ((performance.now() - started) / 60_000);
  return { rate, words: results.reduce((n, r) => n + r.lines.reduce((m, l) => m + l.words.length, 0), 0) };
}

async function latency(engine: OcrEngine, images: readonly GrayImage[]): Promise<number> {
  const times: number[] = [];
  for (const image of images.slice(0, 10)) {
    const started = performance.now();
    await engine.recognize(image);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function nativeVersion(): string | null {
  try {
    return execFileSync(values.tesseract, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .split('\n')[0]!
      .trim();
  } catch {
    return null;
  }
}

const { source, images, originals } = await pages();
const megapixels = images.reduce((s, i) => s + i.width * i.height, 0) / images.length / 1e6;
console.log(`OCR throughput on ${source} (${megapixels.toFixed(2)} MP per page after preparation), ${cores} cores`);

const pool = createTesseractJsEngine({ size: cores });
const poolRun = await throughput(pool, images);
const poolLatency = await latency(pool, images);
await pool.close();
console.log(
  `  tesseract.js pool (${cores} workers)      ${poolRun.rate.toFixed(1).padStart(6)} pages/min   one page: ${poolLatency.toFixed(0)} ms (median of 10, idle pool)   ${poolRun.words} words`,
);

const version = nativeVersion();
let nativeRate: number | null = null;
if (!version) {
  console.log(
    `  native tesseract                        not installed ('${values.tesseract}' not found): install tesseract-ocr to compare`,
  );
} else {
  const native = createTesseractCliEngine({
    executable: values.tesseract,
    concurrency: cores,
    cacheDir: path.join(tmpdir(), 'insureflow-bench'),
  });
  const nativeRun = await throughput(native, images);
  const nativeLatency = await latency(native, images);
  console.log(
    `  native ${version} (${cores} processes) ${nativeRun.rate.toFixed(1).padStart(6)} pages/min   one page: ${nativeLatency.toFixed(0)} ms   ${nativeRun.words} words`,
  );
  console.log(`  pool / native throughput               ${((poolRun.rate / nativeRun.rate) * 100).toFixed(0)}%`);
  nativeRate = nativeRun.rate;
}

// PP-OCR: pages a minute with one single-threaded session per core; one page with one session on every
// core, as a documents worker runs it by default (INSUREFLOW_OCR_WORKERS=1).
const ppPool = await openOcrEngine('ppocr', { workers: cores, cacheDir: path.join(tmpdir(), 'insureflow-bench') });
// As the pipeline gives them to it: PP-OCR scales each line itself, so small print is not enlarged first.
const ppRun = await throughput(ppPool, originals);
await ppPool.close();
const ppSingle = await openOcrEngine('ppocr', { workers: 1, cacheDir: path.join(tmpdir(), 'insureflow-bench') });
await ppSingle.recognize(originals[0]!);
const ppLatency = await latency(ppSingle, originals);
await ppSingle.close();
console.log(
  `  ${ppPool.name} (${cores} sessions)   ${ppRun.rate.toFixed(1).padStart(6)} pages/min   one page: ${ppLatency.toFixed(0)} ms (one session on ${cores} cores)   ${ppRun.words} words`,
);
if (nativeRate !== null) console.log(`  PP-OCR / native throughput             ${((ppRun.rate / nativeRate) * 100).toFixed(0)}%`);
console.log(`  peak memory                             ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB RSS`);
