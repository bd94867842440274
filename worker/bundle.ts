// Workflow code runs in Temporal's deterministic sandbox from a webpack bundle. Production workers load
// one built ahead of time (npm run build) so every worker of a deployment runs identical code and starts
// fast; development and tests bundle from source.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { temporalLogger } from '../platform/logger.ts';
import type { Logger } from '../platform/logger.ts';
import { workflowTracingInterceptors } from './tracing.ts';

export const workflowsPath = path.join(import.meta.dirname, '..', 'workflows', 'index.ts');

export async function buildWorkflowBundle(logger?: Logger, entry = workflowsPath): Promise<WorkflowBundle> {
  const started = Date.now();
  // webpack's full module report is noise at start-up; its warnings and errors still come through.
  const bundle = await bundleWorkflowCode({
    workflowsPath: entry,
    // In every bundle, tracing on or off, so that every process replays the same code.
    workflowInterceptorModules: [workflowTracingInterceptors],
    ...(logger ? { logger: temporalLogger(logger, 'WARN') } : {}),
  });
  logger?.info({ ms: Date.now() - started, bytes: bundle.code.length }, 'workflow bundle built from source');
  return bundle;
}

export async function loadWorkflowBundle(codePath: string): Promise<WorkflowBundle> {
  try {
    return { code: await readFile(codePath, 'utf8') };
  } catch (error) {
    throw new Error(`Cannot read the prebuilt workflow bundle at ${codePath}; run 'npm run build' first.`, { cause: error });
  }
}
