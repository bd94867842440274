// Checking the decision ledger against the records it is made of: every leaf is recomputed from its
// decision record (a changed row changes its hash, a deleted one leaves its leaf without a record), the
// leaves run 0..n-1 without gaps, every checkpoint's signature verifies with the log's key and its head is
// the head of the tree recomputed from the records (so each extends the one before). The first
// thing that does not hold is named; `npm run ledger:verify` prints it and exits 1.
import { bytesToHex as hex } from '@noble/hashes/utils.js';
import { asc, eq } from 'drizzle-orm';
import { leafHash, rootOf, type Hash } from '../platform/ledger/merkle.ts';
import { openNote, parseCheckpoint, type Verifier } from '../platform/ledger/note.ts';
import type { Database } from './client.ts';
import { ledgerCheckpoints, ledgerLeaves } from './ledger.ts';
import { applicationDecisionBytes, claimDecisionBytes } from './ledger-log.ts';
import { applications, decisions } from './schema.ts';

export type LedgerVerdict =
  | { readonly intact: true; readonly leaves: number; readonly checkpoints: number; readonly head: { size: number; root: string } | null }
  | { readonly intact: false; readonly problem: string };

export async function verifyLedger(db: Database, log: Verifier): Promise<LedgerVerdict> {
  const leaves = await db.select().from(ledgerLeaves).orderBy(asc(ledgerLeaves.leafIndex));
  const recomputed: Hash[] = [];
  const applicationCache = new Map<string, unknown[] | null>();
  for (const [i, leaf] of leaves.entries()) {
    if (leaf.leafIndex !== i) return { intact: false, problem: `leaf ${i} is missing: the ledger jumps to leaf ${leaf.leafIndex}` };
    let bytes: Uint8Array;
    let what: string;
    if (leaf.source === 'claim') {
      what = `leaf ${i} (decision ${leaf.decisionId})`;
      const [row] = await db.select().from(decisions).where(eq(decisions.id, leaf.decisionId!));
      if (!row) return { intact: false, problem: `${what}: the decision record was deleted` };
      what = `leaf ${i} (decision ${row.id}, ${row.kind} ${row.outcome} on claim ${row.claimId})`;
      bytes = claimDecisionBytes(row);
    } else {
      what = `leaf ${i} (decision ${leaf.position} of application ${leaf.applicationId})`;
      if (!applicationCache.has(leaf.applicationId!)) {
        const [row] = await db
          .select({ decisions: applications.decisions })
          .from(applications)
          .where(eq(applications.id, leaf.applicationId!));
        applicationCache.set(leaf.applicationId!, row ? row.decisions : null);
      }
      const entries = applicationCache.get(leaf.applicationId!);
      const entry = entries?.[leaf.position!];
      if (entry === undefined) return { intact: false, problem: `${what}: the decision record was deleted` };
      bytes = applicationDecisionBytes(leaf.applicationId!, leaf.position!, entry);
    }
    const hash = leafHash(bytes);
    if (hex(hash) !== leaf.leafHash)
      return { intact: false, problem: `${what}: the record does not match its leaf; it was changed after it was recorded` };
    recomputed.push(hash);
  }

  const checkpoints = await db.select().from(ledgerCheckpoints).orderBy(asc(ledgerCheckpoints.treeSize));
  let previous: { size: number; root: Hash } | null = null;
  for (const c of checkpoints) {
    let checkpoint;
    try {
      const opened = openNote(c.note, [log]);
      if (!opened.verifiedBy.includes(log.name))
        return { intact: false, problem: `checkpoint ${c.treeSize}: its signature does not verify with ${log.name}'s key` };
      checkpoint = parseCheckpoint(opened.body);
    } catch (error) {
      return { intact: false, problem: `checkpoint ${c.treeSize}: ${(error as Error).message}` };
    }
    if (checkpoint.size !== c.treeSize || hex(checkpoint.root) !== c.rootHash)
      return { intact: false, problem: `checkpoint ${c.treeSize}: the row does not say what its signed note says` };
    if (checkpoint.size > recomputed.length)
      return { intact: false, problem: `checkpoint ${c.treeSize}: it covers more leaves than the ledger holds (${recomputed.length})` };
    const head = rootOf(recomputed.slice(0, checkpoint.size));
    // Every signed head is the head of a prefix of the one tree the records give: so each checkpoint
    // extends the one before, and no consistency proof between them could say more.
    if (hex(head) !== hex(checkpoint.root))
      return { intact: false, problem: `checkpoint ${c.treeSize}: the records give another tree head than the one signed` };
    previous = { size: checkpoint.size, root: checkpoint.root };
  }
  return {
    intact: true,
    leaves: recomputed.length,
    checkpoints: checkpoints.length,
    head: previous ? { size: previous.size, root: hex(previous.root) } : null,
  };
}
