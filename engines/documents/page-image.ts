// A document page drawn for a person, as the reading engine saw it: the same page, turned by the rotation
// the engine chose, so the evidence boxes recorded for the page (pixels of that frame) fall on their text
// once scaled to the drawn width. In colour where the file has it; PNG.
import sharp from 'sharp';
import type { SupportedMediaType } from '../../domain/shared/file-type.ts';
import { openPdf, renderPage } from './pdf.ts';

export interface PageImageRequest {
  readonly bytes: Uint8Array;
  readonly mediaType: SupportedMediaType;
  /** From 1. */
  readonly page: number;
  /** Clockwise degrees the engine turned the page before reading it. */
  readonly rotation: number;
  /** Width of the drawn image in pixels (after turning). */
  readonly width: number;
  /** What libvips may decode, as for reading: a bomb fails before allocating. */
  readonly maxPixels: number;
}

export class PageNotFoundError extends Error {
  constructor(page: number, pages: number) {
    super(`the document has ${pages} page${pages === 1 ? '' : 's'}; there is no page ${page}`);
    this.name = 'PageNotFoundError';
  }
}

const rightAngle = (degrees: number) => (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;

export async function drawPage(request: PageImageRequest): Promise<Buffer> {
  const upright = request.mediaType === 'application/pdf' ? await pdfPage(request) : await imagePage(request);
  const turn = rightAngle(request.rotation);
  const turned = turn === 0 ? upright : await sharp(upright).rotate(turn).png().toBuffer();
  return sharp(turned).resize({ width: request.width, withoutEnlargement: false }).png({ compressionLevel: 6 }).toBuffer();
}

async function imagePage({ bytes, page, maxPixels }: PageImageRequest): Promise<Buffer> {
  const pages = (await sharp(bytes, { limitInputPixels: maxPixels }).metadata()).pages ?? 1;
  if (page > pages) throw new PageNotFoundError(page, pages);
  // EXIF orientation first, as reading did (a second rotate in one libvips pipeline would replace it).
  return sharp(bytes, { page: page - 1, limitInputPixels: maxPixels, failOn: 'truncated' })
    .rotate()
    .png()
    .toBuffer();
}

async function pdfPage({ bytes, page, width, maxPixels }: PageImageRequest): Promise<Buffer> {
  const pdf = await openPdf(bytes);
  try {
    if (page > pdf.numPages) throw new PageNotFoundError(page, pdf.numPages);
    const proxy = await pdf.getPage(page);
    try {
      const base = proxy.getViewport({ scale: 1 });
      const scale = Math.min(
        width / Math.max(1, Math.min(base.width, base.height)),
        Math.sqrt(maxPixels / Math.max(1, base.width * base.height)),
      );
      const gray = await renderPage(pdf, proxy, scale);
      return sharp(gray.data, { raw: { width: gray.width, height: gray.height, channels: 1 } })
        .png()
        .toBuffer();
    } finally {
      proxy.cleanup();
    }
  } finally {
    await pdf.destroy();
  }
}
