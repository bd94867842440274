// Worker Deployment Versioning on the Temporal CLI's embedded server, measured for ADR 0016: two builds
// of one workflow type whose command sequences differ (build-2 drops a timer, so a build-1 history, which
// holds the timer's events, does not replay on it). With PINNED versioning a run stays on the build it started on, so build-1's run
// finishes on build-1's worker after build-2 became current, and only new runs take build-2; no
// `patched()` is needed for the change. Auto-upgrade is the opposite: the run moves to the current build
// at its next task and must replay there (so the change needs `patched()` after all).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker, type WorkerDeploymentOptions } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTool, temporalCli } from '../../platform/tools.ts';
import { startDevServerOnFreePorts, type DevServer } from '../../platform/temporal/dev-server.ts';

const deploymentName = 'insureflow-versioning-eval';
const taskQueue = 'versioning-eval';
const namespace = 'default';

let server: DevServer;
let dataDir: string;
let client: Client;
let connection: NativeConnection;
const running: { worker: Worker; done: Promise<void> }[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'insureflow-versioning-'));
  server = await startDevServerOnFreePorts({ cliPath: await ensureTool(temporalCli), dataDir });
  client = new Client({ connection: await Connection.connect({ address: server.address }), namespace });
  connection = await NativeConnection.connect({ address: server.address });
});

afterAll(async () => {
  for (const r of running) r.worker.shutdown();
  await Promise.allSettled(running.map((r) => r.done));
  await connection?.close();
  await client?.connection.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startBuild(
  buildId: 'build-1' | 'build-2',
  {
    deployment = deploymentName,
    queue = taskQueue,
    behavior = 'PINNED',
  }: { deployment?: string; queue?: string; behavior?: 'PINNED' | 'AUTO_UPGRADE' } = {},
): Promise<void> {
  const workerDeploymentOptions: WorkerDeploymentOptions = {
    useWorkerVersioning: true,
    version: { deploymentName: deployment, buildId },
    defaultVersioningBehavior: behavior,
  };
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue: queue,
    workflowsPath: path.join(import.meta.dirname, 'versioning', `${buildId}.ts`),
    workerDeploymentOptions,
  });
  running.push({ worker, done: worker.run() });
  // The server learns of a version from its workers' polls; it can become current once it has.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace,
        deploymentName: deployment,
        buildId,
        identity: 'versioning-test',
      });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  // The new routing reaches the task queue asynchronously: until it has, tasks may still go to the old build.
  for (;;) {
    const { workerDeploymentInfo: info } = await client.workflowService.describeWorkerDeployment({ namespace, deploymentName: deployment });
    const { ROUTING_CONFIG_UPDATE_STATE_UNSPECIFIED: unspecified, ROUTING_CONFIG_UPDATE_STATE_COMPLETED: completed } =
      temporal.api.enums.v1.RoutingConfigUpdateState;
    const state = info?.routingConfigUpdateState ?? unspecified;
    if (info?.routingConfig?.currentDeploymentVersion?.buildId === buildId && (state === unspecified || state === completed)) return;
    if (Date.now() > deadline) throw new Error(`the routing to ${buildId} did not complete (state ${state})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('worker deployment versioning (embedded server)', () => {
  it('keeps a pinned run on the build it started on, and sends new runs to the current build', async () => {
    await startBuild('build-1');
    const first = await client.workflow.start('versionedWorkflow', { taskQueue, workflowId: 'versioning-first' });
    // Its first task ran on build-1 before build-2 exists.
    await expect
      .poll(async () => (await first.describe()).raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId, { timeout: 20_000 })
      .toBe('build-1');

    await startBuild('build-2');
    const second = await client.workflow.start('versionedWorkflow', { taskQueue, workflowId: 'versioning-second' });
    await first.signal('proceed');
    await second.signal('proceed');

    // build-1's history would not replay on build-2 (it holds a timer build-2 never starts): pinned, it never has to.
    expect(await first.result()).toBe('build-1');
    expect(await second.result()).toBe('build-2');
    const info = (await first.describe()).raw.workflowExecutionInfo?.versioningInfo;
    expect(info?.behavior).toBe(1); // VERSIONING_BEHAVIOR_PINNED
    expect(info?.deploymentVersion?.buildId).toBe('build-1');
    const deployment = await client.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    expect(deployment.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId).toBe('build-2');
  });

  it('moves an auto-upgrade run to the current build, where a changed command sequence fails to replay', async () => {
    const deployment = `${deploymentName}-auto`;
    const queue = `${taskQueue}-auto`;
    await startBuild('build-1', { deployment, queue, behavior: 'AUTO_UPGRADE' });
    const run = await client.workflow.start('versionedWorkflow', { taskQueue: queue, workflowId: 'versioning-auto' });
    await expect
      .poll(async () => (await run.describe()).raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId, { timeout: 20_000 })
      .toBe('build-1');
    await startBuild('build-2', { deployment, queue, behavior: 'AUTO_UPGRADE' });
    await run.signal('proceed');
    // The next task goes to build-2, which replays build-1's history and finds a timer it does not start.
    await expect
      .poll(
        async () => {
          const history = await run.fetchHistory();
          return (history.events ?? []).some((e) => e.workflowTaskFailedEventAttributes?.failure?.message?.includes('Nondeterminism'));
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    await run.terminate('evaluation done');
  });
});
