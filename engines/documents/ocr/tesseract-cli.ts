// The native `tesseract` program as an alternative engine (INSUREFLOW_OCR_ENGINE=tesseract-cli), where it
// is installed: one process per page, single-threaded, as many at once as there are cores. By default
// it reads the same model as tesseract.js, so switching engines does not change what is recognised.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Line, Word } from '../../../domain/documents/layout.ts';
import { meanConfidence } from '../../../domain/documents/layout.ts';
import { toPgm, type GrayImage } from '../images.ts';
import { OcrAbortedError, SlotQueue, tesseractPsm, type OcrEngine, type OcrOptions, type OcrResult } from './engine.ts';
import { defaultParameters, englishModelDir } from './tesseract-js.ts';

export interface TesseractCliOptions {
  readonly executable?: string;
  readonly concurrency?: number;
  /** Folder holding eng.traineddata; by default the tesseract.js model, unpacked into `cacheDir`. */
  readonly tessdataDir?: string;
  readonly cacheDir: string;
}

/** Unpacks the bundled gzip model once, so both engines read the same weights. */
export function bundledTessdata(cacheDir: string): string {
  const dir = path.join(cacheDir, 'tessdata-4.0.0_best_int');
  const target = path.join(dir, 'eng.traineddata');
  if (!existsSync(target)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, gunzipSync(readFileSync(path.join(englishModelDir, 'eng.traineddata.gz'))));
    renameSync(partial, target);
  }
  return dir;
}

export function createTesseractCliEngine(options: TesseractCliOptions): OcrEngine {
  const executable = options.executable ?? 'tesseract';
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const tessdata = options.tessdataDir ?? bundledTessdata(options.cacheDir);
  const queue = new SlotQueue(concurrency);

  async function recognize(image: GrayImage, opts: OcrOptions = {}): Promise<OcrResult> {
    await queue.acquire(opts.signal);
    try {
      const psm = tesseractPsm[opts.segmentation ?? 'auto'];
      const tsv = await new Promise<string>((resolve, reject) => {
        // TSV by parameters rather than the `tsv` config file, which a bare model folder does not have.
        const parameters = Object.entries({ ...defaultParameters, tessedit_create_tsv: '1', tessedit_create_txt: '0' }).flatMap(
          ([k, v]) => ['-c', `${k}=${v}`],
        );
        const child = spawn(executable, ['stdin', 'stdout', '--oem', '1', '--psm', psm, '--tessdata-dir', tessdata, ...parameters], {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        const out: Buffer[] = [];
        let err = '';
        child.stdout.on('data', (c: Buffer) => out.push(c));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        const onAbort = () => {
          child.kill('SIGKILL');
          reject(new OcrAbortedError());
        };
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        child.once('error', reject);
        child.once('close', (code) => {
          opts.signal?.removeEventListener('abort', onAbort);
          if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
          else reject(new Error(`tesseract exited with ${code}: ${err.trim().slice(0, 500)}`));
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(toPgm(image));
      });
      return parseTsv(tsv);
    } finally {
      queue.release();
    }
  }

  return { name: 'tesseract-cli', concurrency, recognize, close: () => Promise.resolve() };
}

/** Tesseract's TSV: one row per element; level 4 rows are lines, level 5 rows their words. */
export function parseTsv(tsv: string): OcrResult {
  const lines: Line[] = [];
  const all: Word[] = [];
  let current: { key: string; box: Line['box']; words: Word[] } | null = null;
  const flush = () => {
    if (current && current.words.length > 0) {
      lines.push({
        text: current.words.map((w) => w.text).join(' '),
        confidence: meanConfidence(current.words),
        box: current.box,
        words: current.words,
      });
    }
    current = null;
  };
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    if (cols.length < 12) continue;
    const [level, , block, paragraph, line, , left, top, width, height, conf, ...rest] = cols;
    const box = { x0: Number(left), y0: Number(top), x1: Number(left) + Number(width), y1: Number(top) + Number(height) };
    if (level === '4') {
      flush();
      current = { key: `${block}/${paragraph}/${line}`, box, words: [] };
    } else if (level === '5' && current) {
      const text = rest.join('\t').trim();
      if (text === '') continue;
      const word: Word = { text, confidence: Number(conf), box };
      current.words.push(word);
      all.push(word);
    }
  }
  flush();
  return { lines, confidence: meanConfidence(all) };
}
