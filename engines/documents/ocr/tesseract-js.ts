// Tesseract compiled to WebAssembly (tesseract.js): nothing to install, fully offline. A pool of
// long-lived workers, one per core by default: starting one costs about half a second and its model
// stays loaded, so workers are reused for every page of every document.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import type { Line, Word } from '../../../domain/documents/layout.ts';
import { meanConfidence } from '../../../domain/documents/layout.ts';
import { toPgm, type GrayImage } from '../images.ts';
import { OcrAbortedError, SlotQueue, tesseractPsm, type OcrEngine, type OcrOptions, type OcrResult } from './engine.ts';

const require = createRequire(import.meta.url);

/** The LSTM-only "best_int" English model shipped in @tesseract.js-data/eng: no download at run time. */
export const englishModelDir = path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');

export interface TesseractJsOptions {
  readonly size?: number;
  readonly langPath?: string;
  /** A wrong model path makes createWorker hang rather than fail; this bounds it. */
  readonly startTimeoutMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Tesseract parameters set on every worker (see ocrParameters). */
  readonly parameters?: Readonly<Record<string, string>>;
}

/**
 * Skipping Tesseract's search for white-on-black text: +24% pages per minute on the SROIE receipts at
 * the same accuracy (docs/adr/0007); documents with inverted text are rare in claims. Its diagnostic
 * chatter ("Estimating resolution as ...") goes nowhere rather than into the service's logs.
 */
export const defaultParameters: Readonly<Record<string, string>> = { tessedit_do_invert: '0', debug_file: '/dev/null' };

interface Slot {
  worker: Promise<Worker>;
  psm: string | null;
}

export function createTesseractJsEngine(options: TesseractJsOptions = {}): OcrEngine {
  const size = Math.max(1, options.size ?? availableParallelism());
  const langPath = options.langPath ?? englishModelDir;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const onError = options.onError ?? (() => undefined);

  const start = async (): Promise<Worker> => {
    let timer: NodeJS.Timeout | undefined;
    const worker = createWorker('eng', OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      cacheMethod: 'none',
      // Without a handler a worker error is thrown in the worker thread and takes the process down.
      errorHandler: onError,
    });
    try {
      const started = await Promise.race([
        worker,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`The OCR engine did not start within ${startTimeoutMs} ms (model folder ${langPath})`)),
            startTimeoutMs,
          );
        }),
      ]);
      await started.setParameters({ ...defaultParameters, ...options.parameters });
      return started;
    } catch (error) {
      void worker.then((w) => w.terminate()).catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  // Workers start in the background as soon as the pool exists; a failed start is retried on next use.
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: start(), psm: null }));
  for (const slot of slots) slot.worker.catch(() => undefined);
  const idle = [...slots];
  const queue = new SlotQueue(size);
  let closed = false;

  async function recognize(image: GrayImage, opts: OcrOptions = {}): Promise<OcrResult> {
    if (closed) throw new Error('The OCR engine is closed');
    await queue.acquire(opts.signal);
    const slot = idle.pop()!;
    try {
      let worker: Worker;
      try {
        worker = await slot.worker;
      } catch {
        slot.worker = start();
        slot.psm = null;
        worker = await slot.worker;
      }
      const psm = tesseractPsm[opts.segmentation ?? 'auto'];
      if (slot.psm !== psm) {
        await worker.setParameters({ tessedit_pageseg_mode: psm as never });
        slot.psm = psm;
      }
      const job = worker.recognize(toPgm(image), {}, { text: false, blocks: true });
      const signal = opts.signal;
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          // A recognition cannot be interrupted; the worker running it is replaced.
          const stale = slot.worker;
          slot.worker = start();
          slot.psm = null;
          slot.worker.catch(() => undefined);
          void stale.then((w) => w.terminate()).catch(() => undefined);
          reject(new OcrAbortedError());
        };
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const result = await Promise.race([job, aborted]);
        return toResult(result.data.blocks ?? []);
      } finally {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        job.catch(() => undefined);
      }
    } finally {
      idle.push(slot);
      queue.release();
    }
  }

  return {
    name: 'tesseract.js',
    concurrency: size,
    recognize,
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.then((w) => w.terminate()).catch(() => undefined)));
    },
  };
}

interface TesseractBlock {
  paragraphs: {
    lines: { text: string; confidence: number; bbox: TesseractBox; words: { text: string; confidence: number; bbox: TesseractBox }[] }[];
  }[];
}
interface TesseractBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function toResult(blocks: readonly TesseractBlock[]): OcrResult {
  const lines: Line[] = [];
  const allWords: Word[] = [];
  for (const block of blocks) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: Word[] = line.words
          .filter((w) => w.text.trim() !== '')
          .map((w) => ({ text: w.text, confidence: w.confidence, box: { ...w.bbox } }));
        if (words.length === 0) continue;
        allWords.push(...words);
        lines.push({ text: words.map((w) => w.text).join(' '), confidence: line.confidence, box: { ...line.bbox }, words });
      }
    }
  }
  return { lines, confidence: meanConfidence(allWords) };
}
