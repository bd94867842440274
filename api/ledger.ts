// The decision ledger over HTTP: the signed checkpoints with their witnesses' cosignatures, a decision's
// inclusion proof against a checkpoint, and the consistency proof between two checkpoints, so a claimant,
// an auditor or a regulator can check that a decision is in the record and the record was only appended to.
// A claimant sees the leaves of their own claims and applications; staff any.
import { Router } from 'express';
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { ledgerCheckpoints, ledgerLeaves } from '../db/ledger.ts';
import { cosignaturesOf, type LedgerLog } from '../db/ledger-log.ts';
import { applications, claims, decisions } from '../db/schema.ts';
import { bytesToHex } from '@noble/hashes/utils.js';
import { emptyRoot } from '../platform/ledger/merkle.ts';
import { principalOf, roles, type Principal } from './auth.ts';
import { ApiError, ErrorResponse } from './errors.ts';
import { named, validated, type ApiDescription } from './openapi.ts';

const Checkpoint = named(
  'LedgerCheckpoint',
  z.object({
    treeSize: z.number().int(),
    rootHash: z.string().describe('Tree head (RFC 9162), hex'),
    note: z.string().describe("C2SP signed note: the checkpoint body, the log's Ed25519 signature and the witnesses' cosignatures"),
    cosignedBy: z.array(z.string()).describe('Witnesses that cosigned this checkpoint'),
    logKey: z
      .string()
      .nullable()
      .describe("The log's verifier key (name+hash+key), to check the signature with; pin it, do not take it from here every time"),
    createdAt: z.string(),
  }),
);

const LeafProof = named(
  'LedgerInclusionProof',
  z.object({
    leafIndex: z.number().int(),
    leafHash: z.string().describe('RFC 9162 leaf hash of the decision record, hex'),
    record: z.object({
      source: z.enum(['claim', 'application']),
      decisionId: z.number().int().nullable(),
      claimId: z.string().nullable(),
      applicationId: z.string().nullable(),
      position: z.number().int().nullable(),
    }),
    treeSize: z.number().int(),
    proof: z.array(z.string()).describe('Audit path, leaf to root, hex'),
    checkpoint: Checkpoint,
  }),
);

