// The document's lines as the field rules read them: in reading order, each with its page, its position
// on the page and a key text for keyword matching that forgives OCR's usual confusions.
import { editDistance } from '../../shared/edit-distance.ts';
import { findAmounts, type AmountMatch } from '../amounts.ts';
import type { Box, DocumentText, Line, PageText } from '../layout.ts';
import type { Evidence } from './field.ts';

export interface PlacedLine {
  readonly page: PageText;
  readonly line: Line;
  /** Upper-case, OCR look-alikes in words folded (0->O, 1->I, 5->S): for keyword matching only. */
  readonly key: string;
  /** 0 at the top of the page, 1 at the bottom. */
  readonly position: number;
}

function keyText(text: string): string {
  return text
    .toUpperCase()
    .replace(/(?<=[A-Z])[0](?=[A-Z])|(?<=[A-Z])0\b|\b0(?=[A-Z]{2})/g, 'O')
    .replace(/(?<=[A-Z])[1|!](?=[A-Z])/g, 'I')
    .replace(/(?<=[A-Z])5(?=[A-Z])|\b5(?=[A-Z]{2})/g, 'S')
    .replace(/\s+/g, ' ')
    .replace(/\b[A-Z]{5,}\b/g, nearestKeyword);
}

/**
 * The words the total rules key on, and words a misreading could be taken for but must stay themselves
 * (a service CHARGE is not CHANGE). OCR of thermal print drops or swaps a letter: "TATAL", "CHANG",
 * "REUNDING".
 */
const keywords = [
  'TOTAL',
  'CHANGE',
  'CHARGE',
  'ROUNDING',
  'ROUNDED',
  'AMOUNT',
  'SUBTOTAL',
  'INCLUSIVE',
  'EXCLUDING',
  'EXCLUSIVE',
  'INCLUDING',
  'ADJUSTMENT',
  'SUMMARY',
  'DISCOUNT',
  'PAYABLE',
  'SERVICE',
];

/** A word within one edit (two for eight letters or more) of exactly one keyword becomes that keyword. */
function nearestKeyword(word: string): string {
  if (keywords.includes(word)) return word;
  const allowed = word.length >= 8 ? 2 : 1;
  let found: string | undefined;
  for (const k of keywords) {
    if (Math.abs(k.length - word.length) > allowed || editDistance(word, k, allowed) > allowed) continue;
    if (found !== undefined) return word;
    found = k;
  }
  return found ?? word;
}

export function placeLines(doc: DocumentText): PlacedLine[] {
  return doc.pages.flatMap((page) =>
    page.lines.map((line) => ({ page, line, key: keyText(line.text), position: page.height > 0 ? line.box.y0 / page.height : 0 })),
  );
}

export const evidence = (p: PlacedLine, box: Box = p.line.box): Evidence => ({ page: p.page.page, box, text: p.line.text });
export const ocrCertainty = (p: PlacedLine) => Math.max(0.2, Math.min(1, p.line.confidence / 100));
export const round2 = (n: number) => Math.round(n * 100) / 100;

export function amountsOf(p: PlacedLine): { amount: AmountMatch; at: PlacedLine; box: Box }[] {
  return findAmounts(p.line.text).map((amount) => ({ amount, at: p, box: wordBoxAt(p.line, amount.index, amount.text.length) }));
}

/** The box of the words covering characters [start, start+length) of the line's text. */
export function wordBoxAt(line: Line, start: number, length: number): Box {
  let offset = 0;
  const covered = line.words.filter((w) => {
    const from = line.text.indexOf(w.text, offset);
    const to = from + w.text.length;
    if (from >= 0) offset = to;
    return from >= 0 && from < start + length && to > start;
  });
  if (covered.length === 0) return line.box;
  return {
    x0: Math.min(...covered.map((w) => w.box.x0)),
    y0: Math.min(...covered.map((w) => w.box.y0)),
    x1: Math.max(...covered.map((w) => w.box.x1)),
    y1: Math.max(...covered.map((w) => w.box.y1)),
  };
}
