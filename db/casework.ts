// What people do on a claim besides deciding it: notes an adjuster writes for colleagues and the record,
// and who holds the claim. Append-only like the decisions (a trigger refuses UPDATE and DELETE): a note
// is corrected by a later note, an assignment by a later assignment.
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { claims } from './schema.ts';

export type JournalEntryKind = 'NOTE' | 'ASSIGNED' | 'UNASSIGNED' | 'APPEALED';

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

export type AppealStatus = 'OPEN' | 'UPHELD' | 'OVERTURNED';

/** A claimant's appeal against a closed claim's decision: one a claim, decided by a different adjuster. */
export const appeals = pgTable(
  'appeals',
  {
    id: text('id').primaryKey(),
    claimId: text('claim_id')
      .notNull()
      .unique()
      .references(() => claims.id),
    reasons: text('reasons').notNull(),
    lodgedBy: text('lodged_by').notNull(),
    /** Whoever made the decision appealed against: 'automation' or `user:<id>`; they may not decide the appeal. */
    originalDecidedBy: text('original_decided_by').notNull(),
    status: text('status').$type<AppealStatus>().notNull(),
    /** Whose queue it waits in: 'adjusters', then 'senior-adjusters' once its service level passes. */
    queue: text('queue').notNull().default('adjusters'),
    workflowId: text('workflow_id').notNull().unique(),
    workflowStartedAt: timestamp('workflow_started_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    decisionNote: text('decision_note'),
    paidMinor: bigint('paid_minor', { mode: 'number' }),
    letterSha256: text('letter_sha256'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('appeals_status_idx').on(t.status, t.createdAt)],
);
