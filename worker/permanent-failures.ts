// Every activity's failures classified once, for all of them: a write the database refused for good
// (db/errors.ts) becomes a non-retryable `RecordRefused` failure that says what was refused in words, so
// no run retries it for ever (the default retry policy has no limit) and the workflow can answer the
// person whose input it was. Everything else is thrown as it was and retried by its activity's policy.
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { databaseRefusal, isPermanentDatabaseError } from '../db/errors.ts';
import { recordRefusedType } from '../workflows/failures.ts';

export class PermanentFailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (error) {
      if (!(error instanceof ApplicationFailure) && isPermanentDatabaseError(error)) {
        throw ApplicationFailure.create({ type: recordRefusedType, message: databaseRefusal(error), nonRetryable: true });
      }
      throw error;
    }
  }
}
