// Checks an uploaded file before it is accepted: its real type (from the bytes), that it decodes, how
// many pages it has, and how many pixels a page would take (so a small file that inflates to gigabytes,
// a decompression bomb, is refused before anything allocates them). Fast enough to run in the request.
import sharp, { type Metadata } from 'sharp';
import { sniffMediaType, supportedMediaTypes, type SupportedMediaType } from '../../domain/shared/file-type.ts';
import type { DocumentLimits } from './pipeline.ts';
import { openPdf, PdfPasswordError, renderDpi } from './pdf.ts';

export type InspectionProblem =
  'EMPTY_FILE' | 'UNSUPPORTED_FILE_TYPE' | 'CORRUPT_FILE' | 'ENCRYPTED_PDF' | 'TOO_MANY_PAGES' | 'IMAGE_TOO_LARGE';

export type Inspection =
  | {
      readonly ok: true;
      readonly mediaType: SupportedMediaType;
      readonly pages: number;
      /** Pixels reading it takes: every page image as decoded, or rendered at the OCR resolution (a PDF). */
      readonly pixels: number;
    }
  | { readonly ok: false; readonly problem: InspectionProblem; readonly message: string };

const fail = (problem: InspectionProblem, message: string): Inspection => ({ ok: false, problem, message });

export async function inspectDocument(bytes: Uint8Array, fileName: string, limits: DocumentLimits): Promise<Inspection> {
  if (bytes.byteLength === 0) return fail('EMPTY_FILE', `The file '${fileName}' is empty.`);
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) {
    return fail(
      'UNSUPPORTED_FILE_TYPE',
      `The file '${fileName}' is not one of the accepted types (${supportedMediaTypes.join(', ')}), judging by its content.`,
    );
  }
  return mediaType === 'application/pdf' ? inspectPdf(bytes, fileName, limits) : inspectImage(bytes, mediaType, fileName, limits);
}

async function inspectImage(
  bytes: Uint8Array,
  mediaType: SupportedMediaType,
  fileName: string,
  limits: DocumentLimits,
): Promise<Inspection> {
  let metadata: Metadata;
  try {
    // Reads the header only: dimensions and page count, nothing decoded yet.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    return fail('CORRUPT_FILE', `The file '${fileName}' is not a readable ${mediaType} (${(error as Error).message}).`);
  }
  const pages = metadata.pages ?? 1;
  if (pages > limits.maxPages)
    return fail('TOO_MANY_PAGES', `The file '${fileName}' has ${pages} pages; at most ${limits.maxPages} are accepted.`);
  let pixels = 0;
  try {
    // Each page's own size (a TIFF's pages may differ: a small first page says nothing of the rest), then
    // every page must decode completely: a truncated or damaged file is refused now, not at OCR time.
    for (let page = 0; page < pages; page++) {
      const own = pages === 1 ? metadata : await sharp(bytes, { page, limitInputPixels: false }).metadata();
      const width = own.width ?? 0;
      const height = (pages === 1 ? (own.pageHeight ?? own.height) : own.height) ?? 0;
      if (width * height > limits.maxPixels) {
        const what = pages === 1 ? `The file '${fileName}'` : `Page ${page + 1} of the file '${fileName}'`;
        return fail('IMAGE_TOO_LARGE', `${what} is ${width} x ${height} pixels; at most ${limits.maxPixels} pixels a page are accepted.`);
      }
      pixels += width * height;
      await sharp(bytes, { page, limitInputPixels: limits.maxPixels, failOn: 'truncated' }).raw().toBuffer();
    }
  } catch (error) {
    return fail('CORRUPT_FILE', `The file '${fileName}' is damaged and cannot be decoded (${(error as Error).message}).`);
  }
  return { ok: true, mediaType, pages, pixels };
}

async function inspectPdf(bytes: Uint8Array, fileName: string, limits: DocumentLimits): Promise<Inspection> {
  let pdf;
  try {
    pdf = await openPdf(bytes);
  } catch (error) {
    if (error instanceof PdfPasswordError) return fail('ENCRYPTED_PDF', `The PDF '${fileName}' is encrypted; send it without a password.`);
    return fail('CORRUPT_FILE', `The file '${fileName}' is not a readable PDF (${(error as Error).message}).`);
  }
  try {
    const pages = pdf.numPages;
    if (pages < 1) return fail('CORRUPT_FILE', `The PDF '${fileName}' has no pages.`);
    if (pages > limits.maxPages)
      return fail('TOO_MANY_PAGES', `The PDF '${fileName}' has ${pages} pages; at most ${limits.maxPages} are accepted.`);
    let pixels = 0;
    for (let n = 1; n <= pages; n++) {
      try {
        const page = await pdf.getPage(n);
        const { width, height } = page.getViewport({ scale: renderDpi / 72 });
        pixels += Math.min(limits.maxPixels, Math.round(width) * Math.round(height));
        page.cleanup();
      } catch (error) {
        return fail('CORRUPT_FILE', `Page ${n} of the PDF '${fileName}' cannot be read (${(error as Error).message}).`);
      }
    }
    return { ok: true, mediaType: 'application/pdf', pages, pixels };
  } finally {
    await pdf.destroy();
  }
}
