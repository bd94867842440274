// Page images as 8-bit grayscale pixels. Decoding (JPEG, PNG, multi-page TIFF) is libvips through sharp;
// what reaches OCR is raw pixels with a PGM header, never a re-encoded PNG.
import sharp, { type Sharp } from 'sharp';

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** width * height bytes, row-major, 0 = black. */
  readonly data: Uint8Array;
}

/** PGM (P5): the raw pixels behind a 15-byte header, which leptonica (inside Tesseract) reads directly. */
export function toPgm(image: GrayImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${image.width} ${image.height}\n255\n`), image.data]);
}

/**
 * Decodes one page of an image file to grayscale, turned upright by its EXIF orientation. `maxPixels`
 * bounds what libvips will decode, so a decompression bomb fails before allocating.
 */
export function decodeImagePage(bytes: Uint8Array, page: number, maxPixels: number): Promise<GrayImage> {
  return toGray(sharp(bytes, { page, limitInputPixels: maxPixels, failOn: 'truncated' }).rotate());
}

function fromGray(image: GrayImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });
}

/** Runs a libvips pipeline to grayscale pixels: without the explicit colour space it returns three channels. */
async function toGray(pipeline: Sharp): Promise<GrayImage> {
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Turns an image clockwise by a right angle. */
export function rotateImage(image: GrayImage, degrees: 90 | 180 | 270): Promise<GrayImage> {
  return toGray(fromGray(image).rotate(degrees));
}

/** RGBA (a canvas's pixels) to grayscale with the Rec. 601 luma weights libvips also uses. */
export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    const alpha = rgba[j + 3]! / 255;
    // Transparent areas of a rendered PDF page are paper: composite onto white.
    const luma = 0.299 * rgba[j]! + 0.587 * rgba[j + 1]! + 0.114 * rgba[j + 2]!;
    data[i] = Math.round(luma * alpha + 255 * (1 - alpha));
  }
  return { width, height, data };
}

/** Resamples by `factor` (Lanczos), for small scans whose text is too few pixels high for the recogniser. */
export function scaleImage(image: GrayImage, factor: number): Promise<GrayImage> {
  return toGray(fromGray(image).resize({ width: Math.round(image.width * factor), kernel: 'lanczos3' }));
}

/** Stretches contrast to the full range (1st to 99th percentile), leaving the image otherwise unchanged. */
export function normalizeContrast(image: GrayImage): Promise<GrayImage> {
  return toGray(fromGray(image).normalise({ lower: 1, upper: 99 }));
}

/** A horizontal band of the image (full width), scaled by `factor`. */
export function cropBand(image: GrayImage, top: number, bottom: number, factor: number): Promise<GrayImage> {
  const y0 = Math.max(0, Math.floor(top));
  const y1 = Math.min(image.height, Math.ceil(bottom));
  return toGray(
    fromGray(image)
      .extract({ left: 0, top: y0, width: image.width, height: Math.max(1, y1 - y0) })
      .resize({ width: Math.round(image.width * factor), kernel: 'lanczos3' }),
  );
}

/** Otsu's threshold: the gray level that best separates ink from paper. */
export function otsuThreshold(image: GrayImage): number {
  const histogram = new Array<number>(256).fill(0);
  for (const v of image.data) histogram[v]!++;
  const total = image.data.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * histogram[i]!;
  let background = 0;
  let sumBackground = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    background += histogram[t]!;
    if (background === 0) continue;
    const foreground = total - background;
    if (foreground === 0) break;
    sumBackground += t * histogram[t]!;
    const meanBackground = sumBackground / background;
    const meanForeground = (sum - sumBackground) / foreground;
    const between = background * foreground * (meanBackground - meanForeground) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * The typical height of a line of text in pixels, from the page's horizontal ink profile: rows with ink
 * form runs, one per line of text, separated by blank rows. Null when there are too few clear lines
 * (noise, dense graphics, heavy skew) to tell.
 */
export function estimateLineHeight(image: GrayImage): number | null {
  const threshold = otsuThreshold(image);
  const minInk = Math.max(2, Math.round(image.width * 0.004));
  const runs: number[] = [];
  let run = 0;
  for (let y = 0; y < image.height; y++) {
    let ink = 0;
    const row = y * image.width;
    for (let x = 0; x < image.width; x++) if (image.data[row + x]! < threshold) ink++;
    if (ink >= minInk) run++;
    else {
      if (run >= 4) runs.push(run);
      run = 0;
    }
  }
  if (run >= 4) runs.push(run);
  if (runs.length < 3) return null;
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

/** Line height Tesseract reads best at, in pixels; smaller print is enlarged towards it. */
export const targetLineHeight = 30;

/**
 * Enlarges pages whose print is small (lines under 22 pixels high) towards 30-pixel lines, at most 2.5
 * times and within the pixel budget. Measured on the SROIE receipts (docs/adr/0007): fields right went
 * from 44 to 56 of 68 on pages with lines under 20 pixels, while enlarging pages with lines of 25 pixels
 * or more made them worse, so those are left alone.
 */
export async function enlargeSmallPrint(image: GrayImage, maxPixels = Number.POSITIVE_INFINITY): Promise<GrayImage> {
  const lineHeight = estimateLineHeight(image);
  if (lineHeight === null || lineHeight >= 22) return image;
  const budget = Math.sqrt(maxPixels / (image.width * image.height));
  const factor = Math.min(2.5, targetLineHeight / lineHeight, budget);
  return factor > 1.1 ? scaleImage(image, factor) : image;
}
