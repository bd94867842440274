// Reads receipts through the production document pipeline (readDocument with the given OCR engine), or
// from the OCR cache when the same engine, model, pipeline source and image were read before.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DocumentText } from '../../domain/documents/layout.ts';
import { sniffMediaType } from '../../domain/shared/file-type.ts';
import type { GrayImage } from '../../engines/documents/images.ts';
import type { OcrEngine, PageSegmentation } from '../../engines/documents/ocr/engine.ts';
import { readDocument } from '../../engines/documents/pipeline.ts';
import { projectRoot } from '../../platform/tools.ts';
import { defaultOcrCacheRoot, OcrCache, type Receipt } from './receipts.ts';

export interface ReadReceiptsOptions {
  readonly engine: OcrEngine;
  readonly segmentation?: PageSegmentation;
  readonly prepare?: (image: GrayImage) => Promise<GrayImage>;
  /** Names the settings beyond the engine (segmentation, scaling), for the cache key. */
  readonly variant: string;
  readonly cache: boolean;
}

const require = createRequire(import.meta.url);

/**
 * The cache key: the engine and its package version, the settings, and a digest of the source that turns
 * an image into text (pipeline, image preparation, OCR adapters), so a change there reads pages again.
 */
export function ocrCacheKey(engine: OcrEngine, variant: string): string {
  const ppocr = engine.name.startsWith('ppocr');
  const packages = ppocr ? ['onnxruntime-node'] : ['tesseract.js', '@tesseract.js-data/eng'];
  const sources = [
    'engines/documents/pipeline.ts',
    'engines/documents/images.ts',
    'engines/documents/pdf.ts',
    ...(ppocr
      ? ['engines/documents/ocr/ppocr.ts', 'engines/documents/ocr/ppocr-decode.ts']
      : ['engines/documents/ocr/tesseract-js.ts', 'engines/documents/ocr/tesseract-cli.ts']),
  ];
  const digest = createHash('sha256');
  for (const file of sources) digest.update(readFileSync(path.join(projectRoot, file)));
  for (const p of packages) digest.update(`${p}@${(require(`${p}/package.json`) as { version: string }).version}`);
  return `${engine.name}-${variant}-${digest.digest('hex').slice(0, 12)}`;
}

export async function readReceipts(receipts: readonly Receipt[], options: ReadReceiptsOptions) {
  const { engine } = options;
  const cache = options.cache ? new OcrCache(defaultOcrCacheRoot, ocrCacheKey(engine, options.variant)) : null;
  const limits = { maxPages: 50, maxPixels: 40_000_000 };
  const results: { receipt: Receipt; text: DocumentText }[] = [];
  let ocrPages = 0;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: engine.concurrency }, async () => {
      while (next < receipts.length) {
        const receipt = receipts[next++]!;
        const bytes = readFileSync(receipt.image);
        const hash = OcrCache.imageHash(bytes);
        let text = cache?.get(hash) ?? null;
        if (!text) {
          const mediaType = sniffMediaType(bytes);
          if (!mediaType) throw new Error(`${receipt.image}: not an accepted file type`);
          text = await readDocument(bytes, mediaType, {
            ocr: engine,
            limits,
            segmentation: options.segmentation,
            prepare: options.prepare,
          });
          ocrPages += text.pages.length;
          cache?.put(hash, text);
        }
        results.push({ receipt, text });
      }
    }),
  );
  results.sort((a, b) => a.receipt.id.localeCompare(b.receipt.id));
  return { results, ocrPages, seconds: (performance.now() - started) / 1000, cacheDir: cache?.location ?? null };
}
