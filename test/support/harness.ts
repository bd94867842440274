// A real system for a test file: a Temporal dev server from the pinned CLI (via @temporalio/testing with
// an existing binary; its download cannot work offline), and the production composition root
// (startSystem) with the API, both workers and an embedded database in a scratch folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig, type Config } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { installRuntime, startSystem, type RunningSystem } from '../../system/run.ts';
import { ensureTool, temporalCli } from '../../platform/tools.ts';
import { restingClaimStatuses } from '../../domain/claims/claim.ts';
import { testDataConverter, testPayloadKeys } from './payload-keys.ts';
import { textPdf } from './documents.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';

export interface Harness {
  readonly env: TestWorkflowEnvironment;
  readonly system: RunningSystem;
  readonly config: Config;
  readonly apiUrl: string;
  stop(): Promise<void>;
}

/** `workflowsPath`: another workflows entry module (a test that registers a product of its own). */
export async function startHarness(env: Record<string, string> = {}, options: { workflowsPath?: string } = {}): Promise<Harness> {
  const cliPath = await ensureTool(temporalCli);
  // The sandbox gateway settles at once unless a test asks it to hold payouts pending.
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    INSUREFLOW_DATA_DIR: 'unused',
    PORT: '0',
    INSUREFLOW_SANDBOX_SETTLE: '0ms',
    INSUREFLOW_PAYLOAD_KEYS: testPayloadKeys,
    ...env,
  });
  installRuntime(createLogger(config.logLevel));
  const testEnv = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: cliPath }, ip: '127.0.0.1' },
    client: { dataConverter: testDataConverter },
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'insureflow-test-'));
  const configWithData = { ...config, dataDir };
  const address = testEnv.address;
  let system: RunningSystem;
  try {
    system = await startSystem({
      config: configWithData,
      logger: createLogger(config.logLevel),
      temporal: { address, namespace: testEnv.namespace ?? 'default', connectionOptions: { address } },
      api: true,
      queues: Object.values(taskQueues),
      ...(options.workflowsPath ? { workflowsPath: options.workflowsPath } : {}),
    });
  } catch (error) {
    await testEnv.teardown();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    env: testEnv,
    system,
    config: configWithData,
    apiUrl: system.apiUrl ?? '',
    async stop() {
      await system.stop();
      await testEnv.teardown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const keys = {
  admin: 'dev-admin-key',
  adjuster: 'dev-adjuster-key',
  underwriter: 'dev-underwriter-key',
  /** cust-1001: holds POL-1001 (motor, EUR) and POL-1002 (home, EUR). */
  claimant: 'dev-claimant-key',
  /** cust-1002: holds POL-2001 (motor, USD) and POL-2002 (home, cancelled). */
  claimant2: 'dev-claimant2-key',
} as const;

export const today = () => new Date().toISOString().slice(0, 10);

/** An application for motorcycle insurance the rules accept at the standard rate, unless overridden. */
export function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    applicant: { name: 'Margit Andersson', dateOfBirth: '1976-05-02' },
    vehicle: { registration: 'ABC 123', year: 2019, class: 3, value: { amount: '85000', currency: 'SEK' } },
    zone: 4,
    bonusClass: 6,
    licenceYears: 25,
    priorClaims: 0,
    startDate: today(),
    ...overrides,
  };
}

/** A rider under 21 on a class 6 bike: the rules refer the application to an underwriter. */
export const youngRider = {
  applicant: { name: 'Olle Berg', dateOfBirth: '2006-01-10' },
  vehicle: { registration: 'XYZ 987', year: 2024, class: 6, value: { amount: '140000', currency: 'SEK' } },
  zone: 1,
  bonusClass: 1,
  licenceYears: 1,
};

export function claimBody(overrides: Record<string, unknown> = {}) {
  return {
    policyNumber: 'POL-1001',
    peril: 'collision',
    incidentDate: today(),
    claimedAmount: { amount: '1250.00', currency: 'EUR' },
    description: 'Rear-ended at a red light; bumper and tailgate damaged.',
    ...overrides,
  };
}

export async function api(
  harness: { apiUrl: string },
  method: string,
  route: string,
  options: { key?: string | null; json?: unknown; body?: RequestInit['body']; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? keys.admin : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${harness.apiUrl}${route}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export const restingStatuses: readonly string[] = restingClaimStatuses;

/** Polls GET /v1/claims/:id until the claim leaves the automated process or the time is up. */
/** Reads until `ok` holds (every 100 ms, 30 s unless `ms` says), for state that other processes change. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitForDecision(
  harness: { apiUrl: string },
  claimId: string,
  key: string = keys.admin,
  timeoutMs = 30_000,
  statuses = restingStatuses,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(harness, 'GET', `/v1/claims/${claimId}`, { key });
    if (res.status === 200 && statuses.includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`Claim ${claimId} not decided in ${timeoutMs} ms: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Small real files of each kind: intake decodes every upload in full, so they must be whole. */
export const fixtures = {
  /** A white 4 x 4 pixel PNG: valid, with nothing to read. */
  png: () =>
    Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000004000000040802000000269309290000000970485973000003e8000003e801b57b526b0000000f49444154089963f88f041888e30000db902fd1ecba04730000000049454e44ae426082',
      'hex',
    ),
  /** A one-page PDF with a text layer: read without OCR. */
  pdf: (...lines: string[]) => textPdf([lines.length > 0 ? lines : ['Repair estimate']]),
};

/**
 * A claim automation refers (theft on POL-1002, a home policy without theft cover: a proposed denial),
 * waiting IN_REVIEW for an adjuster.
 */
export async function referredClaim(harness: Pick<Harness, 'apiUrl'>): Promise<{ id: string; workflowId: string }> {
  const res = await api(harness, 'POST', '/v1/claims', {
    key: keys.claimant,
    json: claimBody({ policyNumber: 'POL-1002', peril: 'theft', claimedAmount: { amount: '800.00', currency: 'EUR' } }),
    headers: { prefer: 'wait=20' },
  });
  if (res.status !== 201 || res.body.status !== 'IN_REVIEW')
    throw new Error(`Expected a claim in review: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; workflowId: string };
}

/** A motorcycle application the rules refer (a young rider on a powerful bike), once it waits IN_REVIEW. */
export async function referredApplication(harness: Pick<Harness, 'apiUrl'>): Promise<{ id: string; workflowId: string }> {
  const submitted = await api(harness, 'POST', '/v1/underwriting/applications', {
    key: keys.claimant,
    json: applicationBody(youngRider),
    headers: { prefer: 'wait=20' },
  });
  if (submitted.status !== 201) throw new Error(`Application refused: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const id = submitted.body.id as string;
  return until(
    async () => (await api(harness, 'GET', `/v1/underwriting/applications/${id}`, { key: keys.underwriter })).body,
    (a) => a.status === 'IN_REVIEW',
    'the application referred',
  ) as Promise<{ id: string; workflowId: string }>;
}
