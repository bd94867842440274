// A claim's documents as files a person can look at: the original bytes as they were sent, and each page
// drawn as the reading engine saw it (turned upright), so the evidence boxes in the claim resource can be
// drawn over it. Staff, and the claimant for their own claim (the reader decides who sees which claim).
import { Router, type Response } from 'express';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { documentPages, documents } from '../../db/schema.ts';
import { drawPage, PageNotFoundError } from '../../engines/documents/page-image.ts';
import { BlobNotFoundError, type BlobStore } from '../../engines/storage/blob-store.ts';
import type { SupportedMediaType } from '../../domain/shared/file-type.ts';
import { principalOf, requireRole } from '../auth.ts';
import { ApiError, ErrorResponse } from '../errors.ts';
import { validated, type ApiDescription } from '../openapi.ts';
import type { UploadLimits } from '../uploads.ts';
import type { ClaimReader } from './read.ts';
import { ClaimDocumentParams, DocumentPageParams } from './schemas.ts';

const readers = ['claimant', 'adjuster', 'senior_adjuster', 'admin'] as const;

const PageImageQuery = z.object({
  width: z.coerce.number().int().min(64).max(2_400).default(1_200).describe('Width of the drawn page in pixels'),
});

/** Safe for any file a claimant sent: never sniffed into something else, never run as a page. */
function asUntrustedFile(res: Response): Response {
  return res
    .set('x-content-type-options', 'nosniff')
    .set('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    .set('cache-control', 'private, max-age=3600');
}

export function documentFileRoutes({
  api,
  db,
  reader,
  blobs,
  uploads,
}: {
  api: ApiDescription;
  db: Database;
  reader: ClaimReader;
  blobs: BlobStore;
  uploads: UploadLimits;
}): Router {
  const router = Router();

  async function documentOf(req: Parameters<typeof principalOf>[0], claimId: string, documentId: string) {
    await reader.getClaim(principalOf(req), claimId); // 404 unless this key may see the claim
    const [doc] = await db
      .select()
      .from(documents)
      .where(and(eq(documents.id, documentId), eq(documents.claimId, claimId)));
    if (!doc) throw new ApiError(404, 'DOCUMENT_NOT_FOUND', `Claim ${claimId} has no document ${documentId}.`);
    let bytes: Buffer;
    try {
      bytes = await blobs.get(doc.sha256);
    } catch (error) {
      if (error instanceof BlobNotFoundError)
        throw new ApiError(404, 'DOCUMENT_NOT_FOUND', `The file of document ${documentId} is not in the store.`);
      throw error;
    }
    return { doc, bytes };
  }

  router.get(
    '/v1/claims/:id/documents/:documentId/file',
    api.route({
      method: 'get',
      path: '/v1/claims/:id/documents/:documentId/file',
      operationId: 'claimDocumentFile',
      summary: 'The original bytes of a claim document, as sent (PDF, JPEG, PNG or TIFF)',
      tags: ['claims'],
      roles: [...readers],
      params: ClaimDocumentParams,
      responses: {
        200: {
          description: 'The file, with the media type decided from its bytes',
          schema: z.file(),
          contentType: 'application/octet-stream',
        },
        404: { description: 'No such claim visible to this key, or no such document on it', schema: ErrorResponse },
        422: { description: 'Malformed claim or document id', schema: ErrorResponse },
      },
    }),
    requireRole(...readers),
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

  router.get(
    '/v1/claims/:id/documents/:documentId/pages/:page',
    api.route({
      method: 'get',
      path: '/v1/claims/:id/documents/:documentId/pages/:page',
      operationId: 'claimDocumentPage',
      summary: "One page of a claim document drawn as PNG as the engine read it: its evidence boxes (pageFrames' pixels) scale onto it",
      tags: ['claims'],
      roles: [...readers],
      params: DocumentPageParams,
      query: PageImageQuery,
      responses: {
        200: { description: 'The page', schema: z.file(), contentType: 'image/png' },
        404: { description: 'No such claim, document or page (PAGE_NOT_FOUND)', schema: ErrorResponse },
        422: { description: 'Malformed id, page or width; or a file that cannot be drawn (DOCUMENT_NOT_DRAWABLE)', schema: ErrorResponse },
      },
    }),
    requireRole(...readers),
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
