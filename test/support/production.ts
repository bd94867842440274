// What a production-shaped test runs its processes against, all real and on loopback: the prebuilt
// workflow bundle, a Temporal dev server of its own, a scratch PostgreSQL database with the policies
// written before the system starts (production never seeds demo data), a payment gateway, and the
// production settings every entry point needs.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { seedDemoPolicies } from '../../db/seed.ts';
import { startSandboxGateway, type SandboxGateway } from '../../engines/payments/sandbox-gateway.ts';
import { freePort } from '../../platform/net.ts';
import { ensureTool, projectRoot, temporalCli } from '../../platform/tools.ts';
import { startDevServer, type DevServer, type DevServerOptions } from '../../platform/temporal/dev-server.ts';
import { createScratchDatabase } from './postgres.ts';
import { startTcpRelay, type TcpOutage } from './tcp-outage.ts';

const run = promisify(execFile);

export interface ProductionDependencies {
  readonly workDir: string;
  /** The Temporal server; `restartTemporal` replaces it by one on the same port and data. */
  temporal: DevServer;
  readonly gateway: SandboxGateway;
  readonly databaseUrl: string;
  /** The processes reach the database through this relay, which a test can cut and restore. */
  readonly database: TcpOutage;
  readonly apiUrl: string;
  /** The settings every process of this deployment starts with. */
  readonly env: Record<string, string>;
  restartTemporal(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProductionDependencies(options: {
  readonly apiKeys: string;
  /** How long payouts stay pending at the gateway. */
  readonly settleAfterMs: number;
}): Promise<ProductionDependencies> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'insureflow-prod-'));
  const bundle = path.join(workDir, 'workflow-bundle.js');
  await run(process.execPath, [path.join(projectRoot, 'scripts', 'build.ts'), bundle], { cwd: projectRoot });
  const temporalOptions: DevServerOptions = {
    cliPath: await ensureTool(temporalCli),
    dataDir: path.join(workDir, 'temporal'),
    port: await freePort(),
    uiPort: await freePort(),
  };
  const temporal = await startDevServer(temporalOptions);
  const database = await createScratchDatabase();
  const seeding = await openDatabase({ url: database.url });
  await migrateDatabase(seeding);
  await seedDemoPolicies(seeding.db, new Date().toISOString().slice(0, 10));
  await seeding.close();
  const direct = new URL(database.url);
  const relay = await startTcpRelay({ host: direct.hostname, port: Number(direct.port || 5432) }, await freePort());
  const relayed = new URL(database.url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(relay.port);
  // The payment gateway is an outside service in production: here a separate one on loopback.
  const gatewayKey = 'prod-gateway-key';
  const gateway = await startSandboxGateway({ apiKey: gatewayKey, settleAfterMs: options.settleAfterMs });
  const port = await freePort();
  const deps: ProductionDependencies = {
    workDir,
    temporal,
    gateway,
    databaseUrl: relayed.toString(),
    database: relay,
    apiUrl: `http://127.0.0.1:${port}`,
    env: {
      NODE_ENV: 'production',
      // The entry points say they are up at info.
      LOG_LEVEL: 'info',
      DATABASE_URL: relayed.toString(),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      INSUREFLOW_DATA_DIR: workDir,
      INSUREFLOW_API_KEYS: options.apiKeys,
      INSUREFLOW_PAYMENT_GATEWAY_URL: gateway.url,
      INSUREFLOW_PAYMENT_GATEWAY_KEY: gatewayKey,
      INSUREFLOW_PAYLOAD_KEYS: `prod-1:${randomBytes(32).toString('base64')}`,
      INSUREFLOW_LEDGER_KEY: randomBytes(32).toString('base64'),
      INSUREFLOW_WORKFLOW_BUNDLE: bundle,
      PORT: String(port),
    },
    async restartTemporal() {
      await deps.temporal.stop();
      deps.temporal = await startDevServer(temporalOptions);
    },
    async stop() {
      await deps.temporal.stop();
      await gateway.close();
      await relay.close();
      await database.drop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
  return deps;
}
