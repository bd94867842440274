// The HTTP API: validates, authenticates, stores uploads, starts and reads claims. It never does
// document or decision work itself; workflows and their activities do.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { DatabaseHandle } from '../db/client.ts';
import { createLedgerLog, type LedgerLog } from '../db/ledger-log.ts';
import { documents } from '../db/schema.ts';
import { escalationLevels, reviewerRoles, type ReviewerRole } from '../domain/shared/review.ts';
import type { Logger } from '../platform/logger.ts';
import type { BlobStore } from '../engines/storage/blob-store.ts';
import { authenticate, type KeyRing } from './auth.ts';
import { createClaimIntake, type ClaimIntake } from './claims/intake.ts';
import { createClaimReader } from './claims/read.ts';
import { ClaimIdParams } from './claims/schemas.ts';
import { appealRoutes } from './claims/appeals.ts';
import { caseworkRoutes } from './claims/casework.ts';
import { documentFileRoutes } from './documents/files.ts';
import { claimRoutes } from './claims/routes.ts';
import { reviewRoutes } from './claims/review.ts';
import { settlementRoutes } from './claims/settlement.ts';
import { codecRoutes } from './codec.ts';
import type { CodecSessions } from './codec-session.ts';
import { consoleRoutes } from './console.ts';
import { createApplicationIntake, type ApplicationIntake } from './underwriting/intake.ts';
import { underwritingRoutes } from './underwriting/routes.ts';
import { voiceRoutes, type VoiceRouteDeps } from './voice/routes.ts';
import type { PayloadCodec } from '@temporalio/common';
import type { ClaimWorkflowInput } from '../workflows/claim/messages.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { healthRoutes } from './health.ts';
import { ledgerRoutes } from './ledger.ts';
import { meRoutes } from './me.ts';
import { peerRoutes, type PsiServerOptions } from './peers.ts';
import { referenceRoutes } from './reference.ts';
import { ApiDescription } from './openapi.ts';
import type { UploadLimits } from './uploads.ts';
import { httpRequestSeconds } from '../platform/metrics.ts';
import { traceRequests } from './tracing.ts';

export interface ApiDeps {
  /** Other insurers allowed to ask this engine about shared claims (private set intersection). */
  readonly peers?: PsiServerOptions;
  /** The decision ledger (proofs and checkpoints); one over the database without a signing key when absent. */
  readonly ledger?: { readonly log: LedgerLog; readonly verifierKey: string };
  readonly database: DatabaseHandle;
  readonly blobs: BlobStore;
  readonly temporal: Client;
  readonly logger: Logger;
  readonly keys: KeyRing;
  readonly uploads: UploadLimits;
  /** Voice intake's audio limits and call settings; absent, the voice routes are not served. */
  readonly voice?: Pick<VoiceRouteDeps, 'audio' | 'call'>;
  readonly version: string;
  /** Where the Temporal runtime of this process serves its metrics (appended to /metrics). */
  readonly sdkMetricsAddress?: string;
  readonly review: ClaimWorkflowInput['review'];
  /** The codec server's codec, the Web UI origins allowed to call it, and the staff's codec sessions. */
  readonly codec?: { readonly codec: PayloadCodec; readonly corsOrigins: readonly string[]; readonly sessions: CodecSessions };
  /** How long after a claim closes its claimant may appeal (the letters say the same); 60 days when absent. */
  readonly appealDays?: number;
  /** The operations console's built files (served at /console/); absent, no console. */
  readonly consoleDist?: string;
}

export function createApi(deps: ApiDeps): {
  app: express.Express;
  intake: ClaimIntake;
  applicationIntake: ApplicationIntake;
  description: ApiDescription;
} {
  const { database, temporal, logger } = deps;
  const app = express();
  app.disable('x-powered-by');

  // First, so that the request's span is current for everything after it, its log lines included.
  app.use(traceRequests());
  app.use(
    pinoHttp({
      logger: logger.child({ component: 'api' }),
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  // Each request's time by its route (the pattern, not the URL, so ids do not explode the series).
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      httpRequestSeconds.observe(
        { method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) },
        (performance.now() - started) / 1000,
      );
    });
    next();
  });

  const description = new ApiDescription({
    title: 'insureflow API',
    version: deps.version,
    description: 'Insurance claims automation on Temporal. Errors share one shape: { error: { code, message, details?, requestId } }.',
  });
  const intake = createClaimIntake({ db: database.db, blobs: deps.blobs, temporal, logger, review: deps.review });
  const reader = createClaimReader({ db: database.db, temporal, logger });

  app.use(
    healthRoutes({
      api: description,
      database,
      temporal,
      ...(deps.sdkMetricsAddress ? { sdkMetricsAddress: deps.sdkMetricsAddress } : {}),
    }),
  );
  if (deps.codec) app.use(codecRoutes({ ...deps.codec, keys: deps.keys }));
  if (deps.consoleDist) app.use(consoleRoutes({ dist: deps.consoleDist }));
  app.get('/openapi.json', (req, res) => {
    res.json(description.document(`${req.protocol}://${req.get('host') ?? 'localhost'}`));
  });
  if (deps.peers) app.use(peerRoutes({ db: database.db, logger, options: deps.peers }));
  app.use('/v1', authenticate(deps.keys));
  app.use(meRoutes({ api: description, limits: deps.review?.authorityLimits }));
  app.use(referenceRoutes({ api: description }));
  app.use(
    ledgerRoutes({
      api: description,
      db: database.db,
      log: deps.ledger?.log ?? createLedgerLog({ db: database.db }),
      logKey: deps.ledger?.verifierKey ?? null,
    }),
  );
  app.use(claimRoutes({ api: description, intake, reader, uploads: deps.uploads }));
  app.use(reviewRoutes({ api: description, db: database.db, reader, temporal }));
  app.use(
    documentFileRoutes(
      { api: description, db: database.db, blobs: deps.blobs, uploads: deps.uploads },
      {
        path: '/v1/claims/:id',
        noun: 'claim',
        tag: 'claims',
        roles: ['claimant', 'adjuster', 'senior_adjuster', 'admin'],
        idParams: ClaimIdParams,
        column: documents.claimId,
        visible: (principal, id) => reader.getClaim(principal, id),
      },
    ),
  );
  const reviewers = new Set([...deps.keys.values()].filter((p) => reviewerRoles.includes(p.role as ReviewerRole)).map((p) => p.subject));
  app.use(caseworkRoutes({ api: description, db: database.db, reader, reviewers, temporal }));
  const adjusters = [...new Set([...deps.keys.values()].filter((p) => p.role === 'adjuster').map((p) => p.subject))].sort();
  app.use(
    appealRoutes({
      api: description,
      db: database.db,
      reader,
      temporal,
      blobs: deps.blobs,
      logger,
      adjusters,
      appealDays: deps.appealDays ?? 60,
      review: deps.review,
    }),
  );
  app.use(settlementRoutes({ api: description, db: database.db, reader, temporal, blobs: deps.blobs }));
  const serviceLevels = escalationLevels(deps.review?.serviceLevels);
  if (deps.voice)
    app.use(voiceRoutes({ api: description, db: database.db, temporal, blobs: deps.blobs, review: deps.review, intake, ...deps.voice }));
  const applicationIntake = createApplicationIntake({ db: database.db, temporal, logger, serviceLevels });
  app.use(
    underwritingRoutes({
      api: description,
      db: database.db,
      temporal,
      blobs: deps.blobs,
      uploads: deps.uploads,
      applicationIntake,
      ...(deps.voice ? { audio: deps.voice.audio } : {}),
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, intake, applicationIntake, description };
}
