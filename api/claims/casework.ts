// The claim's record as a person reads it, and what people add to it: the history (every decision
// record, with coverage and fraud spelled out, and the journal's notes and assignments, in time order),
// notes (append-only, who and when), who holds the claim, and an adjuster's referral to the senior
// adjusters. Staff only: notes are internal.
import type { Client } from '@temporalio/client';
import express, { Router } from 'express';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { claimJournal } from '../../db/casework.ts';
import type { Database } from '../../db/client.ts';
import { claims, decisions } from '../../db/schema.ts';
import { checkAssignment, maxNoteLength } from '../../domain/claims/casework.ts';
import type { CoverageAssessment } from '../../domain/claims/coverage.ts';
import type { FraudAssessment } from '../../domain/fraud/score.ts';
import { formatAmount, type Money as MoneyValue } from '../../domain/shared/money.ts';
import type { ReviewerRole } from '../../domain/shared/review.ts';
import { referToSeniorUpdate } from '../../workflows/claim/messages.ts';
import { principalOf, requireRole } from '../auth.ts';
import { sendUpdate } from '../updates.ts';
import { ApiError, ErrorResponse, parseRequestPart } from '../errors.ts';
import { named, validated, type ApiDescription } from '../openapi.ts';
import type { ClaimReader } from './read.ts';
import { Claim, ClaimIdParams, Money, Reason } from './schemas.ts';

const staff = ['adjuster', 'senior_adjuster', 'admin'] as const;

const money = (m: MoneyValue | null | undefined) => (m ? { amount: formatAmount(m), currency: m.currency } : null);

export const ClaimHistoryEntry = named(
  'ClaimHistoryEntry',
  z.object({
    at: z.string(),
    source: z.enum(['decision', 'journal']),
    kind: z
      .string()
      .describe(
        'CLAIM_ASSESSMENT, ADJUSTER_DECISION, PAYMENT, DECISION_LETTER, ... for decisions; NOTE, ASSIGNED, UNASSIGNED for the journal',
      ),
    outcome: z.string().nullable(),
    by: z.string().describe("'automation' or 'user:<id>'"),
    reasons: z.array(Reason),
    payableAmount: Money.nullable(),
    ruleSetVersion: z.string().nullable(),
    coverage: z
      .object({ outcome: z.enum(['COVERED', 'NOT_COVERED']), payable: Money, deductible: Money.nullable(), limit: Money.nullable() })
      .nullable()
      .describe('What the policy pays, for an assessment'),
    fraud: z
      .object({
        score: z.number(),
        band: z.enum(['low', 'medium', 'high']),
        reasons: z.array(Reason).describe('Largest contribution first'),
      })
      .nullable(),
    text: z.string().nullable().describe("A note's words; for an assignment, whom the claim went to"),
  }),
);

const ClaimHistory = named('ClaimHistory', z.object({ claimId: z.string(), items: z.array(ClaimHistoryEntry) }));

const NewNote = named(
  'ClaimNote',
  z.object({ text: z.string().trim().min(1, 'must say something').max(maxNoteLength) }).strict(),
  "An adjuster's note for the claim's record.",
);

const Assignment = named(
  'ClaimAssignment',
  z.object({ assignee: z.string().min(1).max(200).nullable().describe('User id to hold the claim; null releases it') }).strict(),
  'Who works the claim: an adjuster takes it (their own id) or lets it go; senior adjusters and admins assign anyone.',
);

const Referral = named(
  'ClaimReferral',
  z.object({ note: z.string().trim().min(1, 'say why a senior adjuster should decide').max(2_000) }).strict(),
  'Why the claim needs a senior adjuster.',
);

const jsonBody = [
  ((req, _res, next) => {
    if (!req.is('application/json')) return next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json.'));
    next();
  }) as express.RequestHandler,
  express.json({ limit: '32kb' }),
];

