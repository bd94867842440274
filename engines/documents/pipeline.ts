// A stored file to text: each page from its PDF text layer when it has one, otherwise rendered or
// decoded to grayscale pixels and read by the OCR engine, turned upright first when it reads poorly.
import sharp from 'sharp';
import type { DocumentText, PageText } from '../../domain/documents/layout.ts';
import type { SupportedMediaType } from '../../domain/shared/file-type.ts';
import { isKeyLine } from '../../domain/documents/key-lines.ts';
import type { Line } from '../../domain/documents/layout.ts';
import { meanConfidence } from '../../domain/documents/layout.ts';
import { cropBand, decodeImagePage, enlargeSmallPrint, rotateImage, type GrayImage } from './images.ts';
import { OcrAbortedError, type OcrEngine, type OcrResult, type PageSegmentation } from './ocr/engine.ts';
import { openPdf, renderPage, renderScale, textLayer } from './pdf.ts';

export interface DocumentLimits {
  readonly maxPages: number;
  /** Largest page image decoded or rendered, in pixels. */
  readonly maxPixels: number;
}

export interface ReadOptions {
  readonly ocr: OcrEngine;
  readonly limits: DocumentLimits;
  readonly segmentation?: PageSegmentation;
  /** Applied to each page image before OCR; by default small print is enlarged (enlargeSmallPrint). */
  readonly prepare?: (image: GrayImage) => Promise<GrayImage>;
  readonly signal?: AbortSignal;
  /** Re-read key lines (totals, dates) enlarged; see `rereadKeyLines`. Off by default (see docs/adr/0007). */
  readonly rereadKeyLines?: boolean;
  /** Called as each page is done, in completion order: for heartbeats and progress. */
  readonly onPage?: (done: number, total: number, page: PageText) => void | Promise<void>;
}

/** A page whose text layer has at least this many visible characters is read from it, not OCRed. */
export const minTextLayerChars = 16;

/** Below this mean confidence an OCR reading is suspect, and the page is tried at other right angles. */
const uprightConfidence = 40;

export class UnreadableDocumentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreadableDocumentError';
  }
}

export async function readDocument(bytes: Uint8Array, mediaType: SupportedMediaType, options: ReadOptions): Promise<DocumentText> {
  if (mediaType === 'application/pdf') return readPdf(bytes, options);
  return readImage(bytes, options);
}

async function readImage(bytes: Uint8Array, options: ReadOptions): Promise<DocumentText> {
  let pageCount: number;
  try {
    pageCount = (await sharp(bytes, { limitInputPixels: options.limits.maxPixels }).metadata()).pages ?? 1;
  } catch (error) {
    throw new UnreadableDocumentError(`the image cannot be decoded (${(error as Error).message})`, { cause: error });
  }
  if (pageCount > options.limits.maxPages)
    throw new UnreadableDocumentError(`it has ${pageCount} pages; at most ${options.limits.maxPages} are read`);
  return {
    pages: await eachPage(pageCount, options, async (index) => {
      let image: GrayImage;
      try {
        image = await decodeImagePage(bytes, index, options.limits.maxPixels);
      } catch (error) {
        throw new UnreadableDocumentError(`page ${index + 1} cannot be decoded (${(error as Error).message})`, { cause: error });
      }
      return ocrPage(index + 1, image, options);
    }),
  };
}

async function readPdf(bytes: Uint8Array, options: ReadOptions): Promise<DocumentText> {
  let pdf: Awaited<ReturnType<typeof openPdf>>;
  try {
    pdf = await openPdf(bytes);
  } catch (error) {
    throw new UnreadableDocumentError(`the PDF cannot be opened (${(error as Error).message})`, { cause: error });
  }
  try {
    if (pdf.numPages > options.limits.maxPages) {
      throw new UnreadableDocumentError(`it has ${pdf.numPages} pages; at most ${options.limits.maxPages} are read`);
    }
    return {
      pages: await eachPage(pdf.numPages, options, async (index) => {
        const page = await pdf.getPage(index + 1);
        try {
          const scale = renderScale(page, options.limits.maxPixels);
          const layer = await textLayer(page, scale);
          const visible = layer.lines.reduce((n, l) => n + l.text.replace(/\s/g, '').length, 0);
          if (visible >= minTextLayerChars) {
            return {
              page: index + 1,
              source: 'text-layer',
              width: layer.width,
              height: layer.height,
              rotation: 0,
              confidence: 100,
              lines: layer.lines,
            };
          }
          return await ocrPage(index + 1, await renderPage(pdf, page, scale), options);
        } finally {
          page.cleanup();
        }
      }),
    };
  } finally {
    await pdf.destroy();
  }
}

/** Runs `read` for every page, as many at once as the OCR engine can take, reporting each as it ends. */
async function eachPage(count: number, options: ReadOptions, read: (index: number) => Promise<PageText>): Promise<PageText[]> {
  const pages: PageText[] = new Array<PageText>(count);
  let next = 0;
  let done = 0;
  const window = Math.max(1, Math.min(options.ocr.concurrency, count));
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < count) {
        const index = next++;
        if (options.signal?.aborted) throw new OcrAbortedError();
        const page = await read(index);
        pages[index] = page;
        done++;
        await options.onPage?.(done, count, page);
      }
    }),
  );
  return pages;
}

