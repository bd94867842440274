// One Worker per task queue, sharing a connection. Development runs them in one process; production
// runs each queue as its own deployment (npm run worker -- --queue claims|documents).
import { availableParallelism } from 'node:os';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createClaimActivities } from '../activities/claims/index.ts';
import { createFraudActivities } from '../activities/claims/fraud.ts';
import { createSettlementActivities } from '../activities/claims/settlement.ts';
import { createAppealActivities } from '../activities/claims/appeals.ts';
import { createStatementActivities } from '../activities/claims/statements.ts';
import type { AiProvider } from '../engines/ai/provider.ts';
import { createUnderwritingActivities } from '../activities/underwriting/index.ts';
import { createVoiceActivities, type VoiceActivityDeps } from '../activities/voice/index.ts';
import type { Tariffs } from '../activities/underwriting/index.ts';
import type { FraudModelArtefact } from '../domain/fraud/model.ts';
import type { PsiClient } from '../engines/insurers/psi-client.ts';
import type { FraudBands } from '../domain/fraud/score.ts';
import type { AuthorityLimits } from '../domain/shared/review.ts';
import { createDocumentActivities } from '../activities/documents/index.ts';
import type { PaymentGateway } from '../engines/payments/gateway.ts';
import type { Database } from '../db/client.ts';
import type { DocumentLimits } from '../engines/documents/pipeline.ts';
import type { OcrEngine } from '../engines/documents/ocr/engine.ts';
import type { FieldSelectors } from '../domain/documents/fields/selector.ts';
import type { BlobStore } from '../engines/storage/blob-store.ts';
import { taskQueues, type TaskQueueName } from '../platform/temporal/task-queues.ts';
import type { Tracing } from '../platform/tracing.ts';
import { PermanentFailureInterceptor } from './permanent-failures.ts';
import { workerTracingOptions } from './tracing.ts';

export interface WorkerDeps {
  readonly db: Database;
  readonly blobs: BlobStore;
  /** The claims queue's payment gateway and letters. */
  readonly settlement: { readonly gateway: PaymentGateway; readonly appealDays: number };
  /** The decision ledger's origin, which letters and policy documents print beside the decision's leaf. */
  readonly ledgerOrigin?: string;
  /** Each product's tariff underwriting prices with, by product code. */
  readonly tariffs: Tariffs;
  /** Reads free text (statements) into claim fields. */
  readonly ai: AiProvider;
  /** The claims queue's fraud checks. */
  readonly fraud: {
    readonly model: FraudModelArtefact;
    readonly bands: FraudBands;
    readonly authorityLimits: AuthorityLimits;
    /** Other insurers asked whether they hold the same claim (private set intersection). */
    readonly otherInsurers?: PsiClient;
  };
  /** Speech engines for voice intake (the claims queue). */
  readonly voice: Omit<VoiceActivityDeps, 'db' | 'blobs'>;
  /** The documents queue's OCR engine and limits; absent when this process does not poll it. */
  readonly documents?: {
    readonly ocr: OcrEngine;
    readonly limits: DocumentLimits;
    readonly dateOrder: 'DMY' | 'MDY';
    readonly selectors?: FieldSelectors;
  };
}

export interface WorkerSetup {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly workflowBundle: WorkflowBundle;
  readonly deps: WorkerDeps;
  readonly queues?: readonly TaskQueueName[];
  /** The encrypting data converter (platform/temporal/data-converter.ts). */
  readonly dataConverter: DataConverter;
  /** Deployment identity shown in the Web UI's worker list. */
  readonly identity?: string;
  /** Where the workflows' and activities' spans go (platform/tracing.ts); none recorded when absent. */
  readonly tracing?: Tracing;
}

export async function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  const queues = setup.queues ?? Object.values(taskQueues);
  const tracing = workerTracingOptions(setup.tracing);
  const common = {
    connection: setup.connection,
    namespace: setup.namespace,
    dataConverter: setup.dataConverter,
    ...tracing,
    // Permanent failures are classified innermost, so the activity's span records the classified one.
    interceptors: {
      ...tracing.interceptors,
      activity: [...(tracing.interceptors.activity ?? []), () => ({ inbound: new PermanentFailureInterceptor() })],
    },
    ...(setup.identity ? { identity: setup.identity } : {}),
  };
  const workers: Worker[] = [];
  if (queues.includes(taskQueues.claims)) {
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: taskQueues.claims,
        workflowBundle: setup.workflowBundle,
        activities: {
          ...createClaimActivities(setup.deps),
          ...createSettlementActivities({ ...setup.deps, ...setup.deps.settlement }),
          ...createAppealActivities({ db: setup.deps.db, blobs: setup.deps.blobs, ledgerOrigin: setup.deps.ledgerOrigin }),
          ...createFraudActivities({ db: setup.deps.db, ...setup.deps.fraud }),
          ...createUnderwritingActivities({
            db: setup.deps.db,
            blobs: setup.deps.blobs,
            tariffs: setup.deps.tariffs,
            ai: setup.deps.ai,
            ledgerOrigin: setup.deps.ledgerOrigin,
          }),
          ...createVoiceActivities({ db: setup.deps.db, blobs: setup.deps.blobs, ...setup.deps.voice }),
          ...createStatementActivities({
            provider: setup.deps.ai,
            ...(setup.deps.documents ? { dateOrder: setup.deps.documents.dateOrder } : {}),
          }),
        },
        maxConcurrentActivityTaskExecutions: 50,
      }),
    );
  }
  if (queues.includes(taskQueues.documents)) {
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: taskQueues.documents,
        activities: createDocumentActivities({ ...setup.deps, ...setup.deps.documents }),
        // Pages of the documents in hand share the OCR engine (one worker per core); more documents than
        // cores would only queue inside this process while another worker could take them.
        maxConcurrentActivityTaskExecutions: setup.deps.documents?.ocr.concurrency ?? availableParallelism(),
        // Cancellation reaches an activity in the answer to a heartbeat; by default heartbeats are held
        // back for most of the heartbeat timeout, which would leave a cancelled document being read for
        // up to 48 seconds.
        maxHeartbeatThrottleInterval: '2 seconds',
        defaultHeartbeatThrottleInterval: '2 seconds',
      }),
    );
  }
  return workers;
}
