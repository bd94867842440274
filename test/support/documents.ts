// Documents with known text, made on the spot: claim forms with a text layer (pdf-lib), the same pages
// rendered to pixels as scans (JPEG, PNG, multi-page TIFF, image-only PDF), turned and noisy variants,
// and a corpus of bad files each with the refusal it must get.
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import sharp from 'sharp';
import type { GrayImage } from '../../engines/documents/images.ts';
import type { DocumentText, Line } from '../../domain/documents/layout.ts';
import { openPdf, renderPage } from '../../engines/documents/pdf.ts';

export type PageLines = readonly string[];

/** A claim form as a born-digital PDF: every page has a text layer. */
export async function textPdf(pages: readonly PageLines[], options: { fontSize?: number } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const size = options.fontSize ?? 16;
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 60, y: 770 - i * size * 1.8, size, font }));
  }
  return Buffer.from(await doc.save());
}

/** Each page of a PDF as the grayscale image a 200-dpi scanner would make of it. */
export async function rasterize(pdfBytes: Uint8Array, dpi = 200): Promise<GrayImage[]> {
  const pdf = await openPdf(pdfBytes);
  try {
    const images: GrayImage[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      images.push(await renderPage(pdf, page, dpi / 72));
      page.cleanup();
    }
    return images;
  } finally {
    await pdf.destroy();
  }
}

const raw = (image: GrayImage) => sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });

export const encode = {
  png: (image: GrayImage) => raw(image).png().toBuffer(),
  jpeg: (image: GrayImage, quality = 85) => raw(image).jpeg({ quality }).toBuffer(),
  /** All pages in one TIFF (the pages must share a size). */
  tiff: (pages: readonly GrayImage[]) => {
    const { width, height } = pages[0]!;
    const data = Buffer.concat(pages.map((p) => p.data));
    return sharp(data, { raw: { width, height: height * pages.length, channels: 1, pageHeight: height } as never })
      .tiff({ compression: 'lzw' })
      .toBuffer();
  },
};

/** A scanned document as a PDF of page images: no text layer at all. */
export async function imagePdf(pages: readonly GrayImage[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (const image of pages) {
    const png = await doc.embedPng(await encode.png(image));
    const page = doc.addPage([595, 842]);
    page.drawImage(png, { x: 0, y: 0, width: 595, height: 842 });
  }
  return Buffer.from(await doc.save());
}

/** Page 1 born digital, page 2 a scan: read page by page. */
export async function mixedPdf(textPage: PageLines, scannedPage: GrayImage): Promise<Buffer> {
  const doc = await PDFDocument.load(await textPdf([textPage]));
  const png = await doc.embedPng(await encode.png(scannedPage));
  doc.addPage([595, 842]).drawImage(png, { x: 0, y: 0, width: 595, height: 842 });
  return Buffer.from(await doc.save());
}

/** A page scanned upside down or sideways, as photos of documents often are. */
export async function turned(image: GrayImage, angle: 90 | 180 | 270): Promise<Buffer> {
  return raw(image).rotate(angle).png().toBuffer();
}

/** Speckle and grain like a poor scan: deterministic, so a failure can be reproduced. */
export function noisy(image: GrayImage, amount = 0.04, seed = 7): GrayImage {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const data = new Uint8Array(image.data);
  for (let i = 0; i < data.length; i++) {
    const r = random();
    if (r < amount / 2) data[i] = 0;
    else if (r < amount) data[i] = 255;
    else data[i] = Math.max(0, Math.min(255, data[i]! + Math.round((random() - 0.5) * 60)));
  }
  return { ...image, data };
}

export async function rotatedTextPdf(lines: PageLines): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.setRotation(degrees(90));
  lines.forEach((line, i) => page.drawText(line, { x: 60, y: 770 - i * 28, size: 16, font }));
  return Buffer.from(await doc.save());
}

// ---- bad files ------------------------------------------------------------------------------------

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a small, valid PNG that declares 100,000 x 100,000 pixels (10 gigapixels,
 * 10 GB to decode) and carries the start of a stream of zero rows.
 */
