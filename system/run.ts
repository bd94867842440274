// Composition root: opens the database, connects to Temporal, and runs the API and/or the workers in
// this process. `npm start` runs everything here; production runs the API and each worker queue as
// separate processes (api/main.ts, worker/main.ts) against PostgreSQL.
import { consoleDist } from '../platform/console-build.ts';
import { metricsText } from '../platform/metrics.ts';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { createApi } from '../api/app.ts';
import { developmentKeys, parseApiKeys } from '../api/auth.ts';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { seedDemoPolicies } from '../db/seed.ts';
import { createFileBlobStore } from '../engines/storage/blob-store.ts';
import { connectClient, connectWorkerConnection, type TemporalSettings } from '../platform/temporal/connection.ts';
import { registerSearchAttributes } from '../platform/temporal/register-search-attributes.ts';
import { taskQueues, type TaskQueueName } from '../platform/temporal/task-queues.ts';
import { buildWorkflowBundle, loadWorkflowBundle } from '../worker/bundle.ts';
import { createWorkers, type WorkerDeps } from '../worker/workers.ts';
import { createOcrEngine } from '../engines/documents/ocr/index.ts';
import { createHttpPaymentGateway } from '../engines/payments/gateway.ts';
import { loadFraudModel } from '../activities/claims/fraud.ts';
import { loadFieldSelectors } from '../activities/documents/index.ts';
import { loadTariffs } from '../activities/underwriting/index.ts';
import { startOutboxRelay } from '../db/outbox.ts';
import { createLedgerLog } from '../db/ledger-log.ts';
import { startLedgerPublisher, witnessPeers } from '../db/ledger-publisher.ts';
import { resolveLedgerSigner } from '../platform/ledger/signer.ts';
import { verifierKey } from '../platform/ledger/note.ts';
import { createPsiClient, parsePsiPeers } from '../engines/insurers/psi-client.ts';
import { createSmtpMailer } from '../engines/mail/smtp.ts';
import { createOfflineProvider } from '../engines/ai/offline.ts';
import { createOpenAiProvider } from '../engines/ai/openai.ts';
import { createSpeechEngines } from '../engines/speech/speech-engines.ts';
import { createDataConverter } from '../platform/temporal/data-converter.ts';
import { createEncryptionCodec } from '../platform/temporal/payload-codec.ts';
import { createCodecSessions } from '../api/codec-session.ts';
import { resolvePayloadKeys } from '../platform/payload-keys.ts';
import { startSandboxGateway, type SandboxGateway } from '../engines/payments/sandbox-gateway.ts';
import type { Config } from '../platform/config.ts';
import { temporalLogger, type Logger } from '../platform/logger.ts';
import { installTracing } from '../platform/tracing.ts';
import { onPath, projectRoot } from '../platform/tools.ts';

export interface SystemOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly temporal: TemporalSettings;
  readonly api: boolean;
  /** Task queues to poll in this process; empty for an API-only process. */
  readonly queues: readonly TaskQueueName[];
  /** The workflows' entry module when bundling from source (default workflows/index.ts; tests that add a product give theirs). */
  readonly workflowsPath?: string;
}

export interface RunningSystem {
  readonly database: DatabaseHandle;
  readonly apiUrl: string | null;
  readonly temporal: Client;
  /** The sandbox payment gateway, when this process runs it (no gateway configured). */
  readonly paymentSandbox: SandboxGateway | null;
  /** Rejects if a worker or the HTTP server fails on its own; never resolves otherwise. */
  readonly failed: Promise<never>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * The SDK runtime is a process-wide singleton; install ours (logs into pino, no signal handling of its
 * own: the entry points stop the parts in order) unless something already created one.
 */
export function installRuntime(logger: Logger, sdkMetricsAddress?: string): void {
  if (runtimeInstalled) return;
  try {
    Runtime.install({
      logger: temporalLogger(logger),
      shutdownSignals: [],
      // The SDK's own metrics (task latencies, slots, polls), for /metrics to append.
      ...(sdkMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } } : {}),
    });
  } catch (error) {
    if ((error as Error).name !== 'IllegalStateError') throw error;
  }
  runtimeInstalled = true;
}

export const packageVersion = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

