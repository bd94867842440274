// Keeping the decision ledger: decisions not yet in the tree become its next leaves (under a table lock, so
// two processes never number the same leaf), a checkpoint over the tree is signed when there is something
// new, and proofs are made from the stored leaves. The leaf is the decision record's canonical bytes, so
// anyone holding the record (the verifier, a regulator with a copy) can recompute it.
import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { bytesToHex as hex, hexToBytes as unhex } from '@noble/hashes/utils.js';
import { consistencyProof, inclusionProof, leafHash, rootOf, type Hash } from '../platform/ledger/merkle.ts';
import { formatCheckpoint, signNote, type NoteSigner } from '../platform/ledger/note.ts';
import type { Database } from './client.ts';
import { ledgerCheckpoints, ledgerCosignatures, ledgerLeaves } from './ledger.ts';
import { applications, decisions } from './schema.ts';

type DecisionRow = typeof decisions.$inferSelect;

/** JSON with every object's keys sorted: the same record gives the same bytes however it was stored. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

const encoder = new TextEncoder();

/** The bytes a claim decision's leaf hashes: every column but the retry key. */
export function claimDecisionBytes(row: DecisionRow): Uint8Array {
  const { idempotencyKey: _retryKey, ...record } = row;
  return encoder.encode(`insureflow-decision/v1\nclaim\n${canonicalJson(record)}`);
}

/** The bytes an underwriting decision's leaf hashes: the application, the entry's position and the entry. */
export function applicationDecisionBytes(applicationId: string, position: number, entry: unknown): Uint8Array {
  return encoder.encode(`insureflow-decision/v1\napplication\n${canonicalJson({ applicationId, position, entry })}`);
}

export interface LedgerEntry {
  readonly leafIndex: number;
  readonly leafHash: string;
}

export interface LedgerLog {
  /** The leaf of a claim decision (appending it first if it is not in the tree yet). */
  entryOfClaimDecision(decisionId: number): Promise<LedgerEntry>;
  /** The leaf of an application's decision by its position in the application's list. */
  entryOfApplicationDecision(applicationId: string, position: number): Promise<LedgerEntry>;
  /** Signs and keeps a checkpoint when the tree grew since the last; returns the latest either way. */
  publishCheckpoint(): Promise<{ treeSize: number; rootHash: string; note: string } | null>;
  latestCheckpoint(): Promise<{ treeSize: number; rootHash: string; note: string } | null>;
  inclusion(leafIndex: number, treeSize: number): Promise<string[]>;
  consistency(from: number, to: number): Promise<string[]>;
}

