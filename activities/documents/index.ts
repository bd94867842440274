// Document activities on the `documents` task queue (CPU-bound work, scaled apart from orchestration):
// prove each stored file is intact, then read it (text layer or OCR) and extract its fields.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { documentPages, documents } from '../../db/schema.ts';
import type { DateOrder } from '../../domain/documents/dates.ts';
import { extractDocument, type DocumentExtraction } from '../../domain/documents/extract.ts';
import type { FieldSelectors, ReceiptFieldsArtefact } from '../../domain/documents/fields/selector.ts';
import { pageText, type PageText } from '../../domain/documents/layout.ts';
import { sniffMediaType } from '../../domain/shared/file-type.ts';
import type { OcrEngine } from '../../engines/documents/ocr/engine.ts';
import { documentReadSeconds, pagesRead } from '../../platform/metrics.ts';
import { readDocument, UnreadableDocumentError, type DocumentLimits } from '../../engines/documents/pipeline.ts';
import { BlobNotFoundError, sha256Hex, type BlobStore } from '../../engines/storage/blob-store.ts';
import { projectRoot } from '../../platform/tools.ts';
import { documentFailureTypes } from '../../platform/temporal/document-reading.ts';

export interface DocumentActivityDeps {
  readonly db: Database;
  readonly blobs: BlobStore;
  /** Needed by analyzeDocument only; verifyDocument runs without it. */
  readonly ocr?: OcrEngine;
  readonly limits?: DocumentLimits;
  readonly dateOrder?: DateOrder;
  /** Trained choices of a receipt's total and issuer (models/receipt-fields.json); without them the rules decide. */
  readonly selectors?: FieldSelectors;
}

/** The committed receipt field selectors (`npm run train:receipts` writes them). */
export const receiptFieldsFile = path.join(projectRoot, 'models', 'receipt-fields.json');

export function readReceiptFieldsArtefact(file = receiptFieldsFile): ReceiptFieldsArtefact {
  return JSON.parse(readFileSync(file, 'utf8')) as ReceiptFieldsArtefact;
}

/**
 * The field selectors for documents read by `engine`: they are trained on one engine's readings and their
 * probabilities are calibrated on them, so another engine's documents are read by the rules alone.
 */
export function loadFieldSelectors(engine: string, file = receiptFieldsFile): FieldSelectors | undefined {
  const artefact = readReceiptFieldsArtefact(file);
  if (artefact.engine !== engine) return undefined;
  return {
    total: { version: artefact.total.version, model: artefact.total.model },
    issuer: { version: artefact.issuer.version, model: artefact.issuer.model },
  };
}

/** Failure types that no retry can fix; the workflow sends the claim to a person with the reason. */

export interface DocumentAnalysis {
  readonly documentId: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly pages: number;
  /** ISO date the document was received. */
  readonly receivedOn: string;
  readonly extraction: DocumentExtraction;
  /** Mean OCR confidence (0-100) over OCRed pages; null when all pages had a text layer. */
  readonly ocrConfidence: number | null;
}

/** A document of a claim or of an application for insurance. */
export type DocumentRef =
  { readonly claimId: string; readonly documentId: string } | { readonly applicationId: string; readonly documentId: string };

const ownedBy = (ref: DocumentRef) =>
  'claimId' in ref ? eq(documents.claimId, ref.claimId) : eq(documents.applicationId, ref.applicationId);
const ownerName = (ref: DocumentRef) => ('claimId' in ref ? `claim ${ref.claimId}` : `application ${ref.applicationId}`);

export interface DocumentVerification {
  readonly documentId: string;
  readonly verified: boolean;
  readonly mediaType: string;
  readonly sizeBytes: number;
  /** Why the document cannot be relied on; null when verified. */
  readonly problem: string | null;
}

