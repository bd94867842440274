// `npm run api`: the HTTP API as its own process (production runs it apart from the workers).
// Temporal settings from the standard TEMPORAL_* environment; the database from DATABASE_URL.
import { loadConfig } from '../platform/config.ts';
import { exitBecause, stopOnSignalOrFailure, temporalRequiredInProduction } from '../system/lifecycle.ts';
import { createLogger } from '../platform/logger.ts';
import { ensureConsoleBuilt } from '../platform/console-build.ts';
import { startSystem } from '../system/run.ts';
import { temporalIsConfigured, temporalSettings } from '../platform/temporal/connection.ts';

const { logger, temporal, system } = await (async () => {
  const config = loadConfig();
  temporalRequiredInProduction(config, temporalIsConfigured());
  const logger = createLogger(config.logLevel);
  const temporal = temporalSettings();
  await ensureConsoleBuilt((line) => logger.info(line));
  return { logger, temporal, system: await startSystem({ config, logger, temporal, api: true, queues: [] }) };
})().catch(exitBecause);
logger.info({ url: system.apiUrl, temporal: temporal.address, database: system.database.location }, 'API listening');
stopOnSignalOrFailure(logger, () => system.stop(), [system.failed]);
