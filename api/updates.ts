// Sending a person's decision to a workflow as a Temporal update, with the workflow's refusals turned
// into API errors: the validator's ApplicationFailure type is the error code.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import { ApiError } from './errors.ts';

export async function sendUpdate<Ret, Args extends [unknown]>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  errors: {
    /** The workflow has finished: nothing is waiting for this decision. */
    readonly closed: () => ApiError;
    /** HTTP status for a refusal of this type. */
    readonly statusOf: (type: string) => number;
    readonly timeoutMs?: number;
  },
): Promise<Ret> {
  try {
    return await temporal.withDeadline(Date.now() + (errors.timeoutMs ?? 30_000), () =>
      temporal.workflow.getHandle(workflowId).executeUpdate(update, { args }),
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw errors.closed();
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type) throw new ApiError(errors.statusOf(cause.type), cause.type, cause.message);
    throw error;
  }
}