const ConsistencyProof = named(
  'LedgerConsistencyProof',
  z.object({ from: z.number().int(), to: z.number().int(), proof: z.array(z.string()), fromRoot: z.string(), toRoot: z.string() }),
);

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export function ledgerRoutes({
  api,
  db,
  log,
  logKey = null,
}: {
  api: ApiDescription;
  db: Database;
  log: LedgerLog;
  logKey?: string | null;
}): Router {
  const router = Router();

  async function checkpointOf(treeSize?: number) {
    const [row] = await db
      .select()
      .from(ledgerCheckpoints)
      .where(treeSize === undefined ? undefined : eq(ledgerCheckpoints.treeSize, treeSize))
      .orderBy(desc(ledgerCheckpoints.treeSize))
      .limit(1);
    if (!row)
      throw new ApiError(
        404,
        'CHECKPOINT_NOT_FOUND',
        treeSize === undefined ? 'No checkpoint has been published yet.' : `No checkpoint of tree size ${treeSize}.`,
      );
    return resource(row);
  }

  async function resource(row: typeof ledgerCheckpoints.$inferSelect) {
    const cosignatures = await cosignaturesOf(db, row.treeSize);
    return {
      treeSize: row.treeSize,
      rootHash: row.rootHash,
      note: row.note + cosignatures.map((c) => c.line).join(''),
      cosignedBy: cosignatures.map((c) => c.witness),
      logKey,
      createdAt: row.createdAt.toISOString(),
    };
  }

  /** A claimant may see the leaves of their own claims and applications. */
  async function visible(principal: Principal, leaf: typeof ledgerLeaves.$inferSelect): Promise<string | null> {
    let claimId: string | null = null;
    if (leaf.decisionId !== null) {
      const [d] = await db.select({ claimId: decisions.claimId }).from(decisions).where(eq(decisions.id, leaf.decisionId));
      claimId = d?.claimId ?? null;
    }
    if (principal.role !== 'claimant') return claimId;
    const own = claimId
      ? (
          await db
            .select({ id: claims.id })
            .from(claims)
            .where(and(eq(claims.id, claimId), eq(claims.claimantId, principal.subject)))
        ).length
      : leaf.applicationId
        ? (
            await db
              .select({ id: applications.id })
              .from(applications)
              .where(and(eq(applications.id, leaf.applicationId), eq(applications.applicantId, principal.subject)))
          ).length
        : 0;
    if (!own) throw new ApiError(404, 'LEAF_NOT_FOUND', `No ledger leaf ${leaf.leafIndex} that you can see.`);
    return claimId;
  }

  router.get(
    '/v1/ledger/checkpoints',
    api.route({
      method: 'get',
      path: '/v1/ledger/checkpoints',
      operationId: 'ledgerCheckpoints',
      summary: 'Signed checkpoints of the decision ledger, newest first',
      tags: ['ledger'],
      roles: [...roles],
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(20),
        before: size.optional().describe('Only checkpoints of smaller trees (the next page)'),
      }),
      responses: { 200: { description: 'The checkpoints', schema: z.object({ items: z.array(Checkpoint) }) } },
    }),
    async (_req, res) => {
      const { query } = validated<object, { limit: number; before?: number }>(res);
      const rows = await db
        .select()
        .from(ledgerCheckpoints)
        .where(query.before === undefined ? undefined : lt(ledgerCheckpoints.treeSize, query.before))
        .orderBy(desc(ledgerCheckpoints.treeSize))
        .limit(query.limit);
      res.json({ items: await Promise.all(rows.map(resource)) });
    },
  );

  router.get(
    '/v1/ledger/checkpoint',
    api.route({
      method: 'get',
      path: '/v1/ledger/checkpoint',
      operationId: 'ledgerLatestCheckpoint',
      summary: 'The latest signed checkpoint, with its cosignatures',
      tags: ['ledger'],
      roles: [...roles],
      responses: {
        200: { description: 'The checkpoint', schema: Checkpoint },
        404: { description: 'None published yet (CHECKPOINT_NOT_FOUND)', schema: ErrorResponse },
      },
    }),
    async (_req, res) => {
      res.json(await checkpointOf());
    },
  );

  router.get(
    '/v1/ledger/leaves/:index',
    api.route({
      method: 'get',
      path: '/v1/ledger/leaves/:index',
      operationId: 'ledgerInclusionProof',
      summary: 'A decision in the ledger: its leaf and the proof that the checkpoint includes it',
      tags: ['ledger'],
      roles: [...roles],
      params: z.object({ index: size.describe('Leaf index, as the decision letter prints it') }),
      query: z.object({ treeSize: size.optional().describe('The checkpoint to prove against; the latest by default') }),
      responses: {
        200: { description: 'The leaf, its record and the audit path', schema: LeafProof },
        404: { description: 'No such leaf visible to this key, or no checkpoint includes it yet', schema: ErrorResponse },
      },
    }),
    async (req, res) => {
      const { params, query } = validated<{ index: number }, { treeSize?: number }>(res);
      const [leaf] = await db.select().from(ledgerLeaves).where(eq(ledgerLeaves.leafIndex, params.index));
      if (!leaf) throw new ApiError(404, 'LEAF_NOT_FOUND', `No ledger leaf ${params.index} that you can see.`);
      const claimId = await visible(principalOf(req), leaf);
      const checkpoint = await checkpointOf(query.treeSize);
      if (checkpoint.treeSize <= leaf.leafIndex)
        throw new ApiError(
          404,
          'NOT_YET_CHECKPOINTED',
          `Leaf ${leaf.leafIndex} is newer than checkpoint ${checkpoint.treeSize}; ask again shortly.`,
        );
      res.json({
        leafIndex: leaf.leafIndex,
        leafHash: leaf.leafHash,
        record: {
          source: leaf.source,
          decisionId: leaf.decisionId,
          claimId,
          applicationId: leaf.applicationId,
          position: leaf.position,
        },
        treeSize: checkpoint.treeSize,
        proof: await log.inclusion(leaf.leafIndex, checkpoint.treeSize),
        checkpoint,
      });
    },
  );

  router.get(
    '/v1/ledger/consistency',
    api.route({
      method: 'get',
      path: '/v1/ledger/consistency',
      operationId: 'ledgerConsistencyProof',
      summary: 'Proof that the later checkpoint only appended to the earlier one (RFC 9162 2.1.4)',
      tags: ['ledger'],
      roles: [...roles],
      query: z.object({ from: size, to: size }),
      responses: {
        200: { description: 'The proof, hex hashes', schema: ConsistencyProof },
        404: { description: 'No checkpoint of one of the sizes (CHECKPOINT_NOT_FOUND)', schema: ErrorResponse },
        422: { description: '`from` is larger than `to`', schema: ErrorResponse },
      },
    }),
    async (_req, res) => {
      const { query } = validated<object, { from: number; to: number }>(res);
      if (query.from > query.to) throw new ApiError(422, 'INVALID_RANGE', '`from` must not be larger than `to`.');
      const to = await checkpointOf(query.to);
      // Every tree extends the empty one, whose head no checkpoint needs to state.
      const fromRoot = query.from === 0 ? bytesToHex(emptyRoot) : (await checkpointOf(query.from)).rootHash;
      res.json({ from: query.from, to: to.treeSize, proof: await log.consistency(query.from, to.treeSize), fromRoot, toRoot: to.rootHash });
    },
  );

  return router;
}
