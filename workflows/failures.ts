// Telling activity failures apart in workflow code: an activity's ApplicationFailure carries the type
// its module's contract names (the messages modules' failure types).
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** Whether `error` is an activity that failed with an ApplicationFailure of `type`. */
export function isFailureOfType(error: unknown, type: string): error is ActivityFailure & { cause: ApplicationFailure } {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;
}
