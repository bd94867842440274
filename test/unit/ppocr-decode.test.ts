import { describe, expect, it } from 'vitest';
import { onnxMetadata, restrictRecognizer } from '../../engines/documents/ocr/onnx-metadata.ts';
import { decodeCtc, linesFromSegments, textBoxes, type Segment } from '../../engines/documents/ocr/ppocr-decode.ts';

describe('PP-OCR detection boxes', () => {
  it('finds each text region of the probability map, grown back by the unclip margin, and drops faint ones', () => {
    const width = 40;
    const height = 20;
    const map = new Float32Array(width * height);
    const fill = (x0: number, y0: number, x1: number, y1: number, p: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) map[y * width + x] = p;
    };
    fill(2, 2, 12, 6, 0.9); // a word
    fill(20, 2, 36, 6, 0.8); // another, on the same row
    fill(2, 12, 10, 16, 0.35); // above the pixel threshold, below the region threshold: noise
    const boxes = textBoxes(map, width, height);
    expect(boxes).toHaveLength(2);
    // The first region is 11 x 5 after the one-pixel dilation: it grows by 55 * 1.6 / 32 = 2.75 each side.
    expect(boxes[0]).toMatchObject({ x0: 0, y0: 0 });
    expect(boxes[0]!.x1).toBeCloseTo(13 + 2.75, 5);
    expect(boxes[0]!.y1).toBeCloseTo(7 + 2.75, 5);
    expect(boxes[1]!.score).toBeGreaterThan(0.5);
  });

  it('keeps a line photographed at a slant, whose upright box is mostly paper, and still drops a faint speck', () => {
    const width = 60;
    const height = 30;
    const map = new Float32Array(width * height);
    // A band 4 pixels high climbing 1 pixel every 4 across 40, fading out at its edges as the network's
    // map does: its box is 15 x 42, a quarter of it text.
    for (let x = 4; x < 46; x++) for (let dy = -1; dy < 5; dy++) map[(20 - Math.floor((x - 5) / 4) + dy) * width + x] = 0.25;
    for (let x = 5; x < 45; x++) for (let dy = 0; dy < 4; dy++) map[(20 - Math.floor((x - 5) / 4) + dy) * width + x] = 0.95;
    for (let y = 25; y < 28; y++) for (let x = 50; x < 54; x++) map[y * width + x] = 0.55; // a speck
    const boxes = textBoxes(map, width, height);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]!.score).toBeLessThan(0.5);
    expect(boxes[0]!.x0).toBeLessThan(5);
    expect(boxes[0]!.x1).toBeGreaterThan(45);
  });
});

describe('CTC decoding', () => {
  const alphabet = ['', 'T', 'O', 'A', 'L', ' ', '5', '8', '.', '0'];
  const steps = (...classes: number[]) => {
    const probs = new Float32Array(classes.length * alphabet.length);
    classes.forEach((k, t) => {
      for (let c = 0; c < alphabet.length; c++) probs[t * alphabet.length + c] = c === k ? 0.9 : 0.1 / (alphabet.length - 1);
    });
    return probs;
  };
  it('merges repeats, drops blanks, and keeps a doubled letter that a blank separates', () => {
    const r = decodeCtc(steps(1, 1, 0, 2, 1, 3, 4, 4, 0, 5, 6, 7, 8, 0, 9, 0, 9), 17, alphabet.length, alphabet);
    expect(r.text).toBe('TOTAL 58.00');
    expect(r.steps).toEqual([0, 3, 4, 5, 6, 9, 10, 11, 12, 14, 16]);
    expect(r.confidence).toBeCloseTo(0.9, 5);
  });
});

