// Multipart uploads: parsed in memory within configured limits, and each file's type decided from its
// bytes. A file whose name or declared type claims one format while its bytes are another is refused.
import express, { type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { sniffMediaType, supportedMediaTypes, type SupportedMediaType } from '../domain/shared/file-type.ts';
import { inspectDocument, type InspectionProblem } from '../engines/documents/inspect.ts';
import type { DocumentLimits } from '../engines/documents/pipeline.ts';
import { ApiError } from './errors.ts';

export interface UploadLimits {
  readonly maxFileBytes: number;
  readonly maxDocuments: number;
  /**
   * The compute budget of one request: pixels of all its pages together (a scan is read page by page at
   * seconds a page), so one upload cannot hold the OCR pool for minutes.
   */
  readonly maxRequestPixels: number;
  /** Pages per document and pixels per page. */
  readonly document: DocumentLimits;
}

export interface InspectedUpload {
  readonly fileName: string;
  readonly declaredMediaType: string | null;
  readonly mediaType: SupportedMediaType;
  readonly pages: number;
  /** Pixels reading it takes (engines/documents/inspect.ts). */
  readonly pixels: number;
  readonly bytes: Buffer;
}

const problemStatus: Record<InspectionProblem, number> = {
  EMPTY_FILE: 422,
  UNSUPPORTED_FILE_TYPE: 415,
  CORRUPT_FILE: 422,
  ENCRYPTED_PDF: 422,
  TOO_MANY_PAGES: 422,
  IMAGE_TOO_LARGE: 422,
};

const extensionTypes: Record<string, SupportedMediaType> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

const genericTypes = new Set(['application/octet-stream', 'binary/octet-stream', 'application/x-www-form-urlencoded', '']);

/**
 * Parses `multipart/form-data` with `documents` file parts and, for a new claim or application, its JSON
 * part named `jsonPart` (a text field or a JSON file part).
 */
export function multipartUpload(limits: UploadLimits, jsonPart: 'claim' | 'application' | null, otherFile?: string): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: limits.maxFileBytes,
      files: limits.maxDocuments + 2,
      fields: 4,
      fieldSize: 256 * 1024,
      parts: limits.maxDocuments + 6,
    },
  }).fields([
    ...(jsonPart ? [{ name: jsonPart, maxCount: 1 }] : []),
    ...(otherFile ? [{ name: otherFile, maxCount: 1 }] : []),
    { name: 'documents', maxCount: limits.maxDocuments },
  ]);
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      next(multerError(err, limits));
    });
  };
}

function multerError(err: unknown, limits: UploadLimits): ApiError {
  if (err instanceof multer.MulterError) {
    const field = err.field ? ` (field '${err.field}')` : '';
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return new ApiError(413, 'FILE_TOO_LARGE', `A file${field} is larger than the limit of ${limits.maxFileBytes} bytes.`);
      case 'LIMIT_FILE_COUNT':
        return new ApiError(413, 'TOO_MANY_FILES', `At most ${limits.maxDocuments} documents may be sent at once.`);
      case 'LIMIT_UNEXPECTED_FILE':
        return err.field === 'documents'
          ? new ApiError(413, 'TOO_MANY_FILES', `At most ${limits.maxDocuments} documents may be sent at once.`)
          : new ApiError(400, 'UNEXPECTED_FIELD', `Unexpected file field${field}; send files as 'documents'.`);
      case 'LIMIT_FIELD_VALUE':
        return new ApiError(413, 'FIELD_TOO_LARGE', `A form field${field} is too large.`);
      default:
        return malformedMultipart(err.message);
    }
  }
  return malformedMultipart((err as Error).message);
}

/**
 * Decides a file's type from its bytes, refuses one whose name or declared type says otherwise, then
 * checks it decodes within the page and pixel limits.
 */
export async function inspectUpload(
  file: { originalname: string; mimetype: string; buffer: Buffer },
  limits: DocumentLimits,
): Promise<InspectedUpload> {
  const declared = checkDeclaredType(file);
  const inspection = await inspectDocument(file.buffer, declared.fileName, limits);
  if (!inspection.ok) throw new ApiError(problemStatus[inspection.problem], inspection.problem, inspection.message);
  return { ...declared, pages: inspection.pages, pixels: inspection.pixels };
}

