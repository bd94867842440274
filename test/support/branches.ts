// What the workflows' branch tests share: a time-skipping test server from the pinned wheel, and workers
// that serve stubbed activities for one test's body, then terminate whatever that body started (a run
// left waiting must not fire its timers into the next test).
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { ensureTool, temporalTestServer } from '../../platform/tools.ts';
import { workerTracingOptions } from '../../worker/tracing.ts';

export async function timeSkippingServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: await ensureTool(temporalTestServer) } },
  });
}

export interface BranchWorkers {
  readonly env: TestWorkflowEnvironment;
  readonly bundle: WorkflowBundle;
  readonly activities: object;
  /** Queues whose workers run workflows (and activities); the rest of `queues` run activities only. */
  readonly workflowQueues: readonly string[];
  readonly queues: readonly string[];
  /** Runs the body started, terminated once it is done. */
  readonly started: WorkflowHandle[];
}

export async function withBranchWorkers<T>(w: BranchWorkers, body: () => Promise<T>): Promise<T> {
  const workers = await Promise.all(
    w.queues.map((taskQueue) =>
      Worker.create({
        connection: w.env.nativeConnection,
        namespace: w.env.namespace ?? 'default',
        taskQueue,
        activities: w.activities,
        ...workerTracingOptions(),
        ...(w.workflowQueues.includes(taskQueue) ? { workflowBundle: w.bundle } : {}),
      }),
    ),
  );
  let result: T | undefined;
  const run = async () => {
    try {
      result = await body();
    } finally {
      for (const handle of w.started.splice(0)) await handle.terminate('test over').catch(() => undefined);
    }
  };
  await workers.reduceRight<() => Promise<void>>((inner, worker) => () => worker.runUntil(inner), run)();
  return result as T;
}
