// The contract between the document-reading activity (activities/documents) and the workflows that
// schedule it (claims, underwriting evidence): the failure types it raises and how they are retried.
import type { RetryPolicy } from '@temporalio/common';

/** Failures no retry can mend: the document is gone, altered, or cannot be read. */
export const documentFailureTypes = {
  notFound: 'DocumentNotFound',
  missing: 'DocumentMissing',
  altered: 'DocumentAltered',
  unreadable: 'UnreadableDocument',
} as const;

/** An engine crash or a lost worker is retried twice; a file that cannot be read fails at once. */
export const documentReadingRetry: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 3,
  nonRetryableErrorTypes: Object.values(documentFailureTypes),
};