export function caseworkRoutes({
  api,
  db,
  reader,
  reviewers,
  temporal,
}: {
  api: ApiDescription;
  db: Database;
  reader: ClaimReader;
  temporal: Client;
  /** User ids of every adjuster, senior adjuster and admin the key ring knows. */
  reviewers: ReadonlySet<string>;
}): Router {
  const router = Router();
  const claimOnly = {
    404: { description: 'No such claim', schema: ErrorResponse },
    403: { description: 'Not staff', schema: ErrorResponse },
  };

  router.get(
    '/v1/claims/:id/history',
    api.route({
      method: 'get',
      path: '/v1/claims/:id/history',
      operationId: 'claimHistory',
      summary:
        "The claim's story in time order: every decision record (coverage, fraud with its ranked reasons) and the notes and assignments",
      tags: ['review'],
      roles: [...staff],
      params: ClaimIdParams,
      responses: {
        200: { description: 'Oldest first', schema: ClaimHistory },
        ...claimOnly,
        422: { description: 'Malformed claim id', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      await reader.getClaim(principalOf(req), params.id);
      const records = await db.select().from(decisions).where(eq(decisions.claimId, params.id)).orderBy(asc(decisions.id));
      const journal = await db.select().from(claimJournal).where(eq(claimJournal.claimId, params.id)).orderBy(asc(claimJournal.id));
      const items: z.infer<typeof ClaimHistoryEntry>[] = [
        ...records.map((d) => {
          const inputs = d.inputs as { coverage?: CoverageAssessment | null; fraud?: FraudAssessment };
          const coverage = inputs.coverage ?? null;
          return {
            at: d.createdAt.toISOString(),
            source: 'decision' as const,
            kind: d.kind,
            outcome: d.outcome,
            by: d.decidedBy,
            reasons: d.reasons.map((r) => ({ code: r.code, message: r.message })),
            payableAmount: d.payableMinor === null || d.currency === null ? null : money({ minor: d.payableMinor, currency: d.currency }),
            ruleSetVersion: d.ruleSetVersion,
            coverage:
              d.kind === 'CLAIM_ASSESSMENT' && coverage
                ? {
                    outcome: coverage.outcome,
                    payable: money(coverage.payable)!,
                    deductible: money(coverage.deductible),
                    limit: money(coverage.limit),
                  }
                : null,
            fraud:
              d.kind === 'CLAIM_ASSESSMENT' && inputs.fraud
                ? {
                    score: inputs.fraud.score,
                    band: inputs.fraud.band,
                    reasons: inputs.fraud.reasons.map((r) => ({ code: r.code, message: r.message })),
                  }
                : null,
            text: null,
          };
        }),
        ...journal.map((j) => ({
          at: j.createdAt.toISOString(),
          source: 'journal' as const,
          kind: j.kind,
          outcome: null,
          by: j.author,
          reasons: [],
          payableAmount: null,
          ruleSetVersion: null,
          coverage: null,
          fraud: null,
          text: j.text,
        })),
      ].sort((a, b) => a.at.localeCompare(b.at));
      res.json({ claimId: params.id, items });
    },
  );

  router.post(
    '/v1/claims/:id/notes',
    api.route({
      method: 'post',
      path: '/v1/claims/:id/notes',
      operationId: 'addClaimNote',
      summary: "Add a note to the claim's record (append-only: who and when are recorded; a correction is a later note)",
      tags: ['review'],
      roles: [...staff],
      params: ClaimIdParams,
      body: { required: true, content: { 'application/json': NewNote } },
      responses: {
        201: { description: 'The note as recorded', schema: ClaimHistoryEntry },
        400: { description: 'Malformed JSON', schema: ErrorResponse },
        ...claimOnly,
        422: { description: 'Empty, too long, or text the record cannot keep', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    ...jsonBody,
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const { text } = parseRequestPart(NewNote, req.body, 'body');
      await reader.getClaim(principal, params.id);
      const [row] = await db
        .insert(claimJournal)
        .values({ claimId: params.id, kind: 'NOTE', author: `user:${principal.subject}`, text })
        .returning();
      res.status(201).json({
        at: row!.createdAt.toISOString(),
        source: 'journal',
        kind: 'NOTE',
        outcome: null,
        by: row!.author,
        reasons: [],
        payableAmount: null,
        ruleSetVersion: null,
        coverage: null,
        fraud: null,
        text,
      });
    },
  );

  router.put(
    '/v1/claims/:id/assignment',
    api.route({
      method: 'put',
      path: '/v1/claims/:id/assignment',
      operationId: 'assignClaim',
      summary: 'Take a claim, hand it to a colleague, or release it; recorded in the claim journal',
      tags: ['review'],
      roles: [...staff],
      params: ClaimIdParams,
      body: { required: true, content: { 'application/json': Assignment } },
      responses: {
        200: { description: 'The claim, with its assignee', schema: Claim },
        400: { description: 'Malformed JSON', schema: ErrorResponse },
        403: {
          description: 'Not staff, or an adjuster assigning someone else (CANNOT_ASSIGN_OTHERS, ASSIGNED_TO_ANOTHER)',
          schema: ErrorResponse,
        },
        404: { description: 'No such claim', schema: ErrorResponse },
        409: {
          description: 'Closed, already held by that person, or not held (CLAIM_CLOSED, ALREADY_ASSIGNED, NOT_ASSIGNED)',
          schema: ErrorResponse,
        },
        422: { description: 'Not a known reviewer (UNKNOWN_ASSIGNEE), or malformed', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    ...jsonBody,
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const { assignee } = parseRequestPart(Assignment, req.body, 'body');
      const claim = await reader.getClaim(principal, params.id);
      await db.transaction(async (tx) => {
        // Row lock: two people taking one claim at once are ordered, and the second sees the first.
        const [row] = await tx.select({ assignee: claims.assignee }).from(claims).where(eq(claims.id, claim.id)).for('update');
        const check = checkAssignment({
          actor: { role: principal.role as ReviewerRole, id: principal.subject },
          assignee,
          current: row?.assignee ?? null,
          claimClosed: claim.closedAt !== null,
          assigneeIsReviewer: assignee === null || reviewers.has(assignee),
        });
        if (!check.ok) {
          const status =
            check.code === 'UNKNOWN_ASSIGNEE' ? 422 : ['CANNOT_ASSIGN_OTHERS', 'ASSIGNED_TO_ANOTHER'].includes(check.code) ? 403 : 409;
          throw new ApiError(status, check.code, check.message);
        }
        await tx.update(claims).set({ assignee, updatedAt: new Date() }).where(eq(claims.id, claim.id));
        await tx.insert(claimJournal).values({
          claimId: claim.id,
          kind: assignee === null ? 'UNASSIGNED' : 'ASSIGNED',
          author: `user:${principal.subject}`,
          text: assignee ?? row?.assignee ?? null,
        });
      });
      res.json(await reader.getClaim(principal, claim.id));
    },
  );

  router.post(
    '/v1/claims/:id/refer',
    api.route({
      method: 'post',
      path: '/v1/claims/:id/refer',
      operationId: 'referClaimToSenior',
      summary: 'An adjuster sends a claim in review to the senior adjusters, saying why (above their authority, or a call for a senior)',
      description:
        "Checked by the claim workflow: the claim must wait in the adjusters' queue; the note is required and kept in the decision record.",
      tags: ['review'],
      roles: ['adjuster'],
      params: ClaimIdParams,
      body: { required: true, content: { 'application/json': Referral } },
      responses: {
        200: { description: 'The claim, now waiting for a senior adjuster', schema: Claim },
        403: { description: 'Not an adjuster (NOT_AN_ADJUSTER)', schema: ErrorResponse },
        404: { description: 'No such claim', schema: ErrorResponse },
        409: {
          description: 'Not waiting in review, or already with the seniors (NOT_AWAITING_REVIEW, ALREADY_WITH_SENIORS, CLAIM_CLOSED)',
          schema: ErrorResponse,
        },
        422: {
          description:
            'No note, text the record cannot keep, or the database refused to record the referral (RECORD_REFUSED: the claim stays where it was)',
          schema: ErrorResponse,
        },
      },
    }),
    requireRole('adjuster'),
    ...jsonBody,
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const { note } = parseRequestPart(Referral, req.body, 'body');
      const claim = await reader.getClaim(principal, params.id);
      await sendUpdate(temporal, claim.workflowId, referToSeniorUpdate, [{ reviewer: { role: 'adjuster', id: principal.subject }, note }], {
        closed: () => new ApiError(409, 'CLAIM_CLOSED', `Claim ${claim.id} is ${claim.status}; nothing is waiting for a decision.`),
        statusOf: (type) => (type === 'NOT_AN_ADJUSTER' ? 403 : ['NOT_AWAITING_REVIEW', 'ALREADY_WITH_SENIORS'].includes(type) ? 409 : 422),
      });
      res.json(await reader.getClaim(principal, claim.id));
    },
  );

  return router;
}