export function pngBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(100_000, 0);
  header.writeUInt32BE(100_000, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  const rows = deflateSync(Buffer.alloc(100_001 * 64), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A white multi-page TIFF whose pages have their own sizes (PackBits, one strip a page): a small first page
 * can hide a huge second one, which sharp's metadata alone does not show. Written by hand because sharp
 * writes multi-page TIFFs only with pages of one size.
 */
export function multiSizeTiff(pages: readonly { width: number; height: number }[]): Buffer {
  const packRow = (width: number) => {
    const out: number[] = [];
    for (let left = width; left > 0; left -= 128) out.push((1 - Math.min(128, left)) & 0xff, 0xff);
    return Buffer.from(out);
  };
  const parts: Buffer[] = [Buffer.from([0x49, 0x49, 42, 0, 0, 0, 0, 0])];
  let offset = 8;
  const ifdOffsets: number[] = [];
  const entryCount = 8;
  for (const { width, height } of pages) {
    const strip = Buffer.concat(Array.from({ length: height }, () => packRow(width)));
    const stripOffset = offset;
    parts.push(strip);
    offset += strip.length + (strip.length % 2);
    if (strip.length % 2) parts.push(Buffer.alloc(1));
    const ifd = Buffer.alloc(2 + entryCount * 12 + 4);
    ifd.writeUInt16LE(entryCount, 0);
    const entries: [number, number, number][] = [
      [256, 4, width],
      [257, 4, height],
      [258, 3, 8],
      [259, 3, 32773],
      [262, 3, 1],
      [273, 4, stripOffset],
      [278, 4, height],
      [279, 4, strip.length],
    ];
    entries.forEach(([tag, type, value], i) => {
      const at = 2 + i * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(1, at + 4);
      if (type === 3) ifd.writeUInt16LE(value, at + 8);
      else ifd.writeUInt32LE(value, at + 8);
    });
    ifdOffsets.push(offset);
    parts.push(ifd);
    offset += ifd.length;
  }
  const file = Buffer.concat(parts);
  file.writeUInt32LE(ifdOffsets[0]!, 4);
  ifdOffsets.forEach((at, i) => file.writeUInt32LE(ifdOffsets[i + 1] ?? 0, at + 2 + entryCount * 12));
  return file;
}

/** A PDF encrypted with a user password (standard security handler, RC4 40-bit): cannot be opened. */
export function encryptedPdf(): Buffer {
  const objects = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n',
    `4 0 obj\n<< /Filter /Standard /V 1 /R 2 /P -44 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> >>\nendobj\n`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(body.length);
    body += object;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Every bad file the intake must refuse, with the code it must refuse it with. */
export async function badFiles(
  maxPages: number,
): Promise<{ name: string; file: string; type: string; bytes: Buffer; status: number; code: string }[]> {
  const [page] = await rasterize(await textPdf([['RECEIPT', 'Total 10.00']]), 100);
  const jpeg = await encode.jpeg(page!);
  return [
    { name: 'zero bytes', file: 'empty.pdf', type: 'application/pdf', bytes: Buffer.alloc(0), status: 422, code: 'EMPTY_FILE' },
    {
      name: 'wrong magic',
      file: 'receipt.pdf',
      type: 'application/pdf',
      bytes: Buffer.from('<html><body>not a pdf</body></html>'),
      status: 415,
      code: 'UNSUPPORTED_FILE_TYPE',
    },
    {
      name: 'lying type',
      file: 'receipt.pdf',
      type: 'application/pdf',
      bytes: await encode.png(page!),
      status: 415,
      code: 'FILE_TYPE_MISMATCH',
    },
    {
      name: 'truncated JPEG',
      file: 'photo.jpg',
      type: 'image/jpeg',
      bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
      status: 422,
      code: 'CORRUPT_FILE',
    },
    {
      name: 'corrupt PDF',
      file: 'form.pdf',
      type: 'application/pdf',
      bytes: Buffer.from('%PDF-1.7\n\u0000\u0001garbage that is no pdf structure at all\n'),
      status: 422,
      code: 'CORRUPT_FILE',
    },
    { name: 'decompression bomb', file: 'scan.png', type: 'image/png', bytes: pngBomb(), status: 422, code: 'IMAGE_TOO_LARGE' },
    { name: 'encrypted PDF', file: 'statement.pdf', type: 'application/pdf', bytes: encryptedPdf(), status: 422, code: 'ENCRYPTED_PDF' },
    {
      name: 'too many pages',
      file: 'bundle.pdf',
      type: 'application/pdf',
      bytes: await textPdf(Array.from({ length: maxPages + 1 }, (_, i) => [`Page ${i + 1}`])),
      status: 422,
      code: 'TOO_MANY_PAGES',
    },
  ];
}

/** A one-page document whose lines are stacked 30 pixels apart, words 10 pixels per character. */
export function linesDocument(lines: readonly string[], confidence = 90): DocumentText {
  return {
    pages: [
      {
        page: 1,
        source: 'ocr',
        width: 600,
        height: lines.length * 30 + 40,
        rotation: 0,
        confidence,
        lines: lines.map((text, i): Line => {
          let x = 10;
          const words = text
            .split(' ')
            .filter(Boolean)
            .map((w) => {
              const word = { text: w, confidence, box: { x0: x, y0: 20 + i * 30, x1: x + w.length * 10, y1: 40 + i * 30 } };
              x += (w.length + 1) * 10;
              return word;
            });
          return { text: words.map((w) => w.text).join(' '), confidence, box: { x0: 10, y0: 20 + i * 30, x1: x, y1: 40 + i * 30 }, words };
        }),
      },
    ],
  };
}

/** Every page's text of a PDF the engine wrote (a letter, a policy document), a line per text item. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await openPdf(bytes);
  let text = '';
  for (let i = 1; i <= pdf.numPages; i++)
    text += (await (await pdf.getPage(i)).getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join('\n');
  await pdf.destroy();
  return text;
}
