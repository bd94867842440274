// Accepted work whose workflow may not have started: the database row is the acceptance. A start is
// idempotent by workflow id, so a sweep, a retry or a second API process never starts a second run.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';

/** How long a request waits for Temporal to take a start before leaving it to the sweep. */
export const startDeadlineMs = 3_000;

/**
 * Runs `start` within the deadline. True when the workflow runs, or has run, under its id; false when
 * Temporal could not take it now (`onUnavailable` is told why, and the sweep tries again).
 */
export async function startOnce(
  temporal: Client,
  start: () => Promise<unknown>,
  onUnavailable: (error: unknown) => void,
): Promise<boolean> {
  try {
    await temporal.withDeadline(Date.now() + startDeadlineMs, start);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      onUnavailable(error);
      return false;
    }
  }
  return true;
}

/** Starts each in turn, oldest first; stops at the first Temporal cannot take, which the rest would wait out too. */
export async function startEach(ids: readonly string[], ensure: (id: string) => Promise<boolean>): Promise<number> {
  let started = 0;
  for (const id of ids) {
    if (!(await ensure(id))) break;
    started++;
  }
  return started;
}
