// The underwriters' inbox: applications waiting for a person, with the engine's proposal and reasons,
// filtered by queue, reason and age, sorted, paged, and counted per queue.
import { Router } from 'express';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { applications } from '../../db/schema.ts';
import { requireRole } from '../auth.ts';
import { validated, type ApiDescription } from '../openapi.ts';
import { money } from './policies.ts';
import { staff, UnderwritingQueue, UnderwritingQueueQuery } from './schemas.ts';

type Query = ReturnType<typeof UnderwritingQueueQuery.parse>;

export function underwritingQueueRoutes({ api, db }: { api: ApiDescription; db: Database }): Router {
  const router = Router();
  router.get(
    '/v1/underwriting/review-queue',
    api.route({
      method: 'get',
      path: '/v1/underwriting/review-queue',
      operationId: 'underwritingQueue',
      summary:
        "Underwriters' inbox: applications waiting for a person, with the queue, the engine's proposal and its reasons; filtered, sorted, paged, counted",
      tags: ['underwriting'],
      roles: [...staff],
      query: UnderwritingQueueQuery,
      responses: { 200: { description: 'Waiting applications', schema: UnderwritingQueue } },
    }),
    requireRole(...staff),
    async (_req, res) => {
      const { query } = validated<object, Query>(res);
      const rows = await db.select().from(applications).where(eq(applications.status, 'IN_REVIEW')).orderBy(asc(applications.createdAt));
      const now = Date.now();
      const all = rows.map((r) => {
        const assessment = [...r.decisions].reverse().find((d) => d.kind === 'UNDERWRITING_ASSESSMENT') as
          { outcome?: string; reasons?: { code: string }[] } | undefined;
        const since = r.waiting?.since ?? r.createdAt.toISOString();
        return {
          id: r.id,
          queue: r.waiting?.queue ?? ('underwriters' as const),
          since,
          ageHours: Math.round(((now - Date.parse(since)) / 3_600_000) * 10) / 10,
          proposal: assessment?.outcome ?? null,
          reasons: (assessment?.reasons ?? []).map((x) => x.code),
          premium: money(r.premiumMinor, r.currency),
          premiumMinor: r.premiumMinor ?? 0,
        };
      });
      const counts = {
        underwriters: all.filter((i) => i.queue === 'underwriters').length,
        'senior-underwriters': all.filter((i) => i.queue === 'senior-underwriters').length,
      };
      const matching = all
        .filter((i) => !query.queue || i.queue === query.queue)
        .filter((i) => !query.reason || i.reasons.includes(query.reason))
        .filter((i) => query.minWaitingHours === undefined || i.ageHours >= query.minWaitingHours)
        .sort((a, b) =>
          query.sort === 'premium'
            ? b.premiumMinor - a.premiumMinor
            : query.sort === 'newest'
              ? b.since.localeCompare(a.since)
              : a.since.localeCompare(b.since),
        );
      const page = matching.slice(query.offset, query.offset + query.limit).map(({ premiumMinor: _sortKey, ...item }) => item);
      const next = query.offset + query.limit;
      res.json({ items: page, total: matching.length, nextOffset: next < matching.length ? next : null, counts });
    },
  );
  return router;
}
