// The decision ledger: every decision record (a claim's row in `decisions`, an application's entry in its
// `decisions` list) as a leaf of an RFC 9162 Merkle tree, in the order the ledger first saw it, and the
// signed checkpoints (tree size and head) published over it with the witnesses' cosignatures. Append-only
// by trigger like the decisions; what a trigger cannot stop (an administrator) the verifier finds.
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export type LedgerSource = 'claim' | 'application';

export const ledgerLeaves = pgTable(
  'ledger_leaves',
  {
    /** The leaf's position in the tree, from 0, without gaps. */
    leafIndex: bigint('leaf_index', { mode: 'number' }).primaryKey(),
    source: text('source').$type<LedgerSource>().notNull(),
    /** A claim decision: its row id. */
    decisionId: bigint('decision_id', { mode: 'number' }),
    /** An underwriting decision: the application and the entry's position in its list. */
    applicationId: text('application_id'),
    position: integer('position'),
    /** RFC 9162 leaf hash of the record's canonical bytes, hex. */
    leafHash: text('leaf_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ledger_leaves_decision_idx').on(t.decisionId),
    uniqueIndex('ledger_leaves_application_idx').on(t.applicationId, t.position),
  ],
);

export const ledgerCheckpoints = pgTable('ledger_checkpoints', {
  treeSize: bigint('tree_size', { mode: 'number' }).primaryKey(),
  /** Tree head, hex. */
  rootHash: text('root_hash').notNull(),
  /** The C2SP signed note (checkpoint body and the log's signature). */
  note: text('note').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ledgerCosignatures = pgTable(
  'ledger_cosignatures',
  {
    treeSize: bigint('tree_size', { mode: 'number' })
      .notNull()
      .references(() => ledgerCheckpoints.treeSize),
    witness: text('witness').notNull(),
    /** The witness's signature line, as it sent it. */
    line: text('line').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.treeSize, t.witness] }), index('ledger_cosignatures_witness_idx').on(t.witness, t.treeSize)],
);
