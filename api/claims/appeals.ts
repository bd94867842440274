// Appeals: a claimant contests a closed claim's decision with their reasons, within the appeal period;
// the appeal is given to an adjuster other than the one who decided (and runs as its own workflow,
// with service levels); that adjuster upholds or overturns it, and the outcome gets its own letter.
import type { Client } from '@temporalio/client';
import express, { Router } from 'express';
import { and, count, desc, eq, inArray, sum } from 'drizzle-orm';
import { z } from 'zod';
import { appeals, claimJournal } from '../../db/casework.ts';
import type { Database } from '../../db/client.ts';
import { ulid } from '../../db/ids.ts';
import { claims, decisions, payments } from '../../db/schema.ts';
import { checkAppealable, chooseAppealReviewer, type AppealDecision } from '../../domain/claims/appeal.ts';
import { formatAmount, parseAmount } from '../../domain/shared/money.ts';
import { defaultAuthorityLimits, defaultServiceLevels, type ReviewerRole } from '../../domain/shared/review.ts';
import { BlobNotFoundError, type BlobStore } from '../../engines/storage/blob-store.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import type { Logger } from '../../platform/logger.ts';
import { appealWorkflowId, decideAppealUpdate, type AppealWorkflowInput } from '../../workflows/appeal/messages.ts';
import type { ClaimWorkflowInput } from '../../workflows/claim/messages.ts';
import { principalOf, requireRole } from '../auth.ts';
import { ApiError, ErrorResponse, parseRequestPart } from '../errors.ts';
import { validated, type ApiDescription } from '../openapi.ts';
import { sendUpdate } from '../updates.ts';
import { startOnce } from '../workflow-starts.ts';
import type { ClaimReader } from './read.ts';
import { ClaimIdParams } from './schemas.ts';
import { Appeal, AppealDecisionBody, AppealList, AppealListQuery, NewAppeal } from './appeal-schemas.ts';

const reviewers = ['adjuster', 'senior_adjuster', 'admin'] as const;
/** Kinds of decision record that decide a claim: the one an appeal is against is the latest of them. */
const decidingKinds = ['CLAIM_ASSESSMENT', 'ADJUSTER_DECISION', 'CLAIM_CLOSED'];

const jsonOnly: express.RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) return next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json.'));
  next();
};

type AppealRow = typeof appeals.$inferSelect;

