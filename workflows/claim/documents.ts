// Reading the claim's documents: all at once, each on the documents queue, with progress in the status
// and on the Web UI. An unreadable document is kept on the claim, marked so, and sends it to a person.
import { ActivityFailure, isCancellation } from '@temporalio/workflow';
import type { DocumentAnalysis } from '../../activities/documents/index.ts';
import type { DocumentFacts } from '../../domain/documents/reconcile.ts';
import { analyzeDocument, options } from './activities.ts';
import type { ClaimWorkflowInput } from './messages.ts';
import type { ClaimState } from './state.ts';

export async function readDocuments(
  input: ClaimWorkflowInput,
  state: ClaimState,
  batch: string[],
  analyses: Map<string, DocumentFacts>,
): Promise<void> {
  const progress = () => `documents read: ${state.documents.done + state.documents.failed} of ${state.documents.total}`;
  const report = () =>
    state.enter(
      'ANALYZING_DOCUMENTS',
      'Reading documents',
      progress(),
      `**Reading documents**\n\n${progress()} (page progress: the pending activities)`,
    );
  report();
  await Promise.all(
    batch.map(async (documentId) => {
      try {
        const analysis: DocumentAnalysis = await analyzeDocument.executeWithOptions(
          {
            ...options.analyzeDocument,
            summary: `Read document ${state.positionOf(documentId)} of ${state.documents.total} (${documentId})`,
          },
          [{ claimId: input.claimId, documentId }],
        );
        analyses.set(documentId, {
          documentId,
          fileName: analysis.fileName,
          readable: true,
          problem: null,
          kind: analysis.extraction.kind,
          fields: analysis.extraction.fields,
          ...(analysis.extraction.amountsPrinted === undefined ? {} : { amountsPrinted: analysis.extraction.amountsPrinted }),
          receivedOn: analysis.receivedOn,
        });
        state.documents.done++;
      } catch (error) {
        if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
        // Never dropped: an unreadable document stays on the claim and sends it to a person.
        analyses.set(documentId, {
          documentId,
          fileName: documentId,
          readable: false,
          problem: error.cause?.message ?? error.message,
          kind: 'other',
          fields: {},
          receivedOn: input.reportedOn,
        });
        state.documents.failed++;
      }
      report();
    }),
  );
}
