// Issued policies over HTTP: the policy (holder, period, cover, premium) and its document. A claimant
// sees their own; staff see all.
import { and, eq, type SQL } from 'drizzle-orm';
import type { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { policies } from '../../db/schema.ts';
import { formatAmount } from '../../domain/shared/money.ts';
import type { BlobStore } from '../../engines/storage/blob-store.ts';
import { principalOf, requireRole, type Principal } from '../auth.ts';
import { ApiError, ErrorResponse } from '../errors.ts';
import { validated, type ApiDescription } from '../openapi.ts';
import { Policy, PolicyParams, staff } from './schemas.ts';

const ownPolicy = (p: Principal): SQL | undefined => (p.role === 'claimant' ? eq(policies.holderId, p.subject) : undefined);

/** An amount in minor units as the API shows money: major units as a string, with the currency. */
export const money = (minor: number | null, currency: string) =>
  minor === null ? null : { amount: formatAmount({ minor, currency }), currency };

export function policyRoutes(router: Router, { api, db, blobs }: { api: ApiDescription; db: Database; blobs: BlobStore }): void {
  /** The policy, if the principal may see it (a claimant: their own). */
  const visiblePolicy = async (principal: Principal, policyNumber: string) =>
    (
      await db
        .select()
        .from(policies)
        .where(and(eq(policies.policyNumber, policyNumber), ownPolicy(principal)))
    )[0];
  router.get(
    '/v1/policies/:id',
    api.route({
      method: 'get',
      path: '/v1/policies/:id',
      operationId: 'getPolicy',
      summary: 'A policy: holder, period, cover, premium, document',
      tags: ['underwriting'],
      roles: ['claimant', 'adjuster', 'senior_adjuster', ...staff],
      params: PolicyParams,
      responses: { 200: { description: 'The policy', schema: Policy }, 404: { description: 'No such policy', schema: ErrorResponse } },
    }),
    requireRole('claimant', 'adjuster', 'senior_adjuster', ...staff),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const p = await visiblePolicy(principalOf(req), params.id);
      if (!p) throw new ApiError(404, 'POLICY_NOT_FOUND', `No policy ${params.id} that you can see.`);
      res.json({
        policyNumber: p.policyNumber,
        holderId: p.holderId,
        lineOfBusiness: p.lineOfBusiness,
        status: p.status,
        effectiveFrom: p.effectiveFrom,
        effectiveTo: p.effectiveTo,
        premium: money(p.premiumMinor, p.currency),
        coverages: p.coverages.map((c) => ({
          peril: c.peril,
          limit: money(c.limitMinor, p.currency)!,
          deductible: money(c.deductibleMinor, p.currency)!,
        })),
        documentUrl: p.documentSha256 ? `/v1/policies/${p.policyNumber}/document.pdf` : null,
      });
    },
  );

  router.get(
    '/v1/policies/:id/document.pdf',
    api.route({
      method: 'get',
      path: '/v1/policies/:id/document.pdf',
      operationId: 'policyDocument',
      summary: 'The policy document (PDF) of a policy issued by underwriting',
      tags: ['underwriting'],
      roles: ['claimant', 'adjuster', 'senior_adjuster', ...staff],
      params: PolicyParams,
      responses: {
        200: { description: 'The document', schema: z.file(), contentType: 'application/pdf' },
        404: { description: 'No such policy or document', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', 'adjuster', 'senior_adjuster', ...staff),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const p = await visiblePolicy(principalOf(req), params.id);
      if (!p?.documentSha256) throw new ApiError(404, 'POLICY_DOCUMENT_NOT_FOUND', `No document for policy ${params.id} that you can see.`);
      res.type('application/pdf').send(Buffer.from(await blobs.get(p.documentSha256)));
    },
  );
}