/** Most real words taller than wide: the page lies on its side. */
function isSideways(result: OcrResult): boolean {
  const words = result.lines.flatMap((l) => l.words).filter((w) => w.text.length >= 3);
  if (words.length < 5) return false;
  const tall = words.filter((w) => w.box.y1 - w.box.y0 > w.box.x1 - w.box.x0).length;
  return tall / words.length > 0.6;
}

function score(result: OcrResult): number {
  // Confident words of real length: upside-down or sideways text reads as short, unsure fragments.
  return result.lines.flatMap((l) => l.words).reduce((s, w) => s + (w.text.length >= 2 ? w.confidence : 0), 0);
}

async function ocrPage(page: number, original: GrayImage, options: ReadOptions): Promise<PageText> {
  // Tesseract wants text about 30 pixels high; an engine that scales each line itself (PP-OCR) reads the
  // page as it is.
  const image = options.prepare
    ? await options.prepare(original)
    : options.ocr.scalesLines
      ? original
      : await enlargeSmallPrint(original, options.limits.maxPixels);
  const recognize = (img: GrayImage) =>
    options.ocr.recognize(img, { segmentation: options.segmentation ?? 'auto', signal: options.signal });
  let best = await recognize(image);
  let rotation: PageText['rotation'] = 0;
  let size = { width: image.width, height: image.height };
  // Tesseract reads sideways text, but its boxes then stand on end: lines would not be rows. Upside-down
  // text it cannot read at all, which shows as low confidence; PP-OCR reads it as confident nonsense, but
  // its orientation classifier says so.
  const turns: readonly (90 | 180 | 270)[] = isSideways(best)
    ? [90, 270]
    : best.upsideDown
      ? [180]
      : best.confidence < uprightConfidence
        ? [180, 90, 270]
        : [];
  if (turns.length > 0) {
    for (const degrees of turns) {
      const turned = await rotateImage(image, degrees);
      const attempt = await recognize(turned);
      // A sideways reading is as confident as the upright one; only the upright one has upright boxes.
      if (score(attempt) > score(best) * (isSideways(best) ? 0.8 : 1.2) && !isSideways(attempt)) {
        best = attempt;
        rotation = degrees;
        size = { width: turned.width, height: turned.height };
      }
    }
  }
  let lines = best.lines;
  if (options.rereadKeyLines === true) {
    lines = await rereadKeyLines(rotation === 0 ? image : await rotateImage(image, rotation), lines, options);
  }
  return { page, source: 'ocr', ...size, rotation, confidence: Math.round(best.confidence * 10) / 10, lines };
}

/** How much a key line's band is enlarged before it is read again. */
const rereadScale = 3;

/**
 * Reads the full-width band around each key line again, enlarged and as a single line: small print at
 * scan resolution loses decimal points and separators, and a row split into columns by the page layout
 * is read whole. The band's new reading replaces the lines it covers when it is at least as confident.
 */
async function rereadKeyLines(image: GrayImage, lines: readonly Line[], options: ReadOptions): Promise<Line[]> {
  const keys = lines.filter(isKeyLine);
  if (keys.length === 0) return [...lines];
  const replaced = new Set<Line>();
  const added: Line[] = [];
  await Promise.all(
    keys.map(async (key) => {
      const height = key.box.y1 - key.box.y0;
      const top = key.box.y0 - height * 0.25;
      const bottom = key.box.y1 + height * 0.25;
      const band = await cropBand(image, top, bottom, rereadScale);
      const reread = await options.ocr.recognize(band, { segmentation: 'line', signal: options.signal });
      const offsetY = Math.max(0, Math.floor(top));
      const words = reread.lines
        .flatMap((l) => l.words)
        .map((w) => ({
          text: w.text,
          confidence: w.confidence,
          box: {
            x0: Math.round(w.box.x0 / rereadScale),
            y0: Math.round(w.box.y0 / rereadScale) + offsetY,
            x1: Math.round(w.box.x1 / rereadScale),
            y1: Math.round(w.box.y1 / rereadScale) + offsetY,
          },
        }));
      if (words.length === 0) return;
      const covered = lines.filter((l) => {
        const middle = (l.box.y0 + l.box.y1) / 2;
        return middle >= top && middle <= bottom;
      });
      const before = meanConfidence(covered.flatMap((l) => l.words));
      const after = meanConfidence(words);
      if (after + 5 < before) return;
      for (const l of covered) replaced.add(l);
      added.push({
        text: words.map((w) => w.text).join(' '),
        confidence: after,
        box: {
          x0: Math.min(...words.map((w) => w.box.x0)),
          y0: Math.min(...words.map((w) => w.box.y0)),
          x1: Math.max(...words.map((w) => w.box.x1)),
          y1: Math.max(...words.map((w) => w.box.y1)),
        },
        words,
      });
    }),
  );
  // Bands of neighbouring key lines can overlap; keep one reading per line.
  const kept: Line[] = [];
  for (const line of added.sort((a, b) => a.box.y0 - b.box.y0)) {
    const last = kept.at(-1);
    if (last && line.box.y0 < (last.box.y0 + last.box.y1) / 2) {
      if (line.confidence > last.confidence) kept[kept.length - 1] = line;
      continue;
    }
    kept.push(line);
  }
  return [...lines.filter((l) => !replaced.has(l)), ...kept].sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
}
