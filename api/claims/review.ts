// People's part of a claim: adjusters decide claims in review (an update the workflow validates), and
// find them in the review queue, oldest first.
import type { Client } from '@temporalio/client';
import express, { Router } from 'express';
import { and, asc, count, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { claims, decisions } from '../../db/schema.ts';
import { waitingClaimStatuses } from '../../domain/claims/claim.ts';
import { formatAmount, minorUnitDigits, parseAmount } from '../../domain/shared/money.ts';
import { denialReasons, type ReviewDecisionInput, type ReviewerRole } from '../../domain/shared/review.ts';
import { decideUpdate } from '../../workflows/claim/messages.ts';
import { principalOf, requireRole } from '../auth.ts';
import { ApiError, ErrorResponse, parseRequestPart } from '../errors.ts';
import { named, validated, type ApiDescription } from '../openapi.ts';
import { sendUpdate } from '../updates.ts';
import type { ClaimReader } from './read.ts';
import { Claim, ClaimIdParams, Money } from './schemas.ts';

const reviewers = ['adjuster', 'senior_adjuster', 'admin'] as const;

const note = z.string().trim().max(2_000).optional().describe('Why; required to approve a claim the rules found no cover for');

export const ReviewDecision = named(
  'ReviewDecision',
  z.discriminatedUnion('action', [
    z
      .object({
        action: z.literal('approve'),
        amount: z.object({ amount: z.union([z.string(), z.number()]), currency: z.string() }).strict(),
        note,
      })
      .strict(),
    z.object({ action: z.literal('deny'), reasonCode: z.enum(Object.keys(denialReasons) as [keyof typeof denialReasons]), note }).strict(),
    z
      .object({
        action: z.literal('request_documents'),
        documents: z.array(z.string().trim().min(1).max(200)).min(1).max(10).describe('What the claimant should send, in words'),
        note,
      })
      .strict(),
  ]),
  "An adjuster's decision on a claim in review.",
);

export const ReviewQueueItem = named(
  'ReviewQueueItem',
  z.object({
    claimId: z.string(),
    status: z.enum(['IN_REVIEW', 'AWAITING_DOCUMENTS']),
    queue: z.enum(['adjusters', 'senior-adjusters', 'claimant']),
    waitingSince: z.string(),
    waitingHours: z.number().describe('How long it has waited, in hours'),
    policyNumber: z.string(),
    lineOfBusiness: z.string(),
    peril: z.string(),
    claimedAmount: Money,
    claimantId: z.string(),
    fraudBand: z.string().nullable(),
    fraudScore: z.number().int().nullable(),
    assignee: z.string().nullable().describe('Who holds the claim, if anyone'),
    reasons: z.array(z.string()).describe('Reason codes of the latest decision'),
    why: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .describe('The same reasons in plain words: what is missing, what to check'),
    requestedDocuments: z.array(z.string()).nullable(),
  }),
);

const ReviewQueueList = named(
  'ReviewQueue',
  z.object({
    items: z.array(ReviewQueueItem),
    total: z.number().int().describe('Claims matching the filter, over all pages'),
    nextOffset: z.number().int().nullable().describe('Pass as ?offset= for the next page'),
    counts: z
      .object({ adjusters: z.number().int(), 'senior-adjusters': z.number().int(), claimant: z.number().int(), mine: z.number().int() })
      .describe('Waiting claims in each queue, and those assigned to the caller, whatever the filter'),
  }),
);

const sorts = ['oldest', 'newest', 'amount-desc', 'amount-asc', 'fraud-desc'] as const;
type QueueSort = (typeof sorts)[number];

const QueueQuery = z.object({
  queue: z.enum(['adjusters', 'senior-adjusters', 'claimant']).optional().describe('Only this queue'),
  status: z.enum(['IN_REVIEW', 'AWAITING_DOCUMENTS']).optional().describe('Only claims in this status'),
  fraudBand: z.enum(['low', 'medium', 'high', 'unscored']).optional().describe("Only this fraud band ('unscored': not scored)"),
  reason: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'must be a reason code like AMOUNT_NOT_CORROBORATED')
    .optional()
    .describe('Only claims whose latest decision gives this reason code'),
  minWaitingHours: z.coerce.number().min(0).max(100_000).optional().describe('Only claims that have waited at least this long'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
    .optional()
    .describe('Only claims in this currency (needed for the amount bounds)'),
  minAmount: z.coerce.number().min(0).optional().describe('Claimed at least this much, in major units of `currency`'),
  maxAmount: z.coerce.number().min(0).optional().describe('Claimed at most this much, in major units of `currency`'),
  assignedTo: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\w.@:-]+$/, 'must be a user id, "me" or "nobody"')
    .optional()
    .describe('"me", "nobody", or a user id'),
  sort: z.enum(sorts).default('oldest').describe('oldest first (the default), newest, amount-desc, amount-asc, fraud-desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
type QueueFilter = z.infer<typeof QueueQuery>;

function queueOrder(sort: QueueSort) {
  const waited = sql`coalesce(${claims.waitingSince}, ${claims.updatedAt})`;
  switch (sort) {
    case 'newest':
      return [desc(waited), desc(claims.id)];
    case 'amount-desc':
      return [desc(claims.claimedMinor), asc(claims.id)];
    case 'amount-asc':
      return [asc(claims.claimedMinor), asc(claims.id)];
    case 'fraud-desc':
      return [sql`${claims.fraudScore} desc nulls last`, asc(claims.id)];
    default:
      return [asc(waited), asc(claims.id)];
  }
}

/** Refusals that are about who decides, not what is decided. */
const forbidden = new Set(['ABOVE_AUTHORITY', 'NOT_A_REVIEWER']);
const conflicts = new Set(['NOT_AWAITING_REVIEW']);

export function reviewRoutes({
  api,
  db,
  reader,
  temporal,
}: {
  api: ApiDescription;
  db: Database;
  reader: ClaimReader;
  temporal: Client;
}): Router {
  const router = Router();

  router.post(
    '/v1/claims/:id/decision',
    api.route({
      method: 'post',
      path: '/v1/claims/:id/decision',
      operationId: 'decideClaim',
      summary: 'Approve (with an amount), deny (with a reason code) or request documents for a claim in review',
      description:
        'Checked by the claim workflow before it is accepted: the claim must be in review; an amount must be in the claim currency, ' +
        "not above what was claimed or what the policy pays, and within the reviewer's authority (above it, a senior adjuster must decide).",
      tags: ['review'],
      roles: [...reviewers],
      params: ClaimIdParams,
      body: { required: true, content: { 'application/json': ReviewDecision } },
      responses: {
        200: { description: 'The claim after the decision', schema: Claim },
        400: { description: 'Malformed JSON', schema: ErrorResponse },
        403: { description: "Not a reviewer, or the amount is above this reviewer's authority (ABOVE_AUTHORITY)", schema: ErrorResponse },
        404: { description: 'No such claim', schema: ErrorResponse },
        409: { description: 'The claim is not waiting for a decision (NOT_AWAITING_REVIEW, CLAIM_CLOSED)', schema: ErrorResponse },
        422: {
          description:
            'The decision is invalid (amount, currency, reason, missing override note), or the database refused to record it (RECORD_REFUSED: nothing was decided, the claim still waits for a decision)',
          schema: ErrorResponse,
        },
      },
    }),
    requireRole(...reviewers),
    (req, res, next) => {
      if (!req.is('application/json')) return next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the decision as application/json.'));
      next();
    },
    express.json({ limit: '32kb' }),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const input = parseRequestPart(ReviewDecision, req.body, 'decision', 'body');
      const claim = await reader.getClaim(principal, params.id);
      let decision: ReviewDecisionInput;
      const reviewer = { role: principal.role as ReviewerRole, id: principal.subject };
      const body = input;
      if (body.action === 'approve') {
        const amount = parseAmount(body.amount.amount, body.amount.currency);
        if (!amount.ok) throw new ApiError(422, 'INVALID_AMOUNT', `amount: ${amount.problem}.`);
        decision = { action: 'approve', amount: amount.money, ...(body.note ? { note: body.note } : {}), reviewer };
      } else if (body.action === 'deny') {
        decision = { action: 'deny', reasonCode: body.reasonCode, ...(body.note ? { note: body.note } : {}), reviewer };
      } else {
        decision = { action: 'request_documents', documents: body.documents, ...(body.note ? { note: body.note } : {}), reviewer };
      }
      await sendUpdate(temporal, claim.workflowId, decideUpdate, [decision], {
        closed: () => new ApiError(409, 'CLAIM_CLOSED', `Claim ${claim.id} is ${claim.status}; nothing is waiting for a decision.`),
        statusOf: (type) => (forbidden.has(type) ? 403 : conflicts.has(type) ? 409 : 422),
      });
      res.json(await reader.getClaim(principal, params.id));
    },
  );

  router.get(
    '/v1/review-queue',
    api.route({
      method: 'get',
      path: '/v1/review-queue',
      operationId: 'reviewQueue',
      summary:
        'Claims waiting for people, with amount, fraud band and why they wait: filtered, sorted (oldest first by default), paged, with counts per queue',
      tags: ['review'],
      roles: [...reviewers],
      query: QueueQuery,
      responses: {
        200: { description: 'Waiting claims', schema: ReviewQueueList },
        403: { description: 'Not a reviewer', schema: ErrorResponse },
        422: { description: 'Invalid filter', schema: ErrorResponse },
      },
    }),
    requireRole(...reviewers),
    async (req, res) => {
      const { query } = validated<object, QueueFilter>(res);
      const me = principalOf(req).subject;
      if ((query.minAmount !== undefined || query.maxAmount !== undefined) && !query.currency)
        throw new ApiError(422, 'VALIDATION_FAILED', 'query.currency: name the currency of minAmount and maxAmount.');
      const bound = (amount: number | undefined) => {
        if (amount === undefined || !query.currency) return undefined;
        const parsed = parseAmount(amount.toFixed(minorUnitDigits(query.currency)), query.currency);
        if (!parsed.ok) throw new ApiError(422, 'VALIDATION_FAILED', `query: ${parsed.problem}.`);
        return parsed.money.minor;
      };
      const min = bound(query.minAmount);
      const max = bound(query.maxAmount);
      const waiting = inArray(claims.status, [...waitingClaimStatuses]);
      const assigned = query.assignedTo === 'me' ? me : query.assignedTo;
      const where = and(
        waiting,
        query.queue ? eq(claims.queue, query.queue) : undefined,
        query.status ? eq(claims.status, query.status) : undefined,
        query.fraudBand === 'unscored' ? isNull(claims.fraudBand) : query.fraudBand ? eq(claims.fraudBand, query.fraudBand) : undefined,
        query.currency ? eq(claims.currency, query.currency) : undefined,
        min === undefined ? undefined : gte(claims.claimedMinor, min),
        max === undefined ? undefined : lte(claims.claimedMinor, max),
        query.minWaitingHours === undefined
          ? undefined
          : lte(sql`coalesce(${claims.waitingSince}, ${claims.updatedAt})`, new Date(Date.now() - query.minWaitingHours * 3_600_000)),
        assigned === undefined ? undefined : assigned === 'nobody' ? isNull(claims.assignee) : eq(claims.assignee, assigned),
        // The latest decision's reasons (the one that sent the claim to people).
        query.reason === undefined
          ? undefined
          : sql`exists (select 1 from ${decisions} d where d.claim_id = ${claims.id}
              and d.id = (select max(d2.id) from ${decisions} d2 where d2.claim_id = ${claims.id})
              and d.reasons @> ${JSON.stringify([{ code: query.reason }])}::jsonb)`,
      );
      const rows = await db
        .select()
        .from(claims)
        .where(where)
        .orderBy(...queueOrder(query.sort))
        .limit(query.limit)
        .offset(query.offset);
      const [{ total = 0 } = {}] = await db.select({ total: count() }).from(claims).where(where);
      const perQueue = await db.select({ queue: claims.queue, n: count() }).from(claims).where(waiting).groupBy(claims.queue);
      const [{ mine = 0 } = {}] = await db
        .select({ mine: count() })
        .from(claims)
        .where(and(waiting, eq(claims.assignee, me)));
      const counts = { adjusters: 0, 'senior-adjusters': 0, claimant: 0, mine };
      for (const q of perQueue) counts[q.queue ?? 'adjusters'] += q.n;
      const latest = new Map<string, { code: string; message: string }[]>();
      if (rows.length > 0) {
        const ds = await db
          .select({ claimId: decisions.claimId, id: decisions.id, reasons: decisions.reasons })
          .from(decisions)
          .where(
            inArray(
              decisions.claimId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(decisions.id));
        for (const d of ds)
          latest.set(
            d.claimId,
            d.reasons.map((r) => ({ code: r.code, message: r.message })),
          );
      }
      const now = Date.now();
      res.json({
        items: rows.map((r) => ({
          claimId: r.id,
          status: r.status as 'IN_REVIEW' | 'AWAITING_DOCUMENTS',
          queue: r.queue ?? 'adjusters',
          waitingSince: (r.waitingSince ?? r.updatedAt).toISOString(),
          waitingHours: Math.round(((now - (r.waitingSince ?? r.updatedAt).getTime()) / 3_600_000) * 10) / 10,
          policyNumber: r.policyNumber,
          claimantId: r.claimantId,
          lineOfBusiness: r.lineOfBusiness,
          peril: r.peril,
          claimedAmount: { amount: formatAmount({ minor: r.claimedMinor, currency: r.currency }), currency: r.currency },
          fraudBand: r.fraudBand,
          fraudScore: r.fraudScore,
          assignee: r.assignee,
          reasons: (latest.get(r.id) ?? []).map((r) => r.code),
          why: latest.get(r.id) ?? [],
          requestedDocuments: r.requestedDocuments,
        })),
        total,
        nextOffset: query.offset + rows.length < total ? query.offset + rows.length : null,
        counts,
      });
    },
  );

  return router;
}
