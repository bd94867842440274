// The document pipeline on generated documents whose text is known: text layers read directly, scans
// OCRed (turned, noisy, multi-page), bad files refused, cancellation prompt.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocument } from '../../domain/documents/extract.ts';
import { pageText } from '../../domain/documents/layout.ts';
import type { GrayImage } from '../../engines/documents/images.ts';
import { inspectDocument } from '../../engines/documents/inspect.ts';
import { OcrAbortedError, type OcrEngine } from '../../engines/documents/ocr/engine.ts';
import { createTesseractCliEngine } from '../../engines/documents/ocr/tesseract-cli.ts';
import { createTesseractJsEngine } from '../../engines/documents/ocr/tesseract-js.ts';
import { readDocument, type DocumentLimits } from '../../engines/documents/pipeline.ts';
import {
  badFiles,
  multiSizeTiff,
  encode,
  imagePdf,
  mixedPdf,
  noisy,
  rasterize,
  rotatedTextPdf,
  textPdf,
  turned,
} from '../support/documents.ts';

const limits: DocumentLimits = { maxPages: 10, maxPixels: 40_000_000 };

const claimForm = [
  'MOTOR CLAIM FORM',
  'Policy number: POL-1001',
  'Claimant name: Ada Lovelace',
  'Date of loss: 20/11/2026',
  'Vehicle registration: AB12 CDE',
  'VIN: 1HGCM82633A004352',
  'Claimed amount: EUR 1,250.00',
];
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

/** The real engine, counting calls, so a test can prove a text layer needed no OCR. */
function counting(engine: OcrEngine): OcrEngine & { calls: number } {
  const wrapper = {
    name: engine.name,
    concurrency: engine.concurrency,
    calls: 0,
    recognize: (...args: Parameters<OcrEngine['recognize']>) => {
      wrapper.calls++;
      return engine.recognize(...args);
    },
    close: () => engine.close(),
  };
  return wrapper;
}

const words = (text: string) => text.toUpperCase().split(/\s+/).filter(Boolean);
/** Share of the expected words found in the text read: OCR may miss a character here and there. */
function recall(expected: readonly string[], read: string): number {
  const found = new Set(words(read));
  const wanted = expected.flatMap(words);
  return wanted.filter((w) => found.has(w)).length / wanted.length;
}

let engine: OcrEngine & { calls: number };
let receiptScan!: GrayImage;
let formScan!: GrayImage;

beforeAll(async () => {
  engine = counting(createTesseractJsEngine({ size: 2 }));
  receiptScan = (await rasterize(await textPdf([receipt]), 200))[0]!;
  formScan = (await rasterize(await textPdf([claimForm]), 200))[0]!;
});
afterAll(async () => {
  await engine?.close();
});

describe('reading documents', { timeout: 120_000 }, () => {
  it('reads a born-digital PDF from its text layer, without OCR', async () => {
    const before = engine.calls;
    const doc = await readDocument(await textPdf([claimForm, receipt]), 'application/pdf', { ocr: engine, limits });
    expect(engine.calls).toBe(before);
    expect(doc.pages.map((p) => p.source)).toEqual(['text-layer', 'text-layer']);
    expect(doc.pages[0]!.lines.map((l) => l.text)).toEqual(claimForm);
    expect(doc.pages[1]!.lines.map((l) => l.text)).toEqual(receipt);
    const word = doc.pages[0]!.lines[1]!.words[2]!;
    expect(word.text).toBe('POL-1001');
    expect(word.box.x1).toBeGreaterThan(word.box.x0);
  });

  it('OCRs a scanned PDF, page by page, reporting progress', async () => {
    const progress: string[] = [];
    const doc = await readDocument(await imagePdf([formScan, receiptScan]), 'application/pdf', {
      ocr: engine,
      limits,
      onPage: (done, total) => {
        progress.push(`${done}/${total}`);
      },
    });
    expect(progress).toEqual(['1/2', '2/2']);
    expect(doc.pages.map((p) => p.source)).toEqual(['ocr', 'ocr']);
    expect(recall(claimForm, pageText(doc.pages[0]!))).toBeGreaterThan(0.9);
    expect(recall(receipt, pageText(doc.pages[1]!))).toBeGreaterThan(0.9);
    expect(doc.pages[0]!.confidence).toBeGreaterThan(70);
  });

  it('reads a mixed PDF page by page: text layer first, OCR second', async () => {
    const doc = await readDocument(await mixedPdf(claimForm, receiptScan), 'application/pdf', { ocr: engine, limits });
    expect(doc.pages.map((p) => p.source)).toEqual(['text-layer', 'ocr']);
    expect(recall(receipt, pageText(doc.pages[1]!))).toBeGreaterThan(0.9);
  });

  it('turns upside-down and sideways scans upright before reading', async () => {
    for (const angle of [180, 90] as const) {
      const doc = await readDocument(await turned(receiptScan, angle), 'image/png', { ocr: engine, limits });
      const page = doc.pages[0]!;
      expect(page.rotation, `turned ${angle}`).toBe(360 - angle);
      expect(recall(receipt, pageText(page)), `turned ${angle}`).toBeGreaterThan(0.85);
    }
  });

  it('reads a PDF page that is rotated by its /Rotate entry', async () => {
    const doc = await readDocument(await rotatedTextPdf(receipt), 'application/pdf', { ocr: engine, limits });
    expect(doc.pages[0]!.source).toBe('text-layer');
    expect(doc.pages[0]!.lines.map((l) => l.text)).toEqual(receipt);
  });

  it('reads every page of a multi-page TIFF', async () => {
    const doc = await readDocument(await encode.tiff([formScan, receiptScan]), 'image/tiff', { ocr: engine, limits });
    expect(doc.pages).toHaveLength(2);
    expect(recall(receipt, pageText(doc.pages[1]!))).toBeGreaterThan(0.9);
  });

  it('extracts the fields of a noisy JPEG scan of a receipt', async () => {
    const doc = await readDocument(await encode.jpeg(noisy(receiptScan), 70), 'image/jpeg', { ocr: engine, limits });
    const { kind, fields } = extractDocument(doc);
    expect(kind).toBe('receipt');
    // No currency printed; the company form (SDN BHD) places the shop in Malaysia.
    expect(fields.total?.value).toEqual({ cents: 38_000, currency: null, marks: { printed: null, families: [], country: 'MY' } });
    expect(fields.date?.value).toBe('2026-11-25');
    // The noise costs some letters of the name (GLASS has been read as "class"); the rest holds.
    expect(fields.issuer?.value).toMatch(/^ACME AUTO \w+ SDN BHD$/i);
    expect(fields.total?.evidence.page).toBe(1);
    expect(fields.total?.evidence.text).toMatch(/TOTAL/i);
  });

  it('extracts the fields of a scanned claim form', async () => {
    const doc = await readDocument(await encode.png(formScan), 'image/png', { ocr: engine, limits });
    const { kind, fields } = extractDocument(doc);
    expect(kind).toBe('claim_form');
    expect(fields.policyNumber?.value).toBe('POL-1001');
    expect(fields.claimantName?.value).toBe('Ada Lovelace');
    expect(fields.date?.value).toBe('2026-11-20');
    expect(fields.vehicleRegistration?.value).toBe('AB12 CDE');
    expect(fields.vin?.value).toBe('1HGCM82633A004352');
  });

  it('stops promptly when cancelled, and the engine keeps working', async () => {
    const pages = await imagePdf([formScan, receiptScan, formScan, receiptScan, formScan]);
    const controller = new AbortController();
    const started = Date.now();
    const reading = readDocument(pages, 'application/pdf', {
      ocr: engine,
      limits,
      signal: controller.signal,
      onPage: () => controller.abort(),
    });
    await expect(reading).rejects.toBeInstanceOf(OcrAbortedError);
    expect(Date.now() - started).toBeLessThan(15_000);
    const after = await readDocument(await encode.png(receiptScan), 'image/png', { ocr: engine, limits });
    expect(recall(receipt, pageText(after.pages[0]!))).toBeGreaterThan(0.9);
  });
});

