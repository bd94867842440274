// The PP-OCR engine (PaddleOCR's networks on ONNX Runtime, models from the pinned PyPI wheel) through the
// same pipeline and interface as Tesseract: scans read with word boxes and confidences, turned pages read
// upright, fields extracted, several pages at once, and a cancelled read stopped promptly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocument } from '../../domain/documents/extract.ts';
import { pageText } from '../../domain/documents/layout.ts';
import type { GrayImage } from '../../engines/documents/images.ts';
import { OcrAbortedError, type OcrEngine } from '../../engines/documents/ocr/engine.ts';
import { openOcrEngine } from '../../engines/documents/ocr/index.ts';
import { readDocument, type DocumentLimits } from '../../engines/documents/pipeline.ts';
import { encode, imagePdf, noisy, rasterize, textPdf, turned } from '../support/documents.ts';

const limits: DocumentLimits = { maxPages: 10, maxPixels: 40_000_000 };
const receipt = [
  'ACME AUTO GLASS SDN BHD',
  'TAX INVOICE',
  'Date: 25/11/2026',
  'Windscreen replacement 1 350.00',
  'Fitting 1 30.00',
  'TOTAL 380.00',
  'CASH 400.00',
  'CHANGE 20.00',
];
const words = (text: string) => text.toUpperCase().split(/\s+/).filter(Boolean);
const recall = (expected: readonly string[], read: string) => {
  const found = new Set(words(read));
  const wanted = expected.flatMap(words);
  return wanted.filter((w) => found.has(w)).length / wanted.length;
};

let engine: OcrEngine;
let scan!: GrayImage;
beforeAll(async () => {
  engine = await openOcrEngine('ppocr', { workers: 2, cacheDir: '.data/cache' });
  scan = (await rasterize(await textPdf([receipt]), 200))[0]!;
});
afterAll(async () => {
  await engine?.close();
});

describe('the PP-OCR engine', { timeout: 120_000 }, () => {
  it('reads a scanned receipt line by line, with word boxes and confidences, and its fields are extracted', async () => {
    const doc = await readDocument(await encode.png(scan), 'image/png', { ocr: engine, limits });
    const page = doc.pages[0]!;
    expect(page.source).toBe('ocr');
    expect(recall(receipt, pageText(page))).toBeGreaterThan(0.95);
    const total = page.lines.find((l) => l.text.startsWith('TOTAL'))!;
    expect(total.text).toBe('TOTAL 380.00');
    expect(total.words.map((w) => w.text)).toEqual(['TOTAL', '380.00']);
    const [label, amount] = total.words;
    expect(amount!.box.x0).toBeGreaterThan(label!.box.x1);
    expect(total.confidence).toBeGreaterThan(90);
    const { kind, fields } = extractDocument(doc);
    expect(kind).toBe('receipt');
    expect(fields.total).toMatchObject({ value: { cents: 38_000 }, evidence: { page: 1, text: 'TOTAL 380.00' } });
    expect(fields.date?.value).toBe('2026-11-25');
    expect(fields.issuer?.value).toBe('ACME AUTO GLASS SDN BHD');
  });

  it('reads a noisy JPEG and an upside-down scan', async () => {
    const noisyDoc = await readDocument(await encode.jpeg(noisy(scan), 70), 'image/jpeg', { ocr: engine, limits });
    expect(extractDocument(noisyDoc).fields.total?.value.cents).toBe(38_000);
    const upsideDown = await readDocument(await turned(scan, 180), 'image/png', { ocr: engine, limits });
    expect(upsideDown.pages[0]!.rotation).toBe(180);
    expect(recall(receipt, pageText(upsideDown.pages[0]!))).toBeGreaterThan(0.9);
  });

  it('reads the pages of a scanned PDF side by side, and stops promptly when cancelled', async () => {
    const pdf = await imagePdf([scan, scan, scan, scan]);
    const doc = await readDocument(pdf, 'application/pdf', { ocr: engine, limits });
    expect(doc.pages.map((p) => p.source)).toEqual(['ocr', 'ocr', 'ocr', 'ocr']);
    for (const page of doc.pages) expect(recall(receipt, pageText(page))).toBeGreaterThan(0.9);

    const controller = new AbortController();
    const started = Date.now();
    const reading = readDocument(await imagePdf([scan, scan, scan, scan, scan, scan]), 'application/pdf', {
      ocr: engine,
      limits,
      signal: controller.signal,
      onPage: () => controller.abort(),
    });
    await expect(reading).rejects.toBeInstanceOf(OcrAbortedError);
    expect(Date.now() - started).toBeLessThan(15_000);
    const after = await readDocument(await encode.png(scan), 'image/png', { ocr: engine, limits });
    expect(recall(receipt, pageText(after.pages[0]!))).toBeGreaterThan(0.95);
  });
});
