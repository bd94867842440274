import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../platform/tools.ts';

export { freePort } from '../../platform/net.ts';

export interface StartedSystem {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly readyInMs: number;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/** Runs `npm start`'s script as a user would, and waits for its ready banner. */
export function startSystemProcess(env: Record<string, string>, timeoutMs = 180_000): Promise<StartedSystem> {
  return startProjectProcess(['scripts/start.ts'], env, 'insureflow is ready', timeoutMs);
}

/**
 * Runs one of the project's entry points with Node 24 and waits until its output contains `readyMarker`.
 * TEMPORAL_* variables of the test run are not passed on: each process gets exactly what `env` says.
 */
export async function startProjectProcess(
  args: string[],
  env: Record<string, string>,
  readyMarker: string,
  timeoutMs = 180_000,
): Promise<StartedSystem> {
  const started = Date.now();
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const name of Object.keys(childEnv)) if (name.startsWith('TEMPORAL_')) delete childEnv[name];
  Object.assign(childEnv, env);
  const [script = '', ...rest] = args;
  const child = spawn(process.execPath, [path.join(projectRoot, script), ...rest], {
    cwd: projectRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes(readyMarker)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`${script} did not start:\n${output}`));
      }
    }, 50);
  });
  const readyInMs = Date.now() - started;
  return {
    child,
    output: () => output,
    readyInMs,
    async stop(signal = 'SIGINT') {
      const t = Date.now();
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return { code, ms: Date.now() - t };
    },
  };
}
