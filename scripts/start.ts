// `npm start`: the whole system on one machine. A Temporal dev server (with its Web UI and a SQLite
// file under the data folder) unless TEMPORAL_ADDRESS or a Temporal profile names another server, then
// the workers, the API and the embedded database. Ctrl-C stops it all in order.
import path from 'node:path';
import { loadConfig } from '../system/config.ts';
import { createLogger } from '../system/logger.ts';
import { startSystem } from '../system/run.ts';
import { ensureTool, temporalCli } from '../system/tools.ts';
import { startDevServer, type DevServer } from '../temporal/dev-server.ts';
import { temporalIsConfigured, temporalSettings } from '../temporal/connection.ts';
import { taskQueues } from '../temporal/task-queues.ts';

const startedAt = performance.now();
const config = loadConfig();
const logger = createLogger(config.logLevel);
const say = (line: string) => process.stdout.write(`${line}\n`);

let devServer: DevServer | undefined;
let settings = temporalSettings();
if (!temporalIsConfigured()) {
  const cliPath = await ensureTool(temporalCli, say);
  say('Starting the Temporal dev server...');
  devServer = await startDevServer({
    cliPath,
    dataDir: path.join(config.dataDir, 'temporal'),
    port: config.devTemporal.port,
    uiPort: config.devTemporal.uiPort,
  });
  settings = { ...settings, address: devServer.address, connectionOptions: { ...settings.connectionOptions, address: devServer.address } };
}

let system: Awaited<ReturnType<typeof startSystem>>;
try {
  system = await startSystem({ config, logger, temporal: settings, api: true, queues: Object.values(taskQueues) });
} catch (error) {
  await devServer?.stop();
  throw error;
}

let stopping = false;
async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`\nStopping (${reason})...`);
  await system.stop();
  await devServer?.stop();
  say('Stopped.');
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      say('Forced exit.');
      process.exit(130);
    }
    void shutdown(signal, 0);
  });
}
system.failed.catch((error: unknown) => {
  logger.fatal({ err: error }, 'a component failed');
  void shutdown('component failure', 1);
});
void devServer?.exited.then((code) => {
  if (!stopping) {
    logger.fatal({ code, log: devServer?.logFile }, 'the Temporal dev server exited');
    void shutdown('Temporal dev server exited', 1);
  }
});

const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
say(
  [
    '',
    `insureflow is ready (${seconds} s)`,
    `  API           ${system.apiUrl}   (OpenAPI: ${system.apiUrl}/openapi.json)`,
    devServer ? `  Temporal UI   ${devServer.uiUrl}` : `  Temporal      ${settings.address} (configured)`,
    `  Temporal      ${settings.address}, namespace ${settings.namespace}`,
    `  Database      ${system.database.location}`,
    `  Task queues   ${Object.values(taskQueues).join(', ')}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'),
);
