// Telling activity failures apart in workflow code: an activity's ApplicationFailure carries the type
// its module's contract names (the messages modules' failure types).
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

/**
 * Failure types of the AI provider's activities (activities/ai-failure.ts raises them): unavailable is
 * retried, an unusable reply is final.
 */
export const aiFailureTypes = { unavailable: 'AiUnavailable', unusable: 'AiReplyUnusable' } as const;

/** Whether `error` is an activity that failed with an ApplicationFailure of `type`. */
export function isFailureOfType(error: unknown, type: string): error is ActivityFailure & { cause: ApplicationFailure } {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;
}
