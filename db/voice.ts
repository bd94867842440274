// Claims reported by voice: the sessions of calls and recorded statements, beside the claims they open.
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { claims } from './schema.ts';

export type VoiceSessionStatus = 'IN_PROGRESS' | 'COMPLETED' | 'ABANDONED' | 'HUNG_UP' | 'NEEDS_AGENT';

/**
 * Claims reported by voice: a call (question by question) or one recorded statement. What was heard so
 * far stays here, so a call that ends early is a partial intake an agent can finish.
 */
export const voiceSessions = pgTable(
  'voice_sessions',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<'call' | 'statement'>().notNull(),
    /** Whose policies the caller may claim on (the authenticated customer, or the one an agent named). */
    callerId: text('caller_id').notNull(),
    startedBy: text('started_by').notNull(),
    status: text('status').$type<VoiceSessionStatus>().notNull(),
    slots: jsonb('slots').$type<Record<string, unknown>>().notNull().default({}),
    transcript: jsonb('transcript').$type<Record<string, unknown>[]>().notNull().default([]),
    /** Synthesized prompts (blob digests) the session played: only these are served as its audio. */
    prompts: jsonb('prompts').$type<string[]>().notNull().default([]),
    /** The caller's recordings (blob digests), kept for the adjuster. */
    recordings: jsonb('recordings').$type<string[]>().notNull().default([]),
    statusReason: text('status_reason'),
    claimId: text('claim_id').references(() => claims.id),
    workflowId: text('workflow_id').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('voice_sessions_caller_idx').on(t.callerId, t.createdAt)],
);
