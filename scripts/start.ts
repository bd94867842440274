// `npm start`: the whole system on one machine. A Temporal dev server (with its Web UI and a SQLite
// file under the data folder) unless TEMPORAL_ADDRESS or a Temporal profile names another server, then
// the workers, the API and the embedded database. Ctrl-C stops it all in order.
import path from 'node:path';
import { loadConfig } from '../platform/config.ts';
import { exitBecause, stopOnSignalOrFailure, temporalRequiredInProduction } from '../system/lifecycle.ts';
import { createLogger } from '../platform/logger.ts';
import { startSystem } from '../system/run.ts';
import { ensureConsoleBuilt } from '../platform/console-build.ts';
import { ensureTool, temporalCli } from '../platform/tools.ts';
import { startDevServer, type DevServer } from '../platform/temporal/dev-server.ts';
import { temporalIsConfigured, temporalSettings } from '../platform/temporal/connection.ts';
import { taskQueues } from '../platform/temporal/task-queues.ts';

const startedAt = performance.now();
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
  temporalRequiredInProduction(config, temporalIsConfigured());
} catch (error) {
  exitBecause(error);
}
const logger = createLogger(config.logLevel);
const say = (line: string) => process.stdout.write(`${line}\n`);
const fail: (error: unknown) => never = exitBecause;

const consoleBuilt = await ensureConsoleBuilt(say).catch(fail);

let devServer: DevServer | undefined;
let settings = temporalSettings();
if (!temporalIsConfigured()) {
  const cliPath = await ensureTool(temporalCli, say).catch(fail);
  say('Starting the Temporal dev server...');
  devServer = await startDevServer({
    cliPath,
    dataDir: path.join(config.dataDir, 'temporal'),
    port: config.devTemporal.port,
    uiPort: config.devTemporal.uiPort,
    // Payloads are encrypted; the Web UI shows them decrypted through the API's codec server.
    codecEndpoint: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/codec`,
  }).catch(fail);
  settings = { ...settings, address: devServer.address, connectionOptions: { ...settings.connectionOptions, address: devServer.address } };
}

let system: Awaited<ReturnType<typeof startSystem>>;
try {
  system = await startSystem({ config, logger, temporal: settings, api: true, queues: Object.values(taskQueues) });
} catch (error) {
  await devServer?.stop();
  fail(error);
}

stopOnSignalOrFailure(
  logger,
  async (reason) => {
    say(`\nStopping (${reason})...`);
    await system.stop();
    await devServer?.stop();
    say('Stopped.');
  },
  [system.failed, ...(devServer ? [devServer.exited] : [])],
);

const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
say(
  [
    '',
    `insureflow is ready (${seconds} s)`,
    `  Console       ${consoleBuilt ? `${system.apiUrl}/console/   (adjusters and underwriters; sign in with a staff key)` : 'not built (npm run build:console)'}`,
    `  API           ${system.apiUrl}   (OpenAPI: ${system.apiUrl}/openapi.json)`,
    `  Temporal UI   ${devServer ? devServer.uiUrl : 'the Web UI of your Temporal cluster'}`,
    `  Codec server  ${system.apiUrl}/codec   (staff only: sign in to the console; in the Web UI's Codec Server settings give`,
    `                this endpoint with "override" and "Include cross-origin credentials" on; the CLI: --codec-auth 'Bearer <key>')`,
    `  Temporal      ${settings.address}, namespace ${settings.namespace}`,
    `  Database      ${system.database.location}`,
    `  Task queues   ${Object.values(taskQueues).join(', ')}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'),
);