/** The checks that need only the first bytes and what the client said about the file. */
export function checkDeclaredType(file: {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}): Omit<InspectedUpload, 'pages' | 'pixels'> {
  const fileName = sanitizeFileName(file.originalname);
  if (file.buffer.byteLength === 0) {
    throw new ApiError(422, 'EMPTY_FILE', `The file '${fileName}' is empty.`);
  }
  const mediaType = sniffMediaType(file.buffer);
  if (!mediaType) {
    throw new ApiError(
      415,
      'UNSUPPORTED_FILE_TYPE',
      `The file '${fileName}' is not one of the accepted types (${supportedMediaTypes.join(', ')}), judging by its content.`,
    );
  }
  const declared = file.mimetype.split(';')[0]?.trim().toLowerCase() ?? '';
  const normalizedDeclared = declared === 'image/jpg' || declared === 'image/pjpeg' ? 'image/jpeg' : declared;
  if (!genericTypes.has(normalizedDeclared) && normalizedDeclared !== mediaType) {
    throw new ApiError(415, 'FILE_TYPE_MISMATCH', `The file '${fileName}' was sent as ${declared} but its content is ${mediaType}.`);
  }
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1]?.toLowerCase();
  const extensionType = extension ? extensionTypes[extension] : undefined;
  if (extensionType && extensionType !== mediaType) {
    throw new ApiError(415, 'FILE_TYPE_MISMATCH', `The file '${fileName}' is named as .${extension} but its content is ${mediaType}.`);
  }
  return { fileName, declaredMediaType: declared || null, mediaType, bytes: file.buffer };
}

/** Keeps the base name only, without path parts or control characters, at most 200 characters. */
export function sanitizeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'document').slice(0, 200);
}

/**
 * A body that may come as JSON or as multipart (parsed by `multipart`, built once); any other content type
 * is refused with `expected`, which says what to send.
 */
export function jsonOrMultipart(jsonLimit: string, multipart: RequestHandler | null, expected: string): RequestHandler {
  const json = express.json({ limit: jsonLimit, strict: true });
  return (req, res, next) => {
    if (req.is('application/json')) return json(req, res, next);
    if (multipart && req.is('multipart/form-data')) {
      // Files are compressed already, and a compressed form would be read as garbage: say so instead.
      const encoding = req.headers['content-encoding'];
      if (encoding && encoding !== 'identity')
        return next(
          new ApiError(415, 'UNSUPPORTED_ENCODING', `A multipart body is read as sent; send it without Content-Encoding ${encoding}.`),
        );
      return multipart(req, res, next);
    }
    next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', expected));
  };
}

/** A multipart body busboy could not read, with what usually causes it. */
export function malformedMultipart(problem: string): ApiError {
  // busboy's words for a part whose headers break the format, most often a control character (NUL, a line
  // break) in a file name.
  const hint = /part header/i.test(problem)
    ? ': a part header (a file name, say) holds a character headers may not, such as NUL or a line break'
    : '';
  return new ApiError(400, 'MALFORMED_MULTIPART', `The multipart body could not be read: ${problem.replace(/\.$/, '')}${hint}.`);
}

type MulterFiles = Record<string, Express.Multer.File[]> | undefined;

/**
 * The body of a JSON or multipart request: for multipart, the `jsonPart` parsed as JSON and every
 * `documents` file inspected (type from the bytes, page and pixel limits), one at a time so a refusal
 * names the first bad file.
 */
export async function readJsonWithDocuments(
  req: Request,
  uploads: UploadLimits,
  jsonPart: 'claim' | 'application',
): Promise<{ body: unknown; files: InspectedUpload[] }> {
  if (!req.is('multipart/form-data')) return { body: req.body as unknown, files: [] };
  const files = req.files as MulterFiles;
  const form = (req.body ?? {}) as Record<string, unknown>;
  const part = files?.[jsonPart]?.[0];
  const raw = part ? part.buffer.toString('utf8') : form[jsonPart];
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ApiError(422, 'VALIDATION_FAILED', `The multipart body needs a '${jsonPart}' part holding the ${jsonPart} as JSON.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    throw new ApiError(400, 'MALFORMED_JSON', `The '${jsonPart}' part is not valid JSON: ${(error as Error).message}`);
  }
  return { body, files: await inspectDocuments(req, uploads) };
}

/** The request's `documents` files, inspected one at a time: a refusal names the first bad file. */
export async function inspectDocuments(req: Request, uploads: UploadLimits): Promise<InspectedUpload[]> {
  const inspected: InspectedUpload[] = [];
  for (const file of (req.files as MulterFiles)?.documents ?? []) inspected.push(await inspectUpload(file, uploads.document));
  const pixels = inspected.reduce((sum, f) => sum + f.pixels, 0);
  if (pixels > uploads.maxRequestPixels) {
    const mp = (n: number) => `${Math.round(n / 1e6)} megapixels`;
    throw new ApiError(
      413,
      'TOO_MUCH_TO_READ',
      `The documents add up to ${mp(pixels)} to read (${inspected.reduce((n, f) => n + f.pages, 0)} pages); at most ${mp(uploads.maxRequestPixels)} are read for one request. Scan at 200-300 dpi, or send them in parts.`,
    );
  }
  return inspected;
}
