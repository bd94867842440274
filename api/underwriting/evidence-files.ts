// An application's evidence as files an underwriter can look at and listen to: its documents (original and
// pages, with the same routes as a claim's) and its recorded interview as it was sent. The applicant may
// fetch their own; staff any.
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { documents, type applications } from '../../db/schema.ts';
import { audioMediaTypes, sniffAudio } from '../../engines/speech/audio.ts';
import type { BlobStore } from '../../engines/storage/blob-store.ts';
import { principalOf, requireRole, type Principal } from '../auth.ts';
import { asUntrustedFile, documentFileRoutes } from '../documents/files.ts';
import { ApiError, ErrorResponse } from '../errors.ts';
import { validated, type ApiDescription } from '../openapi.ts';
import type { UploadLimits } from '../uploads.ts';
import { IdParams, staff } from './schemas.ts';

const readers = ['claimant', ...staff] as const;

export function applicationEvidenceRoutes({
  api,
  db,
  blobs,
  uploads,
  visible,
}: {
  api: ApiDescription;
  db: Database;
  blobs: BlobStore;
  uploads: UploadLimits;
  /** The application, if this principal may see it; else a 404. */
  visible: (principal: Principal, id: string) => Promise<typeof applications.$inferSelect>;
}): Router {
  const router = Router();
  router.use(
    documentFileRoutes(
      { api, db, blobs, uploads },
      {
        path: '/v1/underwriting/applications/:id',
        noun: 'application',
        tag: 'underwriting',
        roles: readers,
        idParams: IdParams,
        column: documents.applicationId,
        visible,
      },
    ),
  );

  router.get(
    '/v1/underwriting/applications/:id/interview',
    api.route({
      method: 'get',
      path: '/v1/underwriting/applications/:id/interview',
      operationId: 'applicationInterview',
      summary: "The application's recorded interview, as sent (WAV, FLAC, OGG or MP3)",
      tags: ['underwriting'],
      roles: [...readers],
      params: IdParams,
      responses: {
        200: { description: 'The audio as recorded', schema: z.file(), contentType: 'audio/*' },
        404: {
          description: 'No such application visible to this key, or no interview with it (INTERVIEW_NOT_FOUND)',
          schema: ErrorResponse,
        },
        422: { description: 'Malformed application id', schema: ErrorResponse },
      },
    }),
    requireRole(...readers),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const row = await visible(principalOf(req), params.id);
      if (!row.interviewSha256)
        throw new ApiError(404, 'INTERVIEW_NOT_FOUND', `Application ${row.id} was sent without a recorded interview.`);
      const bytes = Buffer.from(await blobs.get(row.interviewSha256));
      const container = sniffAudio(bytes);
      asUntrustedFile(res)
        .type(container ? audioMediaTypes[container] : 'application/octet-stream')
        .send(bytes);
    },
  );
  return router;
}
