// Telling activity failures apart in workflow code: an activity's ApplicationFailure carries the type
// its module's contract names (the messages modules' failure types).
import { ActivityFailure, ApplicationFailure, type ActivityOptions } from '@temporalio/common';

/**
 * Failure types of the AI provider's activities (activities/ai-failure.ts raises them): unavailable is
 * retried, an unusable reply is final.
 */
export const aiFailureTypes = { unavailable: 'AiUnavailable', unusable: 'AiReplyUnusable' } as const;

/**
 * How an AI provider's activity is scheduled, wherever a workflow calls one: a rate limit or an outage is
 * retried a few times within two minutes; an unusable reply (and the given failure types) is final. Either
 * way the case then goes to a person, and never waits on a model for long.
 */
export function aiActivityOptions(taskQueue: string, ...alsoFinal: string[]): ActivityOptions {
  return {
    taskQueue,
    startToCloseTimeout: '45 seconds',
    scheduleToCloseTimeout: '2 minutes',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '20 seconds',
      maximumAttempts: 4,
      nonRetryableErrorTypes: [...alsoFinal, aiFailureTypes.unusable],
    },
  };
}

/** Whether `error` is an activity that failed with an ApplicationFailure of `type`. */
export function isFailureOfType(error: unknown, type: string): error is ActivityFailure & { cause: ApplicationFailure } {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;
}
