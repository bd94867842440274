// PDFs through pdf.js (Apache-2.0; see docs/adr/0006): a page's text layer is read directly, a page
// without one is rendered to pixels for OCR. The canvas is the one pdf.js ships with (@napi-rs/canvas).
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Box, Line, Word } from '../../domain/documents/layout.ts';
import { rgbaToGray, type GrayImage } from './images.ts';

const require = createRequire(import.meta.url);
const pdfjsDir = path.dirname(require.resolve('pdfjs-dist/package.json'));

/** Resolution pages are rendered at for OCR, unless the pixel budget asks for less. */
export const renderDpi = 300;

export class PdfPasswordError extends Error {
  constructor() {
    super('The PDF is encrypted and needs a password to open');
    this.name = 'PdfPasswordError';
  }
}

export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // pdf.js takes ownership of (detaches) the buffer it is given: pass a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: `${path.join(pdfjsDir, 'standard_fonts')}/`,
    cMapUrl: `${path.join(pdfjsDir, 'cmaps')}/`,
    cMapPacked: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    // pdf.js does not export the class; its name is stable.
    if ((error as Error).name === 'PasswordException') throw new PdfPasswordError();
    throw error;
  }
}

export function renderScale(page: PDFPageProxy, maxPixels: number): number {
  const { width, height } = page.getViewport({ scale: 1 });
  const wanted = renderDpi / 72;
  return Math.min(wanted, Math.sqrt(maxPixels / Math.max(1, width * height)));
}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/**
 * The page's text layer as lines of words, with boxes in the pixels of the page rendered at `scale`,
 * so they line up with what OCR would have produced.
 */
export async function textLayer(page: PDFPageProxy, scale: number): Promise<{ lines: Line[]; width: number; height: number }> {
  // In the page's own frame, before any /Rotate: text drawn upright reads left to right there, however
  // the page is meant to be displayed.
  const viewport = page.getViewport({ scale, rotation: 0 });
  const content = await page.getTextContent();
  const pieces: { text: string; box: Box; baseline: number; size: number }[] = [];
  for (const raw of content.items) {
    const item = raw as TextItem;
    if (typeof item.str !== 'string' || item.str.trim() === '') continue;
    const [x, y] = viewport.convertToViewportPoint(item.transform[4] ?? 0, item.transform[5] ?? 0) as [number, number];
    const size = Math.max(1, Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) * scale);
    const width = item.width * scale;
    pieces.push({ text: item.str, box: { x0: x, y0: y - size, x1: x + width, y1: y + size * 0.25 }, baseline: y, size });
  }
  pieces.sort((a, b) => a.baseline - b.baseline || a.box.x0 - b.box.x0);
  const groups: (typeof pieces)[] = [];
  for (const piece of pieces) {
    const last = groups.at(-1);
    const ref = last?.[0];
    if (last && ref && Math.abs(piece.baseline - ref.baseline) < Math.min(piece.size, ref.size) * 0.5) last.push(piece);
    else groups.push([piece]);
  }
  const lines: Line[] = groups.map((group) => {
    group.sort((a, b) => a.box.x0 - b.box.x0);
    const words: Word[] = group.flatMap((piece) => splitWords(piece.text, piece.box));
    const box = {
      x0: Math.min(...words.map((w) => w.box.x0)),
      y0: Math.min(...words.map((w) => w.box.y0)),
      x1: Math.max(...words.map((w) => w.box.x1)),
      y1: Math.max(...words.map((w) => w.box.y1)),
    };
    return { text: words.map((w) => w.text).join(' '), confidence: 100, box: roundBox(box), words };
  });
  return { lines, width: Math.ceil(viewport.width), height: Math.ceil(viewport.height) };
}

/** Splits a text run into words, giving each a share of the run's width by its characters. */
function splitWords(text: string, box: Box): Word[] {
  const words: Word[] = [];
  const perChar = (box.x1 - box.x0) / Math.max(1, text.length);
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const x0 = box.x0 + m.index * perChar;
    words.push({ text: m[0], confidence: 100, box: roundBox({ x0, y0: box.y0, x1: x0 + m[0].length * perChar, y1: box.y1 }) });
  }
  return words;
}

function roundBox(b: Box): Box {
  return { x0: Math.round(b.x0), y0: Math.round(b.y0), x1: Math.round(b.x1), y1: Math.round(b.y1) };
}

export async function renderPage(pdf: PDFDocumentProxy, page: PDFPageProxy, scale: number): Promise<GrayImage> {
  const viewport = page.getViewport({ scale });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const factory = pdf.canvasFactory as {
    create(
      w: number,
      h: number,
    ): { canvas: unknown; context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    destroy(c: unknown): void;
  };
  const target = factory.create(width, height);
  try {
    await page.render({ canvasContext: target.context as never, canvas: target.canvas as never, viewport }).promise;
    return rgbaToGray(target.context.getImageData(0, 0, width, height).data, width, height);
  } finally {
    factory.destroy(target);
  }
}
