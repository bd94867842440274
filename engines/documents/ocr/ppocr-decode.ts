// What PP-OCR's two networks output, turned into text with boxes. Detection (DB, "differentiable
// binarization") gives a text-probability map: pixels above a threshold are grouped into regions, each
// region's box is grown back by the margin the network shrinks text by. Recognition (CRNN with CTC) gives,
// per time step across a cropped line, a probability for each character: the most likely character per
// step, repeats merged and blanks dropped, is the text. Pure arithmetic on arrays: unit-tested as such.
import type { Box, Line, Word } from '../../../domain/documents/layout.ts';

export interface DetectionSettings {
  /** Probability above which a pixel is text. */
  readonly threshold: number;
  /** Mean probability over its box a region needs to count as text. */
  readonly boxThreshold: number;
  /**
   * Mean probability over its own pixels that makes a region text even when its box scores lower: a
   * line photographed at a slant fills only part of its upright box, so the box's mean falls under
   * `boxThreshold` (letterheads in large print were lost so), while specks stay well under this.
   */
  readonly regionThreshold: number;
  /** How far the network shrank each text region: the box grows by area * ratio / perimeter. */
  readonly unclipRatio: number;
  /** Smallest side, in map pixels, of a region worth reading. */
  readonly minSide: number;
}

export const defaultDetection: DetectionSettings = {
  threshold: 0.3,
  boxThreshold: 0.5,
  regionThreshold: 0.75,
  unclipRatio: 1.6,
  minSide: 3,
};

/**
 * Text boxes from a probability map of `width` x `height` (row-major), in map pixels. Regions are the
 * 8-connected components of the thresholded map, dilated by one pixel right and down as the reference
 * post-processing does; each is scored by its mean probability over its box, and kept when that or the
 * mean over its own pixels is high enough.
 */
export function textBoxes(
  map: Float32Array,
  width: number,
  height: number,
  settings: DetectionSettings = defaultDetection,
): (Box & { score: number })[] {
  const text = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (map[i]! <= settings.threshold) continue;
      text[i] = 1;
      if (x + 1 < width) text[i + 1] = 1;
      if (y + 1 < height) text[i + width] = 1;
      if (x + 1 < width && y + 1 < height) text[i + width + 1] = 1;
    }
  }
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const boxes: (Box & { score: number })[] = [];
  for (let start = 0; start < text.length; start++) {
    if (!text[start] || seen[start]) continue;
    let x0 = width,
      y0 = height,
      x1 = -1,
      y1 = -1;
    let top = 0;
    let regionSum = 0;
    let regionPixels = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const i = stack[--top]!;
      regionSum += map[i]!;
      regionPixels++;
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (text[j] && !seen[j]) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    if (Math.min(w, h) < settings.minSide) continue;
    let sum = 0;
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) sum += map[y * width + x]!;
    const score = sum / (w * h);
    if (score < settings.boxThreshold && regionSum / regionPixels < settings.regionThreshold) continue;
    const grow = (w * h * settings.unclipRatio) / (2 * (w + h));
    boxes.push({
      x0: Math.max(0, x0 - grow),
      y0: Math.max(0, y0 - grow),
      x1: Math.min(width, x1 + 1 + grow),
      y1: Math.min(height, y1 + 1 + grow),
      score,
    });
  }
  return boxes;
}

export interface Recognized {
  readonly text: string;
  /** Mean probability of the characters kept, 0-1. */
  readonly confidence: number;
  /** For each character of `text`, the time step it was read at (to place words). */
  readonly steps: readonly number[];
  readonly probabilities: readonly number[];
}

/**
 * Greedy CTC decoding of one line: `probs` is steps x classes (row-major), class 0 the blank and
 * `alphabet[k]` the character of class k.
 */
