// Uploaded files become documents of a claim or an application: the bytes stored once by content hash
// (a file sent twice is one blob), a row per document owned by exactly one of them.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { newDocumentId } from '../db/ids.ts';
import { blobs as blobRows, documents } from '../db/schema.ts';
import type { BlobStore, StoredBlob } from '../engines/storage/blob-store.ts';
import type { InspectedUpload } from './uploads.ts';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type StoredFile = { file: InspectedUpload; blob: StoredBlob };
export type DocumentOwner = { readonly claimId: string } | { readonly applicationId: string };

export async function storeFiles(blobs: BlobStore, files: readonly InspectedUpload[]): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  for (const file of files) stored.push({ file, blob: await blobs.put(file.bytes) });
  return stored;
}

/** Records stored files as the owner's documents; the same bytes twice for one owner are one document. */
export async function recordDocuments(
  tx: Transaction,
  owner: DocumentOwner,
  stored: readonly StoredFile[],
): Promise<{ documentId: string; added: boolean }[]> {
  const result: { documentId: string; added: boolean }[] = [];
  const seen = new Map<string, string>();
  const [ownerColumn, ownerId] = 'claimId' in owner ? [documents.claimId, owner.claimId] : [documents.applicationId, owner.applicationId];
  for (const { file, blob } of stored) {
    await tx
      .insert(blobRows)
      .values({ sha256: blob.sha256, sizeBytes: blob.sizeBytes, mediaType: file.mediaType })
      .onConflictDoNothing({ target: blobRows.sha256 });
    const repeated = seen.get(blob.sha256);
    if (repeated) {
      result.push({ documentId: repeated, added: false });
      continue;
    }
    const [inserted] = await tx
      .insert(documents)
      .values({
        id: newDocumentId(),
        ...owner,
        sha256: blob.sha256,
        fileName: file.fileName,
        declaredMediaType: file.declaredMediaType,
        mediaType: file.mediaType,
        sizeBytes: blob.sizeBytes,
        pageCount: file.pages,
        status: 'RECEIVED',
      })
      .onConflictDoNothing({ target: [ownerColumn, documents.sha256] })
      .returning({ id: documents.id });
    const documentId =
      inserted?.id ??
      (
        await tx
          .select({ id: documents.id })
          .from(documents)
          .where(and(eq(ownerColumn, ownerId), eq(documents.sha256, blob.sha256)))
      )[0]!.id;
    seen.set(blob.sha256, documentId);
    result.push({ documentId, added: inserted !== undefined });
  }
  return result;
}
