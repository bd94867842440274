// PaddleOCR's PP-OCR networks (text detection, then recognition of each line found) on ONNX Runtime, with
// our own pre- and post-processing on raw pixels from sharp: no image files in between. A pool of
// sessions sharing the cores: pages of different documents run side by side.
// Models come from a pinned PyPI wheel (system/models.ts); docs/adr/0013 has the measurements.
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { Box } from '../../../domain/documents/layout.ts';
import { meanConfidence } from '../../../domain/documents/layout.ts';
import type { GrayImage } from '../images.ts';
import { OcrAbortedError, SlotQueue, type OcrEngine, type OcrOptions, type OcrResult } from './engine.ts';
import { onnxMetadata, restrictRecognizer } from './onnx-metadata.ts';
import { decodeCtc, defaultDetection, linesFromSegments, textBoxes, type Segment } from './ppocr-decode.ts';

export interface PpOcrModels {
  readonly detection: string;
  readonly recognition: string;
  /** The text-line classifier: upright (0) or upside down (180). */
  readonly orientation: string;
  /** Names the models in the engine's name (and so in OCR cache keys). */
  readonly version: string;
}

export interface PpOcrOptions {
  readonly models: PpOcrModels;
  /** Pages read at once (sessions); each gets an equal share of the cores. */
  readonly size?: number;
  /** Longest side the page is scaled to for detection (a multiple of 32). */
  readonly detectionSide?: number;
  /** Lines recognised in one batch. */
  readonly batch?: number;
}

/** Letters, digits, signs and punctuation of Latin script (ASCII and Latin-1 to Latin Extended-A), and €. */
export const isLatin = (character: string) => /^[\u0021-\u007E\u00A1-\u017F€]$/u.test(character);

/** The recogniser's input height, fixed by the network. */
const lineHeight = 48;

interface Sessions {
  readonly detect: ort.InferenceSession;
  readonly recognize: ort.InferenceSession;
  readonly orient: ort.InferenceSession;
}

/** The orientation classifier's input: lines scaled to 48 pixels high, at most 192 wide. */
const orientationWidth = 192;
/** Lines it looks at: the widest, which say the most. */
const orientationSample = 12;

const raw = (image: GrayImage) => sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });

/** The page's box cropped and scaled to `lineHeight` high, its width in proportion within [minWidth, maxWidth]. */
async function cropLine(image: GrayImage, box: Box, minWidth: number, maxWidth: number) {
  const left = Math.max(0, Math.floor(box.x0));
  const top = Math.max(0, Math.floor(box.y0));
  const cropWidth = Math.max(1, Math.min(image.width, Math.ceil(box.x1)) - left);
  const cropHeight = Math.max(1, Math.min(image.height, Math.ceil(box.y1)) - top);
  const width = Math.max(minWidth, Math.min(maxWidth, Math.ceil((lineHeight * cropWidth) / cropHeight)));
  // Without the colour space libvips hands back three channels.
  const pixels = await raw(image)
    .extract({ left, top, width: cropWidth, height: cropHeight })
    .resize(width, lineHeight, { fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { box: { x0: left, y0: top, x1: left + cropWidth, y1: top + cropHeight }, cropWidth, width, pixels };
}

/**
 * Gray images into the networks' input: N x 3 x height x width, each pixel scaled to [-1, 1] and repeated
 * on the three colour planes; what an image does not cover stays 0, the padding the networks expect.
 */
function networkInput(
  images: readonly { readonly pixels: Uint8Array; readonly width: number }[],
  height: number,
  width: number,
): ort.Tensor {
  const plane = height * width;
  const input = new Float32Array(images.length * 3 * plane);
  images.forEach((image, n) => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < image.width; x++) {
        const v = image.pixels[y * image.width + x]! / 127.5 - 1;
        const at = n * 3 * plane + y * width + x;
        input[at] = v;
        input[at + plane] = v;
        input[at + 2 * plane] = v;
      }
    }
  });
  return new ort.Tensor('float32', input, [images.length, 3, height, width]);
}