/** The ledger over this database; without a signer it can number leaves and make proofs, not sign. */
export function createLedgerLog({ db, signer }: { db: Database; signer?: NoteSigner }): LedgerLog {
  /** Gives every decision not yet in the tree its leaf; returns the tree's size. */
  async function appendPending(): Promise<number> {
    return db.transaction(async (tx) => {
      // One appender at a time, in every process: leaf numbers are a gapless sequence.
      await tx.execute(sql`LOCK TABLE ledger_leaves IN EXCLUSIVE MODE`);
      const [{ size }] = (await tx.select({ size: sql<string>`count(*)` }).from(ledgerLeaves)) as [{ size: string }];
      let next = Number(size);
      const fresh = await tx
        .select()
        .from(decisions)
        .where(sql`not exists (select 1 from ledger_leaves l where l.decision_id = ${decisions.id})`)
        .orderBy(asc(decisions.id));
      const rows: (typeof ledgerLeaves.$inferInsert)[] = fresh.map((d) => ({
        leafIndex: next++,
        source: 'claim',
        decisionId: d.id,
        leafHash: hex(leafHash(claimDecisionBytes(d))),
      }));
      const behind = await tx
        .select({
          id: applications.id,
          decisions: applications.decisions,
          ledgered: sql<string>`(select count(*) from ledger_leaves l where l.application_id = ${applications.id})`,
        })
        .from(applications)
        .where(
          sql`jsonb_array_length(${applications.decisions}) > (select count(*) from ledger_leaves l where l.application_id = ${applications.id})`,
        )
        .orderBy(asc(applications.createdAt), asc(applications.id));
      for (const a of behind) {
        const entries = a.decisions as unknown[];
        for (let position = Number(a.ledgered); position < entries.length; position++)
          rows.push({
            leafIndex: next++,
            source: 'application',
            applicationId: a.id,
            position,
            leafHash: hex(leafHash(applicationDecisionBytes(a.id, position, entries[position]))),
          });
      }
      if (rows.length > 0) await tx.insert(ledgerLeaves).values(rows);
      return next;
    });
  }

  async function leavesUpTo(size: number): Promise<Hash[]> {
    const rows = await db
      .select({ leafHash: ledgerLeaves.leafHash })
      .from(ledgerLeaves)
      .where(sql`${ledgerLeaves.leafIndex} < ${size}`)
      .orderBy(asc(ledgerLeaves.leafIndex));
    if (rows.length !== size) throw new Error(`the ledger holds ${rows.length} leaves, not ${size}`);
    return rows.map((r) => unhex(r.leafHash));
  }

  async function entryWhere(where: SQL): Promise<LedgerEntry | null> {
    const [row] = await db.select().from(ledgerLeaves).where(where);
    return row ? { leafIndex: row.leafIndex, leafHash: row.leafHash } : null;
  }

  async function latestCheckpoint() {
    const [row] = await db.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.treeSize)).limit(1);
    return row ? { treeSize: row.treeSize, rootHash: row.rootHash, note: row.note } : null;
  }

  return {
    async entryOfClaimDecision(decisionId) {
      const found =
        (await entryWhere(eq(ledgerLeaves.decisionId, decisionId))) ??
        (await appendPending(), await entryWhere(eq(ledgerLeaves.decisionId, decisionId)));
      if (!found) throw new Error(`decision ${decisionId} is not in the database`);
      return found;
    },
    async entryOfApplicationDecision(applicationId, position) {
      const where = sql`${ledgerLeaves.applicationId} = ${applicationId} and ${ledgerLeaves.position} = ${position}`;
      const found = (await entryWhere(where)) ?? (await appendPending(), await entryWhere(where));
      if (!found) throw new Error(`application ${applicationId} has no decision ${position}`);
      return found;
    },
    async publishCheckpoint() {
      if (!signer) throw new Error('this ledger has no signing key');
      const size = await appendPending();
      const latest = await latestCheckpoint();
      if (latest && latest.treeSize >= size) return latest;
      const root = rootOf(await leavesUpTo(size));
      const note = signNote(formatCheckpoint({ origin: signer.name, size, root }), signer);
      await db
        .insert(ledgerCheckpoints)
        .values({ treeSize: size, rootHash: hex(root), note })
        .onConflictDoNothing();
      return { treeSize: size, rootHash: hex(root), note };
    },
    latestCheckpoint,
    async inclusion(leafIndex, treeSize) {
      return inclusionProof(leafIndex, await leavesUpTo(treeSize)).map(hex);
    },
    async consistency(from, to) {
      return consistencyProof(from, await leavesUpTo(to)).map(hex);
    },
  };
}

/** Cosignatures a checkpoint has collected, as signature lines to append to its note. */
export async function cosignaturesOf(db: Database, treeSize: number): Promise<{ witness: string; line: string }[]> {
  return db
    .select({ witness: ledgerCosignatures.witness, line: ledgerCosignatures.line })
    .from(ledgerCosignatures)
    .where(eq(ledgerCosignatures.treeSize, treeSize))
    .orderBy(asc(ledgerCosignatures.witness));
}

/** The largest tree a witness has cosigned (0 before its first): where the next consistency proof starts. */
export async function lastCosignedSize(db: Database, witness: string): Promise<number> {
  const [row] = await db
    .select({ treeSize: ledgerCosignatures.treeSize })
    .from(ledgerCosignatures)
    .where(eq(ledgerCosignatures.witness, witness))
    .orderBy(desc(ledgerCosignatures.treeSize))
    .limit(1);
  return row?.treeSize ?? 0;
}
