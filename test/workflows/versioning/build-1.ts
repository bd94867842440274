// The first build of a workflow for the worker-versioning evaluation (worker-versioning.test.ts): a
// short timer, then it waits for a signal and answers which build ran it.
import { condition, defineSignal, setHandler, sleep } from '@temporalio/workflow';

export const proceed = defineSignal('proceed');

export async function versionedWorkflow(): Promise<string> {
  let go = false;
  setHandler(proceed, () => void (go = true));
  await sleep(1);
  await condition(() => go);
  return 'build-1';
}
