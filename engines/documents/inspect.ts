// Checks an uploaded file before it is accepted: its real type (from the bytes), that it decodes, how
// many pages it has, and how many pixels a page would take (so a small file that inflates to gigabytes,
// a decompression bomb, is refused before anything allocates them). Fast enough to run in the request.
import sharp, { type Metadata } from 'sharp';
import { sniffMediaType, supportedMediaTypes, type SupportedMediaType } from '../../domain/shared/file-type.ts';
import type { DocumentLimits } from './pipeline.ts';
import { openPdf, PdfPasswordError } from './pdf.ts';

export type InspectionProblem =
  'EMPTY_FILE' | 'UNSUPPORTED_FILE_TYPE' | 'CORRUPT_FILE' | 'ENCRYPTED_PDF' | 'TOO_MANY_PAGES' | 'IMAGE_TOO_LARGE';

export type Inspection =
  | { readonly ok: true; readonly mediaType: SupportedMediaType; readonly pages: number }
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
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (width * height > limits.maxPixels) {
    return fail(
      'IMAGE_TOO_LARGE',
      `The file '${fileName}' is ${width} x ${height} pixels per page; at most ${limits.maxPixels} pixels are accepted.`,
    );
  }
  try {
    // Every page must decode completely: a truncated or damaged file is refused now, not at OCR time.
    for (let page = 0; page < pages; page++) {
      await sharp(bytes, { page, limitInputPixels: limits.maxPixels, failOn: 'truncated' }).raw().toBuffer();
    }
  } catch (error) {
    return fail('CORRUPT_FILE', `The file '${fileName}' is damaged and cannot be decoded (${(error as Error).message}).`);
  }
  return { ok: true, mediaType, pages };
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
    for (let n = 1; n <= pages; n++) {
      try {
        const page = await pdf.getPage(n);
        page.cleanup();
      } catch (error) {
        return fail('CORRUPT_FILE', `Page ${n} of the PDF '${fileName}' cannot be read (${(error as Error).message}).`);
      }
    }
    return { ok: true, mediaType: 'application/pdf', pages };
  } finally {
    await pdf.destroy();
  }
}
