// The OCR engines, chosen by name: PP-OCR on ONNX Runtime (models from a pinned wheel, fetched on first
// use), tesseract.js, or the native tesseract program. One place for the worker, the evaluations and the
// benchmark to make them from, so all measure what production runs (docs/adr/0013 says which is default).
import path from 'node:path';
import type { Config } from '../../../platform/config.ts';
import type { Logger } from '../../../platform/logger.ts';
import { ensureModels, ppOcrV6Small } from '../../../platform/tools.ts';
import type { OcrEngine, OcrEngineName } from './engine.ts';
import { createTesseractCliEngine } from './tesseract-cli.ts';
import { createTesseractJsEngine } from './tesseract-js.ts';

export { ocrEngineNames, type OcrEngineName } from './engine.ts';

export interface OcrEngineSettings {
  readonly workers: number;
  /** Where the native engine's model is unpacked. */
  readonly cacheDir: string;
  readonly tesseractPath?: string;
  readonly onError?: (error: unknown) => void;
  readonly log?: (line: string) => void;
  /** Tesseract parameters (tesseract.js), for experiments. */
  readonly parameters?: Readonly<Record<string, string>>;
}

export async function openOcrEngine(name: OcrEngineName, settings: OcrEngineSettings): Promise<OcrEngine> {
  switch (name) {
    case 'ppocr': {
      const models = await ensureModels(ppOcrV6Small, settings.log);
      // Loaded only when chosen: the native runtime is not needed by processes that read with Tesseract.
      const { createPpOcrEngine } = await import('./ppocr.ts');
      return createPpOcrEngine({
        models: {
          detection: models.detection!,
          recognition: models.recognition!,
          orientation: models.orientation!,
          version: `v6-small@rapidocr-${ppOcrV6Small.version}`,
        },
        size: settings.workers,
      });
    }
    case 'tesseract-cli':
      return createTesseractCliEngine({
        executable: settings.tesseractPath ?? 'tesseract',
        concurrency: settings.workers,
        cacheDir: settings.cacheDir,
      });
    case 'tesseract.js':
      return createTesseractJsEngine({
        size: settings.workers,
        ...(settings.onError ? { onError: settings.onError } : {}),
        ...(settings.parameters ? { parameters: settings.parameters } : {}),
      });
  }
}

/** The OCR engine a documents worker uses, as configured (INSUREFLOW_OCR_ENGINE). */
export function createOcrEngine(config: Config, logger: Logger): Promise<OcrEngine> {
  const log = logger.child({ component: 'ocr' });
  const { ocrEngine, ocrWorkers, tesseractPath } = config.documents;
  return openOcrEngine(ocrEngine, {
    workers: ocrWorkers,
    tesseractPath,
    cacheDir: path.join(config.dataDir, 'cache'),
    onError: (error) => log.error({ err: error }, 'OCR worker error'),
    log: (line) => log.info(line),
  });
}
