// The codes people choose from when they decide, with the words the letter gives for each: a console or
// an integration lists them instead of learning them from a 422.
import { Router } from 'express';
import { z } from 'zod';
import { denialReasons } from '../domain/shared/review.ts';
import { declineReasons } from '../domain/underwriting/decide.ts';
import { requireRole } from './auth.ts';
import { ErrorResponse } from './errors.ts';
import { named, type ApiDescription } from './openapi.ts';

const ReasonCodeList = named(
  'ReasonCodeList',
  z.object({ items: z.array(z.object({ code: z.string(), message: z.string().describe('What the letter says') })) }),
);

const listOf = (table: Readonly<Record<string, string>>) => ({
  items: Object.entries(table).map(([code, message]) => ({ code, message })),
});

export function referenceRoutes({ api }: { api: ApiDescription }): Router {
  const router = Router();
  const lists = [
    {
      path: '/v1/review/denial-reasons',
      operationId: 'denialReasons',
      summary: 'The reason codes an adjuster may deny a claim for',
      tags: ['review'],
      roles: ['adjuster', 'senior_adjuster', 'admin'] as const,
      table: denialReasons,
    },
    {
      path: '/v1/underwriting/decline-reasons',
      operationId: 'declineReasons',
      summary: 'The reason codes an underwriter may decline an application for',
      tags: ['underwriting'],
      roles: ['underwriter', 'senior_underwriter', 'admin'] as const,
      table: declineReasons,
    },
  ];
  for (const { table, roles, ...spec } of lists) {
    router.get(
      spec.path,
      api.route({
        method: 'get',
        ...spec,
        roles: [...roles],
        responses: {
          200: { description: 'Every code, with its words', schema: ReasonCodeList },
          403: { description: 'Not allowed', schema: ErrorResponse },
        },
      }),
      requireRole(...roles),
      (_req, res) => {
        res.json(listOf(table));
      },
    );
  }
  return router;
}
