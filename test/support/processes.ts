import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../system/tools.ts';

export { freePort } from '../../system/net.ts';

export interface StartedSystem {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly readyInMs: number;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/** Runs `npm start`'s script as a user would, and waits for its ready banner. */
export async function startSystemProcess(env: Record<string, string>, timeoutMs = 180_000): Promise<StartedSystem> {
  const started = Date.now();
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), ...env };
  for (const name of Object.keys(childEnv)) if (name.startsWith('TEMPORAL_')) delete childEnv[name];
  const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'start.ts')], {
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
      if (output.includes('insureflow is ready')) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`The system did not start:\n${output}`));
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
