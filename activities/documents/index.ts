// Document activities on the `documents` task queue (CPU-bound work, scaled apart from orchestration).
// Today: proving that each stored file is intact and of the type recorded at upload before any decision
// relies on it. OCR and field extraction join here.
import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { documents } from '../../db/schema.ts';
import { sniffMediaType } from '../../domain/file-type.ts';
import { BlobNotFoundError, sha256Hex, type BlobStore } from '../../storage/blob-store.ts';

export interface DocumentActivityDeps {
  readonly db: Database;
  readonly blobs: BlobStore;
}

export interface DocumentRef {
  readonly claimId: string;
  readonly documentId: string;
}

export interface DocumentVerification {
  readonly documentId: string;
  readonly verified: boolean;
  readonly mediaType: string;
  readonly sizeBytes: number;
  /** Why the document cannot be relied on; null when verified. */
  readonly problem: string | null;
}

export function createDocumentActivities({ db, blobs }: DocumentActivityDeps) {
  return {
    async verifyDocument({ claimId, documentId }: DocumentRef): Promise<DocumentVerification> {
      const [doc] = await db
        .select()
        .from(documents)
        .where(and(eq(documents.id, documentId), eq(documents.claimId, claimId)));
      if (!doc) {
        throw ApplicationFailure.create({
          type: 'DocumentNotFound',
          message: `Document ${documentId} of claim ${claimId} is not in the database`,
          nonRetryable: true,
        });
      }
      let problem: string | null = null;
      try {
        const bytes = await blobs.get(doc.sha256);
        const actualDigest = sha256Hex(bytes);
        const actualType = sniffMediaType(bytes);
        if (actualDigest !== doc.sha256) problem = 'the stored file no longer matches its SHA-256 digest';
        else if (bytes.byteLength !== doc.sizeBytes) problem = 'the stored file has a different size than was uploaded';
        else if (actualType !== doc.mediaType) problem = `the stored file is not the ${doc.mediaType} recorded at upload`;
      } catch (error) {
        if (!(error instanceof BlobNotFoundError)) throw error; // storage trouble: retry
        problem = 'the stored file is missing';
      }
      await db
        .update(documents)
        .set({ status: problem ? 'FAILED' : 'VERIFIED', statusReason: problem, verifiedAt: new Date() })
        .where(eq(documents.id, documentId));
      return { documentId, verified: problem === null, mediaType: doc.mediaType, sizeBytes: doc.sizeBytes, problem };
    },
  };
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