const nativeTesseract = (() => {
  try {
    execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('SKIPPED: the native tesseract engine check needs `tesseract` on PATH (Debian: tesseract-ocr).');
    return false;
  }
})();

describe.skipIf(!nativeTesseract)('the native tesseract engine', { timeout: 60_000 }, () => {
  it('reads the same documents through the same interface', async () => {
    const cli = createTesseractCliEngine({ concurrency: 2, cacheDir: mkdtempSync(path.join(tmpdir(), 'insureflow-tessdata-')) });
    const doc = await readDocument(await encode.png(receiptScan), 'image/png', { ocr: cli, limits });
    expect(doc.pages[0]!.source).toBe('ocr');
    expect(recall(receipt, pageText(doc.pages[0]!))).toBeGreaterThan(0.9);
    expect(extractDocument(doc).fields.total?.value.cents).toBe(38_000);
  });
});

describe('inspecting uploads', { timeout: 60_000 }, () => {
  it('refuses each bad file with its own problem', async () => {
    for (const bad of await badFiles(limits.maxPages)) {
      if (bad.code === 'FILE_TYPE_MISMATCH') continue; // decided from what the client declared, in the API
      const result = await inspectDocument(bad.bytes, bad.file, limits);
      expect(result.ok, bad.name).toBe(false);
      if (!result.ok) {
        expect(result.problem, bad.name).toBe(bad.code);
        expect(result.message, bad.name).toContain(bad.file);
      }
    }
  });

  it('accepts good files and counts their pages', async () => {
    // Pixels reading it takes: A4 rendered at 300 dpi (2480 x 3508) for each PDF page, each image page as it is.
    expect(await inspectDocument(await textPdf([claimForm, receipt, receipt]), 'a.pdf', limits)).toEqual({
      ok: true,
      mediaType: 'application/pdf',
      pages: 3,
      pixels: expect.any(Number),
    });
    const tiff = await inspectDocument(await encode.tiff([formScan, receiptScan, formScan]), 'a.tif', limits);
    expect(tiff).toEqual({ ok: true, mediaType: 'image/tiff', pages: 3, pixels: 3 * formScan.width * formScan.height });
    expect(await inspectDocument(await encode.jpeg(receiptScan), 'a.jpg', limits)).toEqual({
      ok: true,
      mediaType: 'image/jpeg',
      pages: 1,
      pixels: receiptScan.width * receiptScan.height,
    });
  });

  it('checks the size of every page of a multi-page image, not only the first', async () => {
    const hidden = multiSizeTiff([
      { width: 100, height: 100 },
      { width: 8_000, height: 8_000 },
    ]);
    expect(await inspectDocument(hidden, 'two.tif', { maxPages: 20, maxPixels: 50_000_000 })).toEqual({
      ok: false,
      problem: 'IMAGE_TOO_LARGE',
      message: "Page 2 of the file 'two.tif' is 8000 x 8000 pixels; at most 50000000 pixels a page are accepted.",
    });
    const fine = multiSizeTiff([
      { width: 100, height: 100 },
      { width: 300, height: 200 },
    ]);
    expect(await inspectDocument(fine, 'two.tif', limits)).toEqual({ ok: true, mediaType: 'image/tiff', pages: 2, pixels: 70_000 });
  });
});
