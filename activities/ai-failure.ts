// An AI provider's failure as the activity's retry policy needs it: a rate limit, an outage or a timeout
// is retried; a refusal, a 4xx or a reply that breaks the schema is final, and a person takes the case.
import { ApplicationFailure } from '@temporalio/common';
import { AiFailure, type AiProvider } from '../engines/ai/provider.ts';
import { aiFailureTypes } from '../workflows/failures.ts';

/** Rethrows anything that is not an AiFailure unchanged. */
export function toActivityFailure(provider: AiProvider, error: unknown): unknown {
  if (!(error instanceof AiFailure)) return error;
  return ApplicationFailure.create({
    type: error.retryable ? aiFailureTypes.unavailable : aiFailureTypes.unusable,
    message: `${provider.name} (${error.kind}): ${error.message}`,
    nonRetryable: !error.retryable,
  });
}
