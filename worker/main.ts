// `npm run worker [-- --queue claims --queue documents]`: a worker process for production, one
// deployment per queue so CPU-bound document work scales apart from orchestration. Temporal settings
// from the standard TEMPORAL_* environment; the database from DATABASE_URL.
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config.ts';
import { exitBecause, stopOnSignalOrFailure, temporalRequiredInProduction } from '../system/lifecycle.ts';
import { createLogger } from '../platform/logger.ts';
import { startSystem } from '../system/run.ts';
import { temporalIsConfigured, temporalSettings } from '../platform/temporal/connection.ts';
import { taskQueues, type TaskQueueName } from '../platform/temporal/task-queues.ts';

const known = Object.values(taskQueues) as string[];
const { values } = parseArgs({ options: { queue: { type: 'string', multiple: true } } });
const queues = (values.queue ?? known) as TaskQueueName[];
const unknown = queues.filter((q) => !known.includes(q));
if (unknown.length > 0) {
  console.error(`Unknown task queue(s): ${unknown.join(', ')}. Known: ${known.join(', ')}.`);
  process.exit(2);
}

const { logger, temporal, system } = await (async () => {
  const config = loadConfig();
  temporalRequiredInProduction(config, temporalIsConfigured());
  const logger = createLogger(config.logLevel);
  const temporal = temporalSettings();
  return { logger, temporal, system: await startSystem({ config, logger, temporal, api: false, queues }) };
})().catch(exitBecause);
logger.info({ queues, temporal: temporal.address, namespace: temporal.namespace, database: system.database.location }, 'worker running');
stopOnSignalOrFailure(logger, () => system.stop(), [system.failed]);
