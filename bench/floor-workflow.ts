// The floor bench:load measures a claim against: a bare workflow on the same server and workers' runtime,
// with as many activities as a straight-through claim runs (4 until its decision is recorded, 10 in its
// whole life), each doing nothing. The `decided` update answers once the first four are done, as the
// claim API's `Prefer: wait` answers once the decision is recorded.
import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const decidedUpdate = defineUpdate<number>('decided');

const { step } = proxyActivities<{ step(n: number): Promise<number> }>({ startToCloseTimeout: '30 seconds' });

export async function floorWorkflow(beforeDecision: number, afterDecision: number): Promise<number> {
  let done = 0;
  setHandler(decidedUpdate, async () => {
    await condition(() => done >= beforeDecision);
    return done;
  });
  for (let n = 0; n < beforeDecision + afterDecision; n++) done = (await step(n)) + 1;
  await condition(allHandlersFinished);
  return done;
}
