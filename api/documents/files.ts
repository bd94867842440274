// Documents as files a person can look at, for claims and for applications alike: the original bytes as
// they were sent, and each page drawn as the reading engine saw it (turned upright), so the evidence boxes
// of the resource (`pageFrames`, `fields[].evidence`) can be drawn over it. Who may see which claim or
// application is its owner's reader's decision.
import { Router, type Request, type Response } from 'express';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { documentPages, documents } from '../../db/schema.ts';
import { drawPage, PageNotFoundError } from '../../engines/documents/page-image.ts';
import { BlobNotFoundError, type BlobStore } from '../../engines/storage/blob-store.ts';
import type { SupportedMediaType } from '../../domain/shared/file-type.ts';
import { principalOf, requireRole, type Principal, type Role } from '../auth.ts';
import { ApiError, ErrorResponse } from '../errors.ts';
import { validated, type ApiDescription } from '../openapi.ts';
import type { UploadLimits } from '../uploads.ts';

/** What a page's evidence boxes are measured against: the page as the engine read it. */
export interface PageFrame {
  readonly page: number;
  readonly width: number;
  readonly height: number;
  readonly rotation: number;
}

/** The page frames of these documents, by document, pages in order. */
export async function pageFramesOf(db: Database, documentIds: readonly string[]): Promise<Map<string, PageFrame[]>> {
  const frames = new Map<string, PageFrame[]>();
  if (documentIds.length === 0) return frames;
  const rows = await db
    .select({
      documentId: documentPages.documentId,
      page: documentPages.page,
      width: documentPages.width,
      height: documentPages.height,
      rotation: documentPages.rotation,
    })
    .from(documentPages)
    .where(inArray(documentPages.documentId, [...documentIds]))
    .orderBy(documentPages.documentId, documentPages.page);
  for (const { documentId, ...frame } of rows) frames.set(documentId, [...(frames.get(documentId) ?? []), frame]);
  return frames;
}

/** Safe for any file a customer sent: never sniffed into something else, never run as a page. */
export function asUntrustedFile(res: Response): Response {
  return res
    .set('x-content-type-options', 'nosniff')
    .set('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    .set('cache-control', 'private, max-age=3600');
}

/** Whose documents: a claim's or an application's, and who may see them. */
export interface DocumentOwner {
  /** The owner's route, with `:id`: '/v1/claims/:id'. */
  readonly path: string;
  readonly noun: 'claim' | 'application';
  readonly tag: string;
  readonly roles: readonly Role[];
  /** The owner's id in the path, as its own routes check it. */
  readonly idParams: z.ZodObject<{ id: z.ZodString }>;
  readonly column: typeof documents.claimId | typeof documents.applicationId;
  /** Throws a 404 unless this principal may see the owner. */
  readonly visible: (principal: Principal, id: string) => Promise<unknown>;
}

const documentId = z.string().regex(/^DOC-[0-9A-Z]{10,32}$/, 'must be a document id like DOC-01J...');

const PageImageQuery = z.object({
  width: z.coerce.number().int().min(64).max(2_400).default(1_200).describe('Width of the drawn page in pixels'),
});

export function documentFileRoutes(
  { api, db, blobs, uploads }: { api: ApiDescription; db: Database; blobs: BlobStore; uploads: UploadLimits },
  owner: DocumentOwner,
): Router {
  const router = Router();
  const FileParams = owner.idParams.extend({ documentId });
  const PageParams = FileParams.extend({ page: z.coerce.number().int().min(1).max(1_000).describe('Page number, from 1') });
  const operation = owner.noun === 'claim' ? 'claimDocument' : 'applicationDocument';

  async function documentOf(req: Request, ownerId: string, id: string) {
    await owner.visible(principalOf(req), ownerId);
    const [doc] = await db
      .select()
      .from(documents)
      .where(and(eq(documents.id, id), eq(owner.column, ownerId)));
    if (!doc)
      throw new ApiError(
        404,
        'DOCUMENT_NOT_FOUND',
        `${owner.noun === 'claim' ? 'Claim' : 'Application'} ${ownerId} has no document ${id}.`,
      );
    let bytes: Buffer;
    try {
      bytes = await blobs.get(doc.sha256);
    } catch (error) {
      if (error instanceof BlobNotFoundError)
        throw new ApiError(404, 'DOCUMENT_NOT_FOUND', `The file of document ${id} is not in the store.`);
      throw error;
    }
    return { doc, bytes };
  }

  const filePath = `${owner.path}/documents/:documentId/file`;
  router.get(
    filePath,
    api.route({
      method: 'get',
      path: filePath,
      operationId: `${operation}File`,
      summary: `The original bytes of ${owner.noun === 'claim' ? 'a claim' : 'an application'} document, as sent (PDF, JPEG, PNG or TIFF)`,
      tags: [owner.tag],
      roles: [...owner.roles],
      params: FileParams,
      responses: {
        200: {
          description: 'The file, with the media type decided from its bytes',
          schema: z.file(),
          contentType: 'application/octet-stream',
        },
        404: { description: `No such ${owner.noun} visible to this key, or no such document on it`, schema: ErrorResponse },
        422: { description: `Malformed ${owner.noun} or document id`, schema: ErrorResponse },
      },
    }),
    requireRole(...owner.roles),
    async (req, res) => {
      const { params } = validated<{ id: string; documentId: string }, object>(res);
      const { doc, bytes } = await documentOf(req, params.id, params.documentId);
      const asciiName = doc.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
      asUntrustedFile(res)
        .type(doc.mediaType)
        .set('content-disposition', `inline; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
        .send(bytes);
    },
  );

  const pagePath = `${owner.path}/documents/:documentId/pages/:page`;
  router.get(
    pagePath,
    api.route({
      method: 'get',
      path: pagePath,
      operationId: `${operation}Page`,
      summary: `One page of ${owner.noun === 'claim' ? 'a claim' : 'an application'} document drawn as PNG as the engine read it: its evidence boxes (pageFrames' pixels) scale onto it`,
      tags: [owner.tag],
      roles: [...owner.roles],
      params: PageParams,
      query: PageImageQuery,
      responses: {
        200: { description: 'The page', schema: z.file(), contentType: 'image/png' },
        404: { description: `No such ${owner.noun}, document or page (PAGE_NOT_FOUND)`, schema: ErrorResponse },
        422: { description: 'Malformed id, page or width; or a file that cannot be drawn (DOCUMENT_NOT_DRAWABLE)', schema: ErrorResponse },
      },
    }),
    requireRole(...owner.roles),
    async (req, res) => {
      const { params, query } = validated<{ id: string; documentId: string; page: number }, { width: number }>(res);
      const { doc, bytes } = await documentOf(req, params.id, params.documentId);
      const [frame] = await db
        .select({ rotation: documentPages.rotation })
        .from(documentPages)
        .where(and(eq(documentPages.documentId, doc.id), eq(documentPages.page, params.page)));
      let png: Buffer;
      try {
        png = await drawPage({
          bytes,
          mediaType: doc.mediaType as SupportedMediaType,
          page: params.page,
          rotation: frame?.rotation ?? 0,
          width: query.width,
          maxPixels: uploads.document.maxPixels,
        });
      } catch (error) {
        if (error instanceof PageNotFoundError) throw new ApiError(404, 'PAGE_NOT_FOUND', `Document ${doc.id}: ${error.message}.`);
        throw new ApiError(422, 'DOCUMENT_NOT_DRAWABLE', `Document ${doc.id} cannot be drawn (${(error as Error).message}).`);
      }
      asUntrustedFile(res).type('image/png').send(png);
    },
  );

  return router;
}