export function appealRoutes(deps: {
  api: ApiDescription;
  db: Database;
  reader: ClaimReader;
  temporal: Client;
  blobs: BlobStore;
  logger: Logger;
  /** User ids of the adjusters the key ring knows: those an appeal can be given to. */
  adjusters: readonly string[];
  appealDays: number;
  review: ClaimWorkflowInput['review'];
}): Router {
  const { api, db, reader, temporal, blobs } = deps;
  const router = Router();

  const resource = (row: AppealRow, assignee: string | null, currency: string) => ({
    id: row.id,
    claimId: row.claimId,
    status: row.status,
    queue: row.status === 'OPEN' ? row.queue : null,
    reasons: row.reasons,
    lodgedAt: row.createdAt.toISOString(),
    assignee,
    originalDecidedBy: row.originalDecidedBy,
    decidedBy: row.decidedBy,
    decisionNote: row.decisionNote,
    paid: row.paidMinor === null ? null : { amount: formatAmount({ minor: row.paidMinor, currency }), currency },
    letterUrl: row.letterSha256 ? `/v1/claims/${row.claimId}/appeal/letter.pdf` : null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
  });

  async function appealOf(req: express.Request, claimId: string) {
    const claim = await reader.getClaim(principalOf(req), claimId);
    const [row] = await db.select().from(appeals).where(eq(appeals.claimId, claimId));
    if (!row) throw new ApiError(404, 'APPEAL_NOT_FOUND', `Claim ${claimId} has not been appealed.`);
    return { claim, row };
  }

  async function paidOn(claimId: string): Promise<number> {
    const [row] = await db
      .select({ total: sum(payments.amountMinor) })
      .from(payments)
      .where(and(eq(payments.claimId, claimId), eq(payments.status, 'PAID')));
    return Number(row?.total ?? 0);
  }

  async function start(row: AppealRow, input: AppealWorkflowInput): Promise<void> {
    const started = await startOnce(
      temporal,
      () =>
        temporal.workflow.start('appealWorkflow', {
          workflowId: row.workflowId,
          taskQueue: taskQueues.claims,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `Appeal on claim ${row.claimId}`,
        }),
      (error) => deps.logger.warn({ err: error, appealId: row.id }, 'could not start the appeal workflow yet'),
    );
    if (!started)
      throw new ApiError(503, 'TEMPORARILY_UNAVAILABLE', 'The appeal is recorded; send it again in a minute to start its review.');
    await db.update(appeals).set({ workflowStartedAt: new Date() }).where(eq(appeals.id, row.id));
  }

  router.post(
    '/v1/claims/:id/appeal',
    api.route({
      method: 'post',
      path: '/v1/claims/:id/appeal',
      operationId: 'appealClaim',
      summary: "Contest a closed claim's decision, with reasons, within the appeal period; a different adjuster reviews it",
      tags: ['claims'],
      roles: ['claimant', 'admin'],
      params: ClaimIdParams,
      body: { required: true, content: { 'application/json': NewAppeal } },
      responses: {
        201: { description: 'The appeal, given to an adjuster', schema: Appeal },
        404: { description: 'No such claim visible to this key', schema: ErrorResponse },
        409: {
          description: 'Not appealable now (NOT_DECIDED, NOT_APPEALABLE, ALREADY_APPEALED, APPEAL_PERIOD_OVER)',
          schema: ErrorResponse,
        },
        503: { description: 'Recorded, but its review could not be started yet: send it again', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', 'admin'),
    jsonOnly,
    express.json({ limit: '32kb' }),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const { reasons } = parseRequestPart(NewAppeal, req.body, 'body');
      const claim = await reader.getClaim(principal, params.id);
      const [existing] = await db.select().from(appeals).where(eq(appeals.claimId, claim.id));
      const paid = await paidOn(claim.id);
      const currency = claim.claimedAmount.currency;
      const claimedMinor = parseAmount(claim.claimedAmount.amount, currency);
      if (!claimedMinor.ok) throw new Error(`claim ${claim.id} has an unreadable amount`);
      const [deciding] = await db
        .select({ decidedBy: decisions.decidedBy })
        .from(decisions)
        .where(and(eq(decisions.claimId, claim.id), inArray(decisions.kind, decidingKinds)))
        .orderBy(desc(decisions.id))
        .limit(1);
      const originalDecidedBy = existing?.originalDecidedBy ?? deciding?.decidedBy ?? 'automation';
      const input = (row: AppealRow, assignee: string | null): AppealWorkflowInput => ({
        appealId: row.id,
        claimId: claim.id,
        originalDecidedBy,
        assignee,
        claimed: claimedMinor.money,
        paid: { minor: paid, currency },
        serviceLevels: deps.review?.serviceLevels ?? defaultServiceLevels,
        authorityLimits: deps.review?.authorityLimits ?? defaultAuthorityLimits,
      });
      // Recorded but not started (Temporal was away): this retry starts its review.
      if (existing && !existing.workflowStartedAt) {
        await start(existing, input(existing, claim.assignee));
        res.status(201).json(resource(existing, claim.assignee, currency));
        return;
      }
      const check = checkAppealable(
        {
          status: claim.status,
          closedAt: claim.closedAt ? new Date(claim.closedAt) : null,
          claimed: claimedMinor.money,
          paid: { minor: paid, currency },
          alreadyAppealed: existing !== undefined,
        },
        new Date(),
        deps.appealDays,
      );
      if (!check.ok) throw new ApiError(409, check.code, check.message);
      const load = await db
        .select({ assignee: claims.assignee, n: count() })
        .from(appeals)
        .innerJoin(claims, eq(claims.id, appeals.claimId))
        .where(eq(appeals.status, 'OPEN'))
        .groupBy(claims.assignee);
      const assignee = chooseAppealReviewer(
        deps.adjusters.map((id) => ({ id, openAppeals: load.find((l) => l.assignee === id)?.n ?? 0 })),
        originalDecidedBy,
      );
      const id = `APL-${ulid()}`;
      const row = await db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(appeals)
          .values({
            id,
            claimId: claim.id,
            reasons,
            lodgedBy: `${principal.role}:${principal.subject}`,
            originalDecidedBy,
            status: 'OPEN',
            workflowId: appealWorkflowId(claim.id),
          })
          .onConflictDoNothing({ target: appeals.claimId })
          .returning();
        if (!inserted) throw new ApiError(409, 'ALREADY_APPEALED', 'This claim has been appealed already.');
        await tx
          .insert(claimJournal)
          .values({ claimId: claim.id, kind: 'APPEALED', author: `${principal.role}:${principal.subject}`, text: reasons });
        if (assignee) {
          await tx.update(claims).set({ assignee, updatedAt: new Date() }).where(eq(claims.id, claim.id));
          await tx.insert(claimJournal).values({ claimId: claim.id, kind: 'ASSIGNED', author: 'automation', text: assignee });
        }
        return inserted;
      });
      await start(row, input(row, assignee));
      res
        .status(201)
        .location(`/v1/claims/${claim.id}/appeal`)
        .json(resource(row, assignee, currency));
    },
  );

  router.get(
    '/v1/claims/:id/appeal',
    api.route({
      method: 'get',
      path: '/v1/claims/:id/appeal',
      operationId: 'getAppeal',
      summary: "The claim's appeal: its status, who reviews it, the decision and the letter",
      tags: ['claims'],
      roles: ['claimant', ...reviewers],
      params: ClaimIdParams,
      responses: {
        200: { description: 'The appeal', schema: Appeal },
        404: { description: 'No such claim, or no appeal (APPEAL_NOT_FOUND)', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...reviewers),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const { claim, row } = await appealOf(req, params.id);
      res.json(resource(row, claim.assignee, claim.claimedAmount.currency));
    },
  );

  router.post(
    '/v1/claims/:id/appeal/decision',
    api.route({
      method: 'post',
      path: '/v1/claims/:id/appeal/decision',
      operationId: 'decideAppeal',
      summary: 'Uphold the decision, or overturn it with an amount to pay; never by whoever decided the claim',
      tags: ['review'],
      roles: [...reviewers],
      params: ClaimIdParams,
      body: { required: true, content: { 'application/json': AppealDecisionBody } },
      responses: {
        200: { description: 'The decided appeal', schema: Appeal },
        403: { description: 'Decided the claim (DECIDED_THE_CLAIM), or above authority (ABOVE_AUTHORITY)', schema: ErrorResponse },
        404: { description: 'No such claim or appeal', schema: ErrorResponse },
        409: { description: 'Already decided (APPEAL_DECIDED)', schema: ErrorResponse },
        422: { description: 'Invalid decision (amount, currency, note)', schema: ErrorResponse },
      },
    }),
    requireRole(...reviewers),
    jsonOnly,
    express.json({ limit: '32kb' }),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const body = parseRequestPart(AppealDecisionBody, req.body, 'body');
      const { claim, row } = await appealOf(req, params.id);
      const reviewer = { role: principal.role as ReviewerRole, id: principal.subject };
      let decision: AppealDecision;
      if (body.action === 'overturn') {
        const amount = parseAmount(body.amount.amount, body.amount.currency);
        if (!amount.ok) throw new ApiError(422, 'INVALID_AMOUNT', `amount: ${amount.problem}.`);
        decision = { action: 'overturn', amount: amount.money, note: body.note, reviewer };
      } else decision = { action: 'uphold', note: body.note, reviewer };
      await sendUpdate(temporal, row.workflowId, decideAppealUpdate, [decision], {
        closed: () => new ApiError(409, 'APPEAL_DECIDED', 'The appeal has been decided.'),
        statusOf: (type) => (['DECIDED_THE_CLAIM', 'ABOVE_AUTHORITY'].includes(type) ? 403 : type === 'APPEAL_DECIDED' ? 409 : 422),
      });
      const [after] = await db.select().from(appeals).where(eq(appeals.id, row.id));
      res.json(resource(after!, claim.assignee, claim.claimedAmount.currency));
    },
  );

  router.get(
    '/v1/claims/:id/appeal/letter.pdf',
    api.route({
      method: 'get',
      path: '/v1/claims/:id/appeal/letter.pdf',
      operationId: 'appealLetter',
      summary: 'The letter that answers the appeal (PDF)',
      tags: ['claims'],
      roles: ['claimant', ...reviewers],
      params: ClaimIdParams,
      responses: {
        200: { description: 'The letter', schema: z.file(), contentType: 'application/pdf' },
        404: { description: 'No such claim or appeal, or no letter yet (LETTER_NOT_READY)', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...reviewers),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const { row } = await appealOf(req, params.id);
      if (!row.letterSha256) throw new ApiError(404, 'LETTER_NOT_READY', 'The appeal has not been answered yet.');
      let bytes: Buffer;
      try {
        bytes = await blobs.get(row.letterSha256);
      } catch (error) {
        if (error instanceof BlobNotFoundError) throw new ApiError(404, 'LETTER_NOT_READY', 'The appeal letter is not in the store.');
        throw error;
      }
      res.type('application/pdf').set('content-disposition', `inline; filename="${row.claimId}-appeal.pdf"`).send(bytes);
    },
  );

  router.get(
    '/v1/appeals',
    api.route({
      method: 'get',
      path: '/v1/appeals',
      operationId: 'listAppeals',
      summary: 'Appeals, oldest first: open ones by default, optionally those assigned to a reviewer',
      tags: ['review'],
      roles: [...reviewers],
      query: AppealListQuery,
      responses: { 200: { description: 'Appeals', schema: AppealList } },
    }),
    requireRole(...reviewers),
    async (req, res) => {
      const { query } = validated<object, { status: AppealRow['status']; assignedTo?: string }>(res);
      const who = query.assignedTo === 'me' ? principalOf(req).subject : query.assignedTo;
      const rows = await db
        .select({ appeal: appeals, assignee: claims.assignee, currency: claims.currency })
        .from(appeals)
        .innerJoin(claims, eq(claims.id, appeals.claimId))
        .where(and(eq(appeals.status, query.status), who ? eq(claims.assignee, who) : undefined))
        .orderBy(appeals.createdAt)
        .limit(200);
      res.json({ items: rows.map((r) => resource(r.appeal, r.assignee, r.currency)) });
    },
  );

  return router;
}
