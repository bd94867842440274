// Who the key is: the console signs in by asking this, and shows what the role may do (an adjuster's
// approval authority per currency) before a decision is tried.
import { Router } from 'express';
import { z } from 'zod';
import { formatAmount } from '../domain/shared/money.ts';
import { reviewerRoles, type AuthorityLimits, type ReviewerRole } from '../domain/shared/review.ts';
import { principalOf, roles } from './auth.ts';
import { named, type ApiDescription } from './openapi.ts';

const Me = named(
  'Me',
  z.object({
    role: z.enum(roles),
    subject: z.string().describe('The customer id (claimant) or the user id (staff) the key acts as'),
    approvalLimits: z
      .record(z.string(), z.string())
      .nullable()
      .describe(
        'For reviewers: the most they may approve on one claim, per currency (a currency not listed has no limit); null for other roles',
      ),
  }),
);

export function meRoutes({ api, limits }: { api: ApiDescription; limits: AuthorityLimits | undefined }): Router {
  const router = Router();
  router.get(
    '/v1/me',
    api.route({
      method: 'get',
      path: '/v1/me',
      operationId: 'whoAmI',
      summary: 'The role and identity of the API key, and a reviewer’s approval authority',
      tags: ['session'],
      roles: [...roles],
      responses: { 200: { description: 'The caller', schema: Me } },
    }),
    (req, res) => {
      const principal = principalOf(req);
      const reviewer = (reviewerRoles as readonly string[]).includes(principal.role);
      const table = reviewer && limits ? limits[principal.role as ReviewerRole] : null;
      res.json({
        role: principal.role,
        subject: principal.subject,
        approvalLimits: reviewer
          ? Object.fromEntries(Object.entries(table ?? {}).map(([currency, minor]) => [currency, formatAmount({ minor, currency })]))
          : null,
      });
    },
  );
  return router;
}
