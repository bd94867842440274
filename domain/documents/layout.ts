// The text of a document as the pipeline produces it, from a PDF's text layer or from OCR: pages of
// lines of words, each with its box (pixels of the page image, origin top-left) and confidence (0-100).

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface Word {
  readonly text: string;
  readonly confidence: number;
  readonly box: Box;
}

export interface Line {
  readonly text: string;
  readonly confidence: number;
  readonly box: Box;
  readonly words: readonly Word[];
}

export type TextSource = 'text-layer' | 'ocr';

export interface PageText {
  /** 1-based. */
  readonly page: number;
  readonly source: TextSource;
  readonly width: number;
  readonly height: number;
  /** Clockwise degrees the page image was turned before OCR to read upright. */
  readonly rotation: 0 | 90 | 180 | 270;
  /** Mean word confidence, 100 for a text layer. */
  readonly confidence: number;
  readonly lines: readonly Line[];
}

export interface DocumentText {
  readonly pages: readonly PageText[];
}

export function pageText(page: PageText): string {
  return page.lines.map((l) => l.text).join('\n');
}

export function meanConfidence(words: readonly Word[]): number {
  if (words.length === 0) return 0;
  return words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
}