export async function openBusinessDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'pglite') });
  try {
    await migrateDatabase(database);
    if (config.seedDemoPolicies) {
      const added = await database.exclusive(() => seedDemoPolicies(database.db, new Date().toISOString().slice(0, 10)));
      if (added > 0) logger.info({ added }, 'demo policies seeded');
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const { config, logger } = options;
  installRuntime(logger, config.metrics.sdkAddress);
  // Spans carry the process's part as their service: the API, a queue's worker, or all of it in one.
  const role = !options.api
    ? `insureflow-worker-${options.queues.join('-')}`
    : options.queues.length === 0
      ? 'insureflow-api'
      : 'insureflow';
  const tracing = installTracing(config.tracing, role);
  const cleanup: (() => Promise<void>)[] = [() => tracing.flush()];
  // Looked for once (it runs `ffmpeg -version`), whether the worker, the API or both need it.
  let ffmpeg: Promise<string | null> | undefined;
  const ffmpegPath = () =>
    (ffmpeg ??= config.speech.ffmpegPath
      ? Promise.resolve(config.speech.ffmpegPath)
      : onPath('ffmpeg', ['-version']).then((p) => p ?? null));
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
  };

  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);

  try {
    const database = await openBusinessDatabase(config, logger);
    cleanup.push(() => database.close());
    const blobs = createFileBlobStore(path.join(config.dataDir, 'blobs'));

    const payloadKeys = resolvePayloadKeys(config);
    const dataConverter = createDataConverter(payloadKeys);
    const temporal = await connectClient(options.temporal, dataConverter);
    cleanup.push(() => temporal.connection.close());
    const registered = await registerSearchAttributes(temporal.connection, options.temporal.namespace, undefined, (m) => logger.warn(m));
    if (registered.length > 0) logger.info({ registered }, 'search attributes registered');

    let workers: Worker[] = [];
    let paymentSandbox: SandboxGateway | null = null;
    if (options.queues.length > 0) {
      const bundle = config.workflowBundlePath
        ? await loadWorkflowBundle(config.workflowBundlePath)
        : await buildWorkflowBundle(logger, options.workflowsPath);
      const connection: NativeConnection = await connectWorkerConnection(options.temporal);
      cleanup.push(() => connection.close());
      let documents: WorkerDeps['documents'];
      if (options.queues.includes(taskQueues.documents)) {
        const ocr = await createOcrEngine(config, logger);
        cleanup.push(() => ocr.close());
        const selectors = loadFieldSelectors(ocr.name);
        documents = { ocr, limits: config.documents.limits, dateOrder: config.documents.dateOrder, ...(selectors ? { selectors } : {}) };
      }
      let gatewayUrl = config.payments.gatewayUrl;
      if (!gatewayUrl && options.queues.includes(taskQueues.claims)) {
        const sandbox = await startSandboxGateway({
          apiKey: config.payments.gatewayKey,
          settleAfterMs: config.payments.sandboxSettleMs,
          stateFile: path.join(config.dataDir, 'payment-sandbox.json'),
          port: config.payments.sandboxPort,
        });
        paymentSandbox = sandbox;
        cleanup.push(() => sandbox.close());
        gatewayUrl = sandbox.url;
        logger.info({ url: sandbox.url }, 'sandbox payment gateway started (no INSUREFLOW_PAYMENT_GATEWAY_URL)');
      }
      const audioLimits = { maxSeconds: config.speech.maxAudioSeconds, ffmpegPath: await ffmpegPath() };
      const speech = await createSpeechEngines(config, audioLimits, (line) => logger.info(line));
      cleanup.push(() => speech.close());
      const gateway = createHttpPaymentGateway({ baseUrl: gatewayUrl ?? 'http://127.0.0.1:9', apiKey: config.payments.gatewayKey });
      workers = await createWorkers({
        tracing,
        dataConverter,
        connection,
        namespace: options.temporal.namespace,
        workflowBundle: bundle,
        deps: {
          db: database.db,
          blobs,
          settlement: { gateway, appealDays: config.payments.appealDays },
          ledgerOrigin: config.ledger.origin,
          fraud: {
            model: loadFraudModel(),
            bands: config.fraudBands,
            authorityLimits: config.review.authorityLimits,
            ...(config.psi.peers ? { otherInsurers: createPsiClient(parsePsiPeers(config.psi.peers)) } : {}),
          },
          tariffs: loadTariffs(),
          ai:
            config.ai.provider === 'openai'
              ? createOpenAiProvider(config.ai)
              : createOfflineProvider({ dateOrder: config.documents.dateOrder }),
          voice: speech.deps,
          ...(documents ? { documents } : {}),
        },
        queues: options.queues,
      });
      const runs = workers.map((worker) =>
        worker.run().catch((error: unknown) => {
          fail(error instanceof Error ? error : new Error(String(error)));
        }),
      );
      cleanup.push(async () => {
        for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
        await Promise.all(runs);
      });
    }

    let apiUrl: string | null = null;
    if (options.api) {
      const keys = parseApiKeys(config.apiKeys ?? developmentKeys);
      const uploads = { ...config.uploads, document: config.documents.limits };
      const codec = {
        codec: createEncryptionCodec(payloadKeys),
        corsOrigins: config.payloadKeys.corsOrigins,
        sessions: createCodecSessions(payloadKeys.keys.get(payloadKeys.currentKeyId)!),
      };
      const voice = {
        audio: {
          maxSeconds: config.speech.maxAudioSeconds,
          maxAnswerSeconds: Math.min(60, config.speech.maxAudioSeconds),
          maxBytes: config.uploads.maxFileBytes,
          ffmpegPath: await ffmpegPath(),
        },
        call: { policyPrefix: config.speech.policyPrefix, silenceTimeoutMs: config.speech.silenceTimeoutMs },
      };
      const ledgerSigner = resolveLedgerSigner(config);
      const ledger = createLedgerLog({ db: database.db, signer: ledgerSigner });
      const { app, intake, applicationIntake } = createApi({
        ledger: { log: ledger, verifierKey: verifierKey(ledgerSigner) },
        ...(config.psi.peerKeys.length > 0
          ? {
              peers: {
                peers: config.psi.peerKeys,
                maxPointsPerQuestion: config.psi.maxPoints,
                questionsPerMinute: config.psi.questionsPerMinute,
                days: config.psi.days,
              },
            }
          : {}),
        ...(config.metrics.sdkAddress ? { sdkMetricsAddress: config.metrics.sdkAddress } : {}),
        database,
        blobs,
        temporal,
        logger,
        keys,
        uploads,
        version: packageVersion,
        review: config.review,
        codec,
        voice,
        consoleDist,
        appealDays: config.payments.appealDays,
      });
      // Not app.listen: Express 5 calls its callback on errors too, which would pass a failed bind as success.
      const server: Server = createServer(app);
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            error.code === 'EADDRINUSE'
              ? new Error(`Port ${config.port} on ${config.host} is already in use; set PORT to another port.`, { cause: error })
              : error,
          ),
        );
        server.listen(config.port, config.host);
      });
      server.on('error', (error) => fail(error));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      apiUrl = `http://${config.host}:${port}`;
      cleanup.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            setTimeout(() => server.closeAllConnections(), 5_000).unref();
          }),
      );
      // Claims and applications accepted while Temporal was unreachable get their workflows once it is back.
      const sweep = () => {
        intake.startPending().catch((error: unknown) => logger.warn({ err: error }, 'pending-claim sweep failed'));
        applicationIntake.startPending().catch((error: unknown) => logger.warn({ err: error }, 'pending-application sweep failed'));
      };
      sweep();
      const timer = setInterval(sweep, config.sweepIntervalMs);
      timer.unref();
      cleanup.push(() => {
        clearInterval(timer);
        return Promise.resolve();
      });
      // The decision ledger's checkpoints, signed when decisions were added and shown to the witnesses.
      const publisher = startLedgerPublisher({
        db: database.db,
        log: ledger,
        witnesses: witnessPeers(config.ledger.witnesses),
        everyMs: config.ledger.checkpointEveryMs,
        logger: logger.child({ component: 'ledger' }),
      });
      cleanup.push(() => publisher.stop());
      // Claimants' and applicants' messages are emailed from the outbox where an SMTP server is configured.
      if (config.mail.smtpUrl) {
        const relay = startOutboxRelay({
          db: database.db,
          mailer: createSmtpMailer(config.mail.smtpUrl, config.mail.from),
          logger: logger.child({ component: 'outbox' }),
          intervalMs: config.mail.intervalMs,
          retryBaseMs: config.mail.retryBaseMs,
        });
        cleanup.push(() => relay.stop());
      } else {
        logger.info('no INSUREFLOW_SMTP_URL: messages to claimants and applicants stay in the outbox (the API shows them)');
      }
    }

    // A worker process without the API serves its metrics on a port of its own, when given one.
    if (!options.api && config.metrics.port !== undefined) {
      const server = createServer((req, res) => {
        if (req.url !== '/metrics') return void res.writeHead(404).end();
        metricsText(config.metrics.sdkAddress).then(
          (text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text),
          () => res.writeHead(500).end(),
        );
      });
      await new Promise<void>((resolve) => server.listen(config.metrics.port, config.host, resolve));
      cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    }

    return { database, apiUrl, temporal, paymentSandbox, failed, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