export function createPpOcrEngine(options: PpOcrOptions): OcrEngine {
  const size = Math.max(1, options.size ?? 1);
  const detectionSide = options.detectionSide ?? 1280;
  const batch = options.batch ?? 8;
  const queue = new SlotQueue(size);
  // The cores are shared out between the sessions: one session with every core reads one page fastest,
  // one single-threaded session per core reads most pages a minute.
  const threads = Math.max(1, Math.floor(availableParallelism() / size));
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  };
  // The recogniser restricted to Latin script, once per engine: its bytes make every session.
  const recogniser = readFile(options.models.recognition).then((bytes) => restrictRecognizer(bytes, isLatin));
  const alphabet = recogniser.then((bytes) => ['', ...onnxMetadata(bytes).character!.split('\n'), ' ']);
  // Sessions are made on first use and kept; each is used by one page at a time.
  const idle: Sessions[] = [];
  const take = async (): Promise<Sessions> => {
    const ready = idle.pop();
    if (ready) return ready;
    const [detect, recognize, orient] = await Promise.all([
      ort.InferenceSession.create(options.models.detection, sessionOptions),
      ort.InferenceSession.create(await recogniser, sessionOptions),
      ort.InferenceSession.create(options.models.orientation, sessionOptions),
    ]);
    return { detect, recognize, orient };
  };

  async function detect(session: ort.InferenceSession, image: GrayImage): Promise<Box[]> {
    const scale = Math.min(1, detectionSide / Math.max(image.width, image.height));
    const width = Math.max(32, Math.round((image.width * scale) / 32) * 32);
    const height = Math.max(32, Math.round((image.height * scale) / 32) * 32);
    const pixels = await raw(image).resize(width, height, { fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
    const output = await session.run({ [session.inputNames[0]!]: networkInput([{ pixels, width }], height, width) });
    const map = output[session.outputNames[0]!]!;
    const [, , mapHeight, mapWidth] = map.dims as number[];
    const sx = image.width / mapWidth!;
    const sy = image.height / mapHeight!;
    return textBoxes(map.data as Float32Array, mapWidth!, mapHeight!, defaultDetection).map((b) => ({
      x0: b.x0 * sx,
      y0: b.y0 * sy,
      x1: b.x1 * sx,
      y1: b.y1 * sy,
    }));
  }

  async function recognize(session: ort.InferenceSession, image: GrayImage, boxes: Box[], signal?: AbortSignal): Promise<Segment[]> {
    const letters = await alphabet;
    const crops = await Promise.all(boxes.map((box) => cropLine(image, box, 8, lineHeight * 64)));
    // Lines of similar length share a batch, padded to the longest (at least the network's 320).
    crops.sort((a, b) => a.width - b.width);
    const segments: Segment[] = [];
    for (let start = 0; start < crops.length; start += batch) {
      if (signal?.aborted) throw new OcrAbortedError();
      const group = crops.slice(start, start + batch);
      const padded = Math.max(320, group.at(-1)!.width);
      const output = await session.run({ [session.inputNames[0]!]: networkInput(group, lineHeight, padded) });
      const probs = output[session.outputNames[0]!]!;
      const [, steps, classes] = probs.dims as number[];
      const data = probs.data as Float32Array;
      group.forEach((crop, n) => {
        const recognized = decodeCtc(data.subarray(n * steps! * classes!, (n + 1) * steps! * classes!), steps!, classes!, letters);
        // One time step covers padded / steps network pixels; the crop was scaled by width / cropWidth.
        const stepWidth = ((padded / steps!) * crop.cropWidth) / crop.width;
        if (recognized.text.trim()) segments.push({ box: crop.box, recognized, stepWidth });
      });
    }
    return segments;
  }

  /** Whether most of the widest lines stand on their heads, by the classifier (class 1 = 180 degrees). */
  async function upsideDown(session: ort.InferenceSession, image: GrayImage, boxes: Box[]): Promise<boolean> {
    const widest = [...boxes].sort((a, b) => b.x1 - b.x0 - (a.x1 - a.x0)).slice(0, orientationSample);
    if (widest.length === 0) return false;
    const crops = await Promise.all(widest.map((box) => cropLine(image, box, 1, orientationWidth)));
    const output = await session.run({ [session.inputNames[0]!]: networkInput(crops, lineHeight, orientationWidth) });
    const probs = output[session.outputNames[0]!]!.data as Float32Array;
    let turned = 0;
    for (let n = 0; n < widest.length; n++) if (probs[n * 2 + 1]! > 0.9) turned++;
    return turned > widest.length / 2;
  }

  return {
    name: `ppocr-${options.models.version}-latin`,
    concurrency: size,
    scalesLines: true,
    async recognize(image: GrayImage, ocrOptions: OcrOptions = {}): Promise<OcrResult> {
      const { signal } = ocrOptions;
      await queue.acquire(signal);
      let sessions: Sessions | undefined;
      try {
        sessions = await take();
        if (signal?.aborted) throw new OcrAbortedError();
        const boxes = await detect(sessions.detect, image);
        const lines = linesFromSegments(await recognize(sessions.recognize, image, boxes, signal));
        const result = { lines, confidence: meanConfidence(lines.flatMap((l) => l.words)) };
        return (await upsideDown(sessions.orient, image, boxes)) ? { ...result, upsideDown: true } : result;
      } finally {
        if (sessions) idle.push(sessions);
        queue.release();
      }
    },
    async close() {
      for (const s of idle.splice(0)) await Promise.all([s.detect.release(), s.recognize.release(), s.orient.release()]);
    },
  };
}
