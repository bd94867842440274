// What people do on a claim besides deciding it: notes an adjuster writes for colleagues and the record,
// and who holds the claim. Append-only like the decisions (a trigger refuses UPDATE and DELETE): a note
// is corrected by a later note, an assignment by a later assignment.
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { claims } from './schema.ts';

export type JournalEntryKind = 'NOTE' | 'ASSIGNED' | 'UNASSIGNED';

export const claimJournal = pgTable(
  'claim_journal',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    claimId: text('claim_id')
      .notNull()
      .references(() => claims.id),
    kind: text('kind').$type<JournalEntryKind>().notNull(),
    /** `user:<id>` of the staff member who wrote it. */
    author: text('author').notNull(),
    /** The note; for an assignment, the user id the claim now belongs to (null when released). */
    text: text('text'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('claim_journal_claim_idx').on(t.claimId, t.id)],
);
