// `npm run bench:load [-- --seconds 60 --concurrency 8]`: straight-through claims sent for a fixed time at
// a fixed concurrency through the real API, Temporal dev server, workers and embedded database; then, on
// the same server and in the same process, a bare workflow with the same number of activities (the floor:
// what Temporal itself costs here). Prints claims a minute, errors by status, submit-to-decision
// percentiles and memory, each beside the floor's as a ratio. Asserts nothing: figures only.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { Worker, bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { policies } from '../db/schema.ts';
import { createLogger, temporalLogger } from '../platform/logger.ts';
import { demoPolicies } from '../db/seed.ts';
import { startScratchSystem } from '../system/scratch.ts';
import { decidedUpdate, type floorWorkflow } from './floor-workflow.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, concurrency: { type: 'string', default: '8' } },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const today = new Date().toISOString().slice(0, 10);
const floorQueue = 'bench-floor';

const { system, address, stop } = await startScratchSystem('error');

// One policy a claim, so no claim is referred for the claims before it on the same policy: every claim
// is one automation may pay straight through (glass, EUR 120, no documents needed).
const template = demoPolicies(today).find((p) => p.policyNumber === 'POL-1001')!;
const policyCount = Math.ceil(concurrency * seconds * 6) + 100;
for (let from = 0; from < policyCount; from += 500) {
  await system.database.db
    .insert(policies)
    .values(Array.from({ length: Math.min(500, policyCount - from) }, (_, i) => ({ ...template, policyNumber: `POL-L${from + i}` })));
}

interface Run {
  readonly latencies: number[];
  readonly errors: Map<string, number>;
  readonly rss: number[];
  readonly seconds: number;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** `send` repeatedly from `concurrency` clients for `seconds`; what each answer took, and what went wrong. */
async function load(send: (n: number) => Promise<string | null>): Promise<Run> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1_000);
  let next = 0;
  const started = performance.now();
  const until = started + seconds * 1_000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const error = await send(next++).catch((e: unknown) => `exception: ${(e as Error).message.slice(0, 60)}`);
        if (error) errors.set(error, (errors.get(error) ?? 0) + 1);
        else latencies.push(performance.now() - t);
      }
    }),
  );
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  return { latencies, errors, rss, seconds: (performance.now() - started) / 1_000 };
}

async function claim(n: number): Promise<string | null> {
  const response = await fetch(`${system.apiUrl}/v1/claims`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-claimant-key', 'content-type': 'application/json', prefer: 'wait=30' },
    body: JSON.stringify({
      policyNumber: `POL-L${n}`,
      peril: 'glass',
      incidentDate: today,
      claimedAmount: { amount: '120.00', currency: 'EUR' },
      description: `Load claim ${n}: a stone chipped the windscreen.`,
    }),
  });
  const body = (await response.json()) as { status?: string };
  if (response.status !== 201) return `HTTP ${response.status}`;
  return body.status === 'APPROVED' || body.status === 'PAID' ? null : `decided ${body.status ?? '?'}`;
}

const connection = await NativeConnection.connect({ address });
const floorWorker = await Worker.create({
  connection,
  taskQueue: floorQueue,
  workflowBundle: await bundleWorkflowCode({
    workflowsPath: path.join(import.meta.dirname, 'floor-workflow.ts'),
    logger: temporalLogger(createLogger('warn'), 'WARN'),
  }),
  activities: { step: (n: number) => Promise.resolve(n) },
});
// A bare client: the floor's payloads are plain JSON, as a workflow without personal data would have them.
const bare = new Client({ connection: system.temporal.connection });
async function floor(n: number): Promise<string | null> {
  const handle = await bare.workflow.start<typeof floorWorkflow>('floorWorkflow', {
    taskQueue: floorQueue,
    workflowId: `floor-${n}-${Date.now()}`,
    args: [4, 6],
  });
  await handle.executeUpdate(decidedUpdate);
  return null;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const report = (label: string, run: Run, reference?: Run) => {
  const perMinute = (run.latencies.length / run.seconds) * 60;
  const q = (r: Run, p: number) => quantile(r.latencies, p);
  const ratio = (a: number, b: number) => (reference ? ` (${(a / b).toFixed(2)}x)` : '');
  const ms = (p: number) => `${q(run, p).toFixed(0)} ms${reference ? ratio(q(run, p), q(reference, p)) : ''}`;
  console.log(
    `${label.padEnd(30)} ${perMinute.toFixed(0).padStart(5)} a minute${reference ? ` (${((perMinute / ((reference.latencies.length / reference.seconds) * 60)) * 100).toFixed(0)}% of the floor)` : ''}` +
      `  p50 ${ms(0.5)}  p95 ${ms(0.95)}  p99 ${ms(0.99)}`,
  );
  const errors = [...run.errors].map(([what, n]) => `${what}: ${n}`).join(', ');
  console.log(
    `${''.padEnd(30)} ${run.latencies.length} decided, errors ${errors || 'none'}; RSS ${mib(run.rss[0] ?? 0)} -> ${mib(run.rss.at(-1) ?? 0)} MiB (max ${mib(Math.max(...run.rss))})`,
  );
};

try {
  console.log(
    `Load for ${seconds} s at ${concurrency} concurrent, through API + Temporal dev server + workers + PGlite in one process (${process.version})`,
  );
  await claim(policyCount - 1); // warm-up: first workflow task, first query plans
  const floorRun = await floorWorker.runUntil(async () => {
    await floor(-1);
    return load(floor);
  });
  report('floor: bare workflow, 4+6 acts', floorRun);
  const claims = await load(claim);
  report('straight-through claims', claims, floorRun);
} finally {
  await connection.close();
  await stop();
}