export function decodeCtc(probs: Float32Array, steps: number, classes: number, alphabet: readonly string[]): Recognized {
  let text = '';
  const at: number[] = [];
  const kept: number[] = [];
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestP = -Infinity;
    const row = t * classes;
    for (let k = 0; k < classes; k++) {
      const p = probs[row + k]!;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== 0 && best !== previous) {
      const ch = alphabet[best] ?? '';
      text += ch;
      for (let c = 0; c < ch.length; c++) at.push(t);
      for (let c = 0; c < ch.length; c++) kept.push(bestP);
    }
    previous = best;
  }
  const confidence = kept.length ? kept.reduce((a, b) => a + b, 0) / kept.length : 0;
  return { text, confidence, steps: at, probabilities: kept };
}

/** A recognized segment on the page: its box in page pixels, the text, and where each step falls. */
export interface Segment {
  readonly box: Box;
  readonly recognized: Recognized;
  /** Page x of the middle of time step t: x0 + (t + 0.5) * stepWidth. */
  readonly stepWidth: number;
}

/** Words of a segment, split at spaces, each boxed from the time steps of its first and last character. */
export function segmentWords(segment: Segment): Word[] {
  const { text, steps, probabilities } = segment.recognized;
  const words: Word[] = [];
  let from = -1;
  const flush = (to: number) => {
    if (from < 0) return;
    const x = (t: number) => segment.box.x0 + (t + 0.5) * segment.stepWidth;
    const probs = probabilities.slice(from, to);
    words.push({
      text: text.slice(from, to),
      confidence: Math.round((probs.reduce((a, b) => a + b, 0) / Math.max(1, probs.length)) * 1000) / 10,
      box: {
        x0: Math.max(segment.box.x0, Math.round(x(steps[from]!) - segment.stepWidth)),
        y0: Math.round(segment.box.y0),
        x1: Math.min(segment.box.x1, Math.round(x(steps[to - 1]!) + segment.stepWidth)),
        y1: Math.round(segment.box.y1),
      },
    });
    from = -1;
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ' ') flush(i);
    else if (from < 0) from = i;
  }
  flush(text.length);
  return words;
}

/**
 * Segments on the same row become one line, left to right, as Tesseract gives them: a receipt's
 * "TOTAL" and its amount far to the right are detected apart but read together. A segment is on a row
 * when its vertical middle is within a third of its height of the row's: detection boxes are grown by
 * the unclip margin, so they overlap the rows above and below and overlap alone would join them.
 */
export function linesFromSegments(segments: readonly Segment[]): Line[] {
  const withWords = segments.map((s) => ({ s, words: segmentWords(s) })).filter((x) => x.words.length > 0);
  const middle = (b: Box) => (b.y0 + b.y1) / 2;
  withWords.sort((a, b) => middle(a.s.box) - middle(b.s.box));
  const rows: { box: Box; middle: number; height: number; items: typeof withWords }[] = [];
  for (const item of withWords) {
    const { box } = item.s;
    const height = box.y1 - box.y0;
    const row = rows.find((r) => Math.abs(r.middle - middle(box)) <= Math.min(r.height, height) / 3);
    if (row) {
      row.items.push(item);
      row.middle = row.items.reduce((sum, i) => sum + middle(i.s.box), 0) / row.items.length;
      row.box = {
        x0: Math.min(row.box.x0, box.x0),
        y0: Math.min(row.box.y0, box.y0),
        x1: Math.max(row.box.x1, box.x1),
        y1: Math.max(row.box.y1, box.y1),
      };
    } else {
      rows.push({ box, middle: middle(box), height, items: [item] });
    }
  }
  rows.sort((a, b) => a.middle - b.middle);
  return rows.map((row) => {
    row.items.sort((a, b) => a.s.box.x0 - b.s.box.x0);
    const words = row.items.flatMap((i) => i.words);
    const confidence =
      words.reduce((sum, w) => sum + w.confidence * w.text.length, 0) /
      Math.max(
        1,
        words.reduce((n, w) => n + w.text.length, 0),
      );
    return {
      text: words.map((w) => w.text).join(' '),
      confidence: Math.round(confidence * 10) / 10,
      box: { x0: Math.round(row.box.x0), y0: Math.round(row.box.y0), x1: Math.round(row.box.x1), y1: Math.round(row.box.y1) },
      words,
    };
  });
}
