// Identifies an activity execution across retries (but not across resets, which are new decisions): the
// idempotency key of whatever the activity writes once.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

export function activityKey(name: string): string {
  const { workflowExecution, activityId } = Context.current().info;
  if (!workflowExecution) throw ApplicationFailure.nonRetryable(`${name} runs only within a workflow`);
  return `${workflowExecution.workflowId}/${workflowExecution.runId}/${activityId}`;
}
