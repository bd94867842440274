// Waiting for people with service levels, as claims (adjusters) and underwriting (underwriters) both do:
// a reminder to the queue once the first level passes, escalation to the senior queue once the second
// does, then waiting without a deadline. Workflow code: the timers are the workflow's own.
import { condition } from '@temporalio/workflow';

export interface EscalationLevels {
  /** After this long (from `since`), the queue is reminded. */
  readonly reminderMs: number;
  /** After this long, the case moves to the senior queue. */
  readonly escalationMs: number;
}

/** Waits until `ready()`; each step runs once, when its level passes first. */
export async function waitWithServiceLevels(
  ready: () => boolean,
  since: string,
  levels: EscalationLevels,
  steps: { readonly remind: () => Promise<void>; readonly escalate: () => Promise<void> },
): Promise<void> {
  const started = Date.parse(since);
  for (const step of ['remind', 'escalate'] as const) {
    const at = started + (step === 'remind' ? levels.reminderMs : levels.escalationMs);
    if (await condition(ready, Math.max(1, at - Date.now()))) return;
    await steps[step]();
  }
  await condition(ready);
}
