// A complete, throwaway system for scripts (benchmarks, history capture): a Temporal dev server on free
// ports and the API with both workers, all state in a temporary folder that `stop` removes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevServerOnFreePorts } from '../platform/temporal/dev-server.ts';
import { taskQueues } from '../platform/temporal/task-queues.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startSystem, type RunningSystem } from './run.ts';
import { ensureTool, temporalCli } from '../platform/tools.ts';

export async function startScratchSystem(
  logLevel = 'warn',
  env: Record<string, string> = {},
): Promise<{ system: RunningSystem; address: string; stop: () => Promise<void> }> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'insureflow-scratch-'));
  const server = await startDevServerOnFreePorts({ cliPath: await ensureTool(temporalCli), dataDir: path.join(workDir, 'temporal') });
  try {
    const config = { ...loadConfig({ LOG_LEVEL: logLevel, PORT: '0', ...env }), dataDir: workDir };
    const system = await startSystem({
      config,
      logger: createLogger(config.logLevel),
      temporal: { address: server.address, namespace: 'default', connectionOptions: { address: server.address } },
      api: true,
      queues: Object.values(taskQueues),
    });
    return {
      system,
      address: server.address,
      stop: async () => {
        await system.stop();
        await server.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
