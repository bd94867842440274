import path from 'node:path';
import type { Config } from '../../system/config.ts';
import type { Logger } from '../../system/logger.ts';
import type { OcrEngine } from './engine.ts';
import { createTesseractCliEngine } from './tesseract-cli.ts';
import { createTesseractJsEngine } from './tesseract-js.ts';

/** The OCR engine a documents worker uses: tesseract.js by default, the native CLI by configuration. */
export function createOcrEngine(config: Config, logger: Logger): OcrEngine {
  const { ocrEngine, ocrWorkers, tesseractPath } = config.documents;
  if (ocrEngine === 'tesseract-cli') {
    return createTesseractCliEngine({ executable: tesseractPath, concurrency: ocrWorkers, cacheDir: path.join(config.dataDir, 'cache') });
  }
  const log = logger.child({ component: 'ocr' });
  return createTesseractJsEngine({ size: ocrWorkers, onError: (error) => log.error({ err: error }, 'OCR worker error') });
}
