// The second build: the timer removed, a change that a build-1 history (which has the timer's events)
// does not replay on. Under pinned versioning it never has to.
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const proceed = defineSignal('proceed');

export async function versionedWorkflow(): Promise<string> {
  let go = false;
  setHandler(proceed, () => void (go = true));
  await condition(() => go);
  return 'build-2';
}
