import type { Line } from '../../../domain/documents/layout.ts';
import type { GrayImage } from '../images.ts';

/** The engines there are (engines/documents/ocr/index.ts makes them). */
export const ocrEngineNames = ['ppocr', 'tesseract.js', 'tesseract-cli'] as const;
export type OcrEngineName = (typeof ocrEngineNames)[number];

/** How Tesseract should look for text: a page with a layout, one uniform block, or text anywhere. */
export type PageSegmentation = 'auto' | 'block' | 'sparse' | 'line';

export interface OcrOptions {
  readonly segmentation?: PageSegmentation;
  /** Aborting stops waiting for an engine, or stops the recognition under way. */
  readonly signal?: AbortSignal;
}

export interface OcrResult {
  readonly lines: readonly Line[];
  /** Mean word confidence, 0-100. */
  readonly confidence: number;
  /** The engine's own finding that the text stands on its head (PP-OCR's line orientation classifier). */
  readonly upsideDown?: boolean;
}

/** An OCR engine shared by all documents of a process; implementations bound their own concurrency. */
export interface OcrEngine {
  readonly name: string;
  /** How many pages it recognises at once. */
  readonly concurrency: number;
  /** It scales every line of text to its recogniser's height itself, so small print needs no enlarging. */
  readonly scalesLines?: boolean;
  recognize(image: GrayImage, options?: OcrOptions): Promise<OcrResult>;
  close(): Promise<void>;
}

export const tesseractPsm: Record<PageSegmentation, string> = { auto: '3', block: '6', sparse: '11', line: '7' };

export class OcrAbortedError extends Error {
  constructor() {
    super('OCR was cancelled');
    this.name = 'OcrAbortedError';
  }
}

/** A FIFO of waiters for a fixed number of slots; a waiter can give up through its AbortSignal. */
export class SlotQueue {
  private free: number;
  private readonly waiting: { grant: () => void; signal: AbortSignal | undefined; onAbort: () => void }[] = [];
  constructor(slots: number) {
    this.free = slots;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new OcrAbortedError();
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        signal,
        grant: () => {
          signal?.removeEventListener('abort', entry.onAbort);
          resolve();
        },
        onAbort: () => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(new OcrAbortedError());
        },
      };
      signal?.addEventListener('abort', entry.onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next.grant();
    else this.free++;
  }
}
