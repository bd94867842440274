// Telling activity failures apart in workflow code: an activity's ApplicationFailure carries the type
// its module's contract names (the messages modules' failure types).
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { patched } from '@temporalio/workflow';
import { ReviewRejected } from '../domain/shared/review.ts';

/**
 * Failure types of the AI provider's activities (activities/ai-failure.ts raises them): unavailable is
 * retried, an unusable reply is final.
 */
export const aiFailureTypes = { unavailable: 'AiUnavailable', unusable: 'AiReplyUnusable' } as const;

/**
 * Raised by any activity whose write the database refused for good (worker/permanent-failures.ts): not
 * retried, so a run never wedges on it; a person's decision that cannot be recorded is refused, and the
 * case stays open for another.
 */
export const recordRefusedType = 'RecordRefused';

/** Whether `error` is an activity that failed with an ApplicationFailure of `type`. */
export function isFailureOfType(error: unknown, type: string): error is ActivityFailure & { cause: ApplicationFailure } {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;
}

/**
 * From this version on (of the claim and the underwriting workflow alike), a person's decision the database
 * refuses to record is refused to that person and the case stays open for another decision; before it,
 * the failure ended the run (or, without the failure's classification, the write was retried for ever).
 */
export const recordRefusalsPatch = 'record-refusals';

/** A person's decision the database refused to record: what to tell them, and the database's reason. */
export class RecordRefusal extends ReviewRejected {
  /** The database's refusal in words, without where the case stands. */
  readonly refused: string;
  constructor(refused: string, state: string) {
    super('RECORD_REFUSED', `${refused} Nothing was decided: ${state}; change what was refused and decide again.`);
    this.refused = refused;
  }
}

/**
 * Records a person's decision, or returns the refusal to give that person when the database refused it
 * for good (recordRefusedType). `state` says where the case stands meanwhile.
 */
export async function recordOrRefusal<T>(state: string, write: () => Promise<T>): Promise<T | RecordRefusal> {
  try {
    return await write();
  } catch (error) {
    if (!isFailureOfType(error, recordRefusedType) || !patched(recordRefusalsPatch)) throw error;
    return new RecordRefusal(error.cause.message, state);
  }
}
