// How the workflows schedule the kinds of activity they share, written once: writes and reads of the
// business record, retried while the database is away, and calls to an AI provider, retried briefly.
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import { aiFailureTypes } from './failures.ts';

/**
 * Retried without limit while the database is unreachable (the pending activity shows the attempts in the
 * Web UI); the given failure types are facts, not outages, and final.
 */
export function untilTheDatabaseAnswers(...final: string[]): RetryPolicy {
  return { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: final };
}

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
