// One error shape for every failure: { error: { code, message, details?, requestId } }. The code is
// stable for programs; the message is for the person reading it.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { findUnstorableText } from '../domain/shared/text.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. VALIDATION_FAILED'),
    message: z.string().describe('What went wrong, in plain words'),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});

export function validationError(error: z.ZodError, where: string): ApiError {
  const details = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = details[0];
  return new ApiError(422, 'VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : `Invalid ${where}`, details);
}

/**
 * Refuses a request part (`where`: body, query, path, or a form part) holding text the record cannot keep
 * (domain/shared/text.ts): checked before anything is accepted, so it never reaches an activity.
 */
export function assertStorableText(value: unknown, where: string): void {
  const found = findUnstorableText(value);
  if (found) {
    const path = `${where}.${found.path}`;
    throw new ApiError(422, 'INVALID_TEXT', `${path} ${found.problem}.`, [{ path, message: found.problem }]);
  }
}

/**
 * A request part parsed by its schema, once checked for text the record cannot keep: refusals name the
 * field under `where` (`textWhere` for the text check, where a route's earlier answers named it so).
 */
export function parseRequestPart<T extends z.ZodType>(schema: T, value: unknown, where: string, textWhere = where): z.infer<T> {
  assertStorableText(value, textWhere);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, where);
  return parsed.data;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Maps body-parser, multer and our own errors onto the error shape; anything else is a 500 that is logged. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const apiError = toApiError(err, req.headers['content-encoding']);
  if (apiError.status >= 500) req.log?.error({ err }, 'request failed');
  res.status(apiError.status).json({
    error: {
      code: apiError.code,
      message: apiError.message,
      ...(apiError.details === undefined ? {} : { details: apiError.details }),
      requestId: typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '',
    },
  });
};

/** The Content-Encodings JSON bodies may arrive in (body-parser decodes each); multipart is read as sent. */
export const supportedContentEncodings = ['identity', 'gzip', 'deflate', 'br', 'zstd'] as const;

/** zlib's errors (gzip, deflate, brotli, zstd) when the bytes are not what the Content-Encoding says. */
const isDecompressionError = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(Z_|ERR_ZSTD|ZSTD_|ERR_BROTLI|BROTLI_|ERR__ERROR_FORMAT)/.test(code);
};

function toApiError(err: unknown, contentEncoding?: string): ApiError {
  if (err instanceof ApiError) return err;
  const http = (err ?? {}) as HttpError;
  if (isDecompressionError(err) || isDecompressionError((err as { cause?: unknown } | null)?.cause))
    return new ApiError(
      400,
      'MALFORMED_BODY',
      `The body is not valid ${contentEncoding ?? 'compressed'} data, as its Content-Encoding says (${(err as Error).message}).`,
    );
  switch (http.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'MALFORMED_JSON', `The request body is not valid JSON: ${(err as Error).message}`);
    case 'entity.too.large':
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than allowed.');
    case 'encoding.unsupported':
      return new ApiError(
        415,
        'UNSUPPORTED_ENCODING',
        `Content-Encoding ${contentEncoding ?? ''} is not supported; send the body as ${supportedContentEncodings.join(', ')}.`,
      );
    case 'charset.unsupported':
      return new ApiError(415, 'UNSUPPORTED_ENCODING', (err as Error).message);
    case 'request.aborted':
      return new ApiError(400, 'REQUEST_ABORTED', 'The client closed the connection before the body was received.');
    default:
      break;
  }
  const status = http.status ?? http.statusCode;
  if (status && status >= 400 && status < 500 && http.expose) {
    return new ApiError(status, 'BAD_REQUEST', (err as Error).message);
  }
  return new ApiError(500, 'INTERNAL', 'Something went wrong on our side; the request id identifies it in our logs.');
}
