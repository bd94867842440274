// `node scripts/make-example-receipt.ts`: writes docs/examples/receipt-myr.png, the receipt the README's
// example claims with: a Malaysian shop's till receipt (ringgit, no currency sign on the total, as many
// print), made here from text so the project ships no one's real receipt. Drawn as a thermal till prints
// it (a narrow column of monospaced text), rendered at 200 dpi in grayscale like a scan.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { openPdf, renderPage } from '../engines/documents/pdf.ts';
import { projectRoot } from '../platform/tools.ts';

export const exampleReceiptLines = [
  'KEDAI ELEKTRIK MAJU SDN BHD',
  '(123456-X)',
  'NO 12, JALAN BUNGA RAYA 3,',
  'TAMAN MELATI, 53100 KUALA LUMPUR',
  'TEL: 03-4021 5566',
  'GST ID: 001234567890',
  'TAX INVOICE',
  'INVOICE NO: CS00012345',
  'DATE: 14/11/2026  TIME: 10:42:05',
  'CASHIER: AMINAH',
  '--------------------------------',
  'ITEM              QTY    AMOUNT',
  'LED DESK LAMP       1     32.90',
  'USB-C CABLE 1M      2     15.80',
  'EXTENSION CORD      1      9.30',
  '--------------------------------',
  'TOTAL QTY: 4',
  'SUB TOTAL               58.00',
  'ROUNDING                 0.00',
  'TOTAL                   58.00',
  'CASH                   100.00',
  'CHANGE                  42.00',
  '--------------------------------',
  'GOODS SOLD ARE NOT RETURNABLE',
  'THANK YOU, PLEASE COME AGAIN',
];

export async function exampleReceiptPng(lines: readonly string[] = exampleReceiptLines): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Courier);
  const size = 9;
  const lead = size * 1.5;
  const page = doc.addPage([230, 60 + lines.length * lead]);
  lines.forEach((line, i) => page.drawText(line, { x: 14, y: page.getHeight() - 30 - i * lead, size, font }));
  const pdf = await openPdf(await doc.save());
  try {
    const image = await renderPage(pdf, await pdf.getPage(1), 200 / 72);
    return await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
  } finally {
    await pdf.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = path.join(projectRoot, 'docs', 'examples', 'receipt-myr.png');
  writeFileSync(out, await exampleReceiptPng());
  console.log(`wrote ${out}`);
}
