// The Temporal CLI's development server (frontend, history, matching, Web UI) as a child process with
// its state in a SQLite file, so workflows survive a restart of the whole system.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../net.ts';

export interface DevServerOptions {
  readonly cliPath: string;
  /** Folder for the SQLite file, the server log and a pid file. */
  readonly dataDir: string;
  readonly ip?: string;
  readonly port?: number;
  readonly uiPort?: number;
  readonly startTimeoutMs?: number;
  /** The codec server the Web UI asks to decrypt payloads (--ui-codec-endpoint). */
  readonly codecEndpoint?: string;
}

export interface DevServer {
  readonly address: string;
  readonly uiUrl: string;
  readonly logFile: string;
  /** Settles when the server process exits, for whatever reason. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left running by a start that was killed outright holds the ports and the SQLite file. */
async function stopOrphan(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
  let command: string;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // Cannot tell what it is (not Linux, or gone): leave it alone.
  }
  if (!command.includes('start-dev')) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? port + 1000;
  mkdirSync(options.dataDir, { recursive: true });
  const pidFile = path.join(options.dataDir, 'server.pid');
  const logFile = path.join(options.dataDir, 'server.log');
  await stopOrphan(pidFile);
  for (const [what, p] of [
    ['gRPC', port],
    ['Web UI', uiPort],
  ] as const) {
    if (await portAnswers(ip, p)) {
      throw new Error(
        `Port ${p} on ${ip} (Temporal ${what}) is already in use. If a Temporal server is running there, ` +
          `set TEMPORAL_ADDRESS=${ip}:${port} to use it; otherwise free the port or set INSUREFLOW_TEMPORAL_PORT.`,
      );
    }
  }

  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    path.join(options.dataDir, 'temporal.sqlite'),
    '--log-level',
    'warn',
    '--ui-disable-news-fetch',
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
  ];
  const log = createWriteStream(logFile, { flags: 'a' });
  // Its own process group: Ctrl-C reaches only us, and we stop the server after the workers have drained.
  const child: ChildProcess = spawn(options.cliPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  if (child.pid !== undefined) writeFileSync(pidFile, String(child.pid));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      rmSync(pidFile, { force: true });
      resolve(code);
    });
    child.once('error', () => resolve(-1));
  });

  const address = `${ip}:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    log.end();
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  for (;;) {
    if (exitedEarly) {
      throw new Error(`The Temporal dev server exited during start-up; see ${logFile}:\n${tail(logFile)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The Temporal dev server did not become ready; see ${logFile}`);
    }
    if (await portAnswers(ip, port)) {
      try {
        const connection = await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await connection.workflowService.getSystemInfo({});
          if (await portAnswers(ip, uiPort)) break;
        } finally {
          await connection.close();
        }
      } catch {
        // Frontend not serving yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return { address, uiUrl: `http://${ip}:${uiPort}`, logFile, exited, stop };
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * A dev server on ports chosen now: a port found free can be taken by another process before the server
 * binds it, so a start that fails to bind is tried again on other ports (a few times).
 */
export async function startDevServerOnFreePorts(options: Omit<DevServerOptions, 'port' | 'uiPort'>): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer({ ...options, port: await freePort(), uiPort: await freePort() });
    } catch (error) {
      if (attempt >= 3 || !/address already in use/.test((error as Error).message)) throw error;
    }
  }
}