describe('lines from segments', () => {
  const segment = (text: string, x0: number, y0: number, x1: number, y1: number): Segment => ({
    box: { x0, y0, x1, y1 },
    recognized: { text, confidence: 0.9, steps: [...text].map((_, i) => i), probabilities: [...text].map(() => 0.9) },
    stepWidth: (x1 - x0) / text.length,
  });
  it('joins a label and its amount on the same row, left to right, one line a row from the top', () => {
    const lines = linesFromSegments([
      segment('58.00', 300, 102, 360, 128),
      segment('CASH 100.00', 10, 140, 130, 165),
      segment('TOTAL', 10, 100, 70, 126),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['TOTAL 58.00', 'CASH 100.00']);
    expect(lines[0]!.box).toEqual({ x0: 10, y0: 100, x1: 360, y1: 128 });
    expect(lines[0]!.words.map((w) => w.text)).toEqual(['TOTAL', '58.00']);
    expect(lines[1]!.words.map((w) => w.text)).toEqual(['CASH', '100.00']);
    expect(lines[0]!.confidence).toBe(90);
  });
});

describe('ONNX metadata', () => {
  it('reads the custom metadata map from the model bytes', () => {
    const text = (s: string) => Buffer.from(s, 'utf8');
    const field = (n: number, payload: Buffer) => Buffer.concat([Buffer.from([(n << 3) | 2, payload.length]), payload]);
    const entry = (k: string, v: string) => field(14, Buffer.concat([field(1, text(k)), field(2, text(v))]));
    const model = Buffer.concat([
      Buffer.from([0x08, 0x07]),
      field(2, text('producer')),
      entry('character', 'a\nb\nc'),
      entry('other', 'x'),
    ]);
    expect(onnxMetadata(model)).toEqual({ character: 'a\nb\nc', other: 'x' });
  });
});

describe('a recogniser restricted to some characters', () => {
  const text = (s: string) => Buffer.from(s, 'utf8');
  const varint = (n: number) => Buffer.from([n]);
  const field = (n: number, payload: Buffer) => Buffer.concat([varint((n << 3) | 2), varint(payload.length), payload]);
  const number = (n: number, value: number) => Buffer.concat([varint(n << 3), varint(value)]);
  const floats = (...v: number[]) => Buffer.from(new Float32Array(v).buffer);
  // Classes: blank, a, 中, b, space. A [2, 5] weight, a [5] bias, and an output declared [?, 5].
  const weight = Buffer.concat([
    number(1, 2),
    number(1, 5),
    number(2, 1),
    field(8, text('w')),
    field(9, floats(0, 1, 2, 3, 4, 10, 11, 12, 13, 14)),
  ]);
  const bias = Buffer.concat([number(1, 5), number(2, 1), field(8, text('b')), field(9, floats(0.5, 1.5, 2.5, 3.5, 4.5))]);
  const output = Buffer.concat([
    field(1, text('out')),
    field(2, field(1, field(2, Buffer.concat([field(1, number(1, 1)), field(1, number(1, 5))])))),
  ]);
  const graph = Buffer.concat([field(5, weight), field(5, bias), field(12, output)]);
  const model = Buffer.concat([
    number(1, 7),
    field(7, graph),
    field(14, Buffer.concat([field(1, text('character')), field(2, text('a\n中\nb'))])),
  ]);

  it('keeps the blank, the characters admitted and the space, in the weights, the shapes and the metadata', () => {
    const restricted = Buffer.from(restrictRecognizer(model, (c) => c !== '中'));
    expect(onnxMetadata(restricted)).toEqual({ character: 'a\nb' });
    // The weight's columns 0, 1, 3, 4 of each row, the bias likewise: 4 classes left.
    expect(restricted.includes(floats(0, 1, 3, 4, 10, 11, 13, 14))).toBe(true);
    expect(restricted.includes(floats(0.5, 1.5, 3.5, 4.5))).toBe(true);
    expect(restricted.includes(Buffer.concat([number(1, 2), number(1, 4)]))).toBe(true);
    expect(restricted.includes(field(1, number(1, 4)))).toBe(true);
    expect(restricted.includes(floats(2))).toBe(false);
  });
});
