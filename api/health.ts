import { Router } from 'express';
import { metricsText } from '../platform/metrics.ts';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { DatabaseHandle } from '../db/client.ts';
import { named, type ApiDescription } from './openapi.ts';

const Health = named(
  'Health',
  z.object({
    status: z.enum(['ok', 'ready', 'unavailable']),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() })).optional(),
  }),
);

async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes({
  api,
  database,
  temporal,
  sdkMetricsAddress,
}: {
  api: ApiDescription;
  database: DatabaseHandle;
  temporal: Client;
  /** Where this process's Temporal runtime serves its own metrics, appended to /metrics. */
  sdkMetricsAddress?: string;
}): Router {
  const router = Router();
  router.get(
    '/metrics',
    api.route({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary:
        "Prometheus metrics: the business's (claims decided, submit-to-decision, pages read, payouts, requests) and the Temporal SDK's",
      tags: ['operations'],
      responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain', schema: z.string() } },
    }),
    (_req, res, next) => {
      metricsText(sdkMetricsAddress).then((text) => res.type('text/plain; version=0.0.4').send(text), next);
    },
  );
  router.get(
    '/healthz',
    api.route({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Liveness: the process serves requests',
      tags: ['operations'],
      responses: { 200: { description: 'Alive', schema: Health } },
    }),
    (_req, res) => {
      res.json({ status: 'ok' });
    },
  );
  router.get(
    '/readyz',
    api.route({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Readiness: the database and Temporal answer',
      tags: ['operations'],
      responses: {
        200: { description: 'Ready', schema: Health },
        503: { description: 'A dependency does not answer', schema: Health },
      },
    }),
    async (_req, res) => {
      const [db, temporalCheck] = await Promise.all([
        timed(() => database.ping(), 2_000),
        timed(() => temporal.withDeadline(Date.now() + 2_000, () => temporal.workflowService.getSystemInfo({})), 2_500),
      ]);
      const ready = db.ok && temporalCheck.ok;
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: { database: db, temporal: temporalCheck } });
    },
  );
  return router;
}