export function createDocumentActivities(deps: DocumentActivityDeps) {
  const { db, blobs } = deps;
  return {
    async verifyDocument(ref: DocumentRef): Promise<DocumentVerification> {
      const { documentId } = ref;
      const [doc] = await db
        .select()
        .from(documents)
        .where(and(eq(documents.id, documentId), ownedBy(ref)));
      if (!doc) {
        throw ApplicationFailure.create({
          type: documentFailureTypes.notFound,
          message: `Document ${documentId} of ${ownerName(ref)} is not in the database`,
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

    /**
     * Reads a stored document and extracts its fields. Heartbeats with page progress (shown in the Web
     * UI's pending activity and, through the documents table, in the API), and stops promptly when
     * cancelled: the OCR under way is abandoned.
     */
    async analyzeDocument(ref: DocumentRef): Promise<DocumentAnalysis> {
      if (!deps.ocr || !deps.limits) throw new Error('analyzeDocument needs an OCR engine and document limits');
      const { documentId } = ref;
      const ctx = Context.current();
      const [doc] = await db
        .select()
        .from(documents)
        .where(and(eq(documents.id, documentId), ownedBy(ref)));
      if (!doc) {
        throw ApplicationFailure.create({
          type: documentFailureTypes.notFound,
          message: `Document ${documentId} of ${ownerName(ref)} is not in the database`,
          nonRetryable: true,
        });
      }
      const fail = async (type: string, reason: string) => {
        await db.update(documents).set({ status: 'FAILED', statusReason: reason }).where(eq(documents.id, documentId));
        return ApplicationFailure.create({ type, message: `${doc.fileName}: ${reason}`, nonRetryable: true });
      };
      let bytes: Buffer;
      try {
        bytes = await blobs.get(doc.sha256);
      } catch (error) {
        if (error instanceof BlobNotFoundError) throw await fail(documentFailureTypes.missing, 'the stored file is missing');
        throw error;
      }
      if (sha256Hex(bytes) !== doc.sha256)
        throw await fail(documentFailureTypes.altered, 'the stored file no longer matches its SHA-256 digest');
      const mediaType = sniffMediaType(bytes);
      if (mediaType !== doc.mediaType)
        throw await fail(documentFailureTypes.altered, `the stored file is not the ${doc.mediaType} recorded at upload`);

      await db.update(documents).set({ status: 'ANALYZING', pagesDone: 0, statusReason: null }).where(eq(documents.id, documentId));
      // Shown as the pending activity's heartbeat details in the Web UI.
      let progress = { progress: 'starting', page: 0, pages: 0 };
      // Keeps the heartbeat going through a long page; each beat carries the progress so far.
      const beat = setInterval(() => ctx.heartbeat(progress), 5_000);
      ctx.heartbeat(progress);
      let pages: readonly PageText[];
      const reading = performance.now();
      try {
        pages = (
          await readDocument(bytes, mediaType, {
            ocr: deps.ocr,
            limits: deps.limits,
            signal: ctx.cancellationSignal,
            onPage: async (done, total) => {
              progress = { progress: `OCR ${done}/${total} pages`, page: done, pages: total };
              ctx.heartbeat(progress);
              await db.update(documents).set({ pagesDone: done, pageCount: total }).where(eq(documents.id, documentId));
            },
          })
        ).pages;
      } catch (error) {
        if (ctx.cancellationSignal.aborted) {
          await db.update(documents).set({ status: 'RECEIVED', statusReason: 'reading was cancelled' }).where(eq(documents.id, documentId));
          throw ctx.cancellationSignal.reason ?? error;
        }
        if (error instanceof UnreadableDocumentError) throw await fail(documentFailureTypes.unreadable, error.message);
        throw error;
      } finally {
        clearInterval(beat);
      }
      documentReadSeconds.observe((performance.now() - reading) / 1000);
      for (const p of pages) pagesRead.inc({ source: p.source === 'ocr' ? deps.ocr.name : 'text-layer' });

      const extraction = extractDocument(
        { pages },
        { dateOrder: deps.dateOrder ?? 'DMY', ...(deps.selectors ? { selectors: deps.selectors } : {}) },
      );
      const ocrPages = pages.filter((p) => p.source === 'ocr');
      const ocrConfidence =
        ocrPages.length > 0 ? Math.round((ocrPages.reduce((s, p) => s + p.confidence, 0) / ocrPages.length) * 10) / 10 : null;
      await db.transaction(async (tx) => {
        await tx.delete(documentPages).where(eq(documentPages.documentId, documentId));
        if (pages.length > 0) {
          await tx.insert(documentPages).values(
            pages.map((p) => ({
              documentId,
              page: p.page,
              source: p.source,
              width: p.width,
              height: p.height,
              rotation: p.rotation,
              confidence: p.confidence,
              text: pageText(p),
              lines: [...p.lines],
            })),
          );
        }
        await tx
          .update(documents)
          .set({
            status: 'ANALYZED',
            statusReason: null,
            kind: extraction.kind,
            kindConfidence: extraction.kindConfidence,
            fields: extraction.fields,
            pageCount: pages.length,
            pagesDone: pages.length,
            ocrConfidence,
            textSource: textSourceOf(pages),
            extractionVersion: extraction.version,
            analyzedAt: new Date(),
          })
          .where(eq(documents.id, documentId));
      });
      return {
        documentId,
        fileName: doc.fileName,
        mediaType: doc.mediaType,
        pages: pages.length,
        receivedOn: doc.createdAt.toISOString().slice(0, 10),
        extraction,
        ocrConfidence,
      };
    },
  };
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;

function textSourceOf(pages: readonly PageText[]): 'text-layer' | 'ocr' | 'mixed' {
  const sources = new Set(pages.map((p) => p.source));
  return sources.size === 1 ? [...sources][0]! : 'mixed';
}
