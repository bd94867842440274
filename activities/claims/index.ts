// Claim record activities: reading the policy and recording decisions. Light database work on the
// `claims` task queue.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { claimFailureTypes } from '../../workflows/claim/messages.ts';
import { eq } from 'drizzle-orm';
import { activityKey } from '../activity-key.ts';
import { claimsDecided, submitToDecisionSeconds } from '../../platform/metrics.ts';
import type { Database } from '../../db/client.ts';
import { claims, decisions, notifications, policies, type NotificationAudience } from '../../db/schema.ts';
import { settledClaimStatuses, type ClaimStatus, type ReviewQueue } from '../../domain/claims/claim.ts';
import { canonicalJson, type DecisionRecord } from '../../domain/shared/decision.ts';
import type { Flag } from '../../domain/documents/reconcile.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { PolicySnapshot } from '../../domain/claims/policy.ts';

export interface ClaimActivityDeps {
  readonly db: Database;
}

export interface RecordClaimDecisionInput {
  readonly claimId: string;
  /** The claim's status once this decision takes effect. */
  readonly status: ClaimStatus;
  readonly payable: Money | null;
  readonly decision: DecisionRecord;
  readonly flags?: readonly Flag[];
  /** Whom the claim now waits for, from when (ISO time); settled statuses clear it. */
  readonly waiting?: Waiting | null;
}

export interface Waiting {
  readonly queue: ReviewQueue;
  readonly since: string;
  readonly requestedDocuments?: readonly string[];
}

export interface WaitingUpdate {
  readonly claimId: string;
  readonly status: ClaimStatus;
  readonly waiting: Waiting;
}

export interface Notification {
  readonly claimId: string;
  readonly audience: NotificationAudience;
  readonly kind: string;
  readonly message: string;
}

export interface RecordedDecision {
  readonly decisionId: number;
  readonly inputsDigest: string;
}

function waitingColumns(status: ClaimStatus, waiting: Waiting | null | undefined) {
  if (settledClaimStatuses.includes(status)) return { queue: null, waitingSince: null, requestedDocuments: null };
  if (!waiting) return {};
  return {
    queue: waiting.queue,
    waitingSince: new Date(waiting.since),
    requestedDocuments: waiting.requestedDocuments ? [...waiting.requestedDocuments] : null,
  };
}

export function createClaimActivities({ db }: ClaimActivityDeps) {
  return {
    async loadPolicy(policyNumber: string): Promise<PolicySnapshot> {
      const [row] = await db.select().from(policies).where(eq(policies.policyNumber, policyNumber));
      if (!row) {
        throw ApplicationFailure.create({
          type: claimFailureTypes.policyNotFound,
          message: `Policy ${policyNumber} does not exist`,
          nonRetryable: true,
        });
      }
      return {
        policyNumber: row.policyNumber,
        lineOfBusiness: row.lineOfBusiness,
        holderId: row.holderId,
        status: row.status,
        effectiveFrom: row.effectiveFrom,
        effectiveTo: row.effectiveTo,
        cancelledOn: row.cancelledOn,
        currency: row.currency,
        coverages: row.coverages,
      };
    },

    /**
     * Appends the decision to the audit trail and moves the claim to its new status, in one transaction.
     * Keyed by the activity's identity in its workflow run, so retries record it once.
     */
    async recordClaimDecision(input: RecordClaimDecisionInput): Promise<RecordedDecision> {
      const idempotencyKey = activityKey('recordClaimDecision');
      const inputsDigest = createHash('sha256').update(canonicalJson(input.decision.inputs)).digest('hex');
      const result = await db.transaction(async (tx) => {
        const [claim] = await tx
          .select({ id: claims.id, createdAt: claims.createdAt })
          .from(claims)
          .where(eq(claims.id, input.claimId))
          .for('update');
        if (!claim) {
          throw ApplicationFailure.create({
            type: claimFailureTypes.claimNotFound,
            message: `Claim ${input.claimId} is not in the database`,
            nonRetryable: true,
          });
        }
        const inserted = await tx
          .insert(decisions)
          .values({
            claimId: input.claimId,
            kind: input.decision.kind,
            outcome: input.decision.outcome,
            reasons: [...input.decision.reasons],
            payableMinor: input.payable?.minor ?? null,
            currency: input.payable?.currency ?? null,
            inputs: input.decision.inputs ?? null,
            inputsDigest,
            ruleSetVersion: input.decision.ruleSetVersion,
            decidedBy: input.decision.decidedBy,
            flags: [...(input.flags ?? [])],
            idempotencyKey,
          })
          .onConflictDoNothing({ target: decisions.idempotencyKey })
          .returning({ id: decisions.id });
        const [recorded] = await tx.select({ id: decisions.id }).from(decisions).where(eq(decisions.idempotencyKey, idempotencyKey));
        await tx
          .update(claims)
          .set({
            status: input.status,
            payableMinor: input.payable?.minor ?? null,
            updatedAt: new Date(),
            ...waitingColumns(input.status, input.waiting),
          })
          .where(eq(claims.id, input.claimId));
        return { decisionId: recorded!.id, inputsDigest, newly: inserted.length > 0, createdAt: claim.createdAt };
      });
      // Counted once the decision is committed, once per decision, not per retry of the activity.
      if (result.newly) {
        const { kind, outcome, decidedBy } = input.decision;
        claimsDecided.inc({ kind, outcome, decided_by: decidedBy === 'automation' ? 'automation' : 'person' });
        if (kind === 'CLAIM_ASSESSMENT') submitToDecisionSeconds.observe({ outcome }, (Date.now() - result.createdAt.getTime()) / 1000);
      }
      return { decisionId: result.decisionId, inputsDigest: result.inputsDigest };
    },

    /** Moves a waiting claim (to another queue, or to waiting for documents) without a decision. */
    async updateWaiting(input: WaitingUpdate): Promise<void> {
      await db
        .update(claims)
        .set({ status: input.status, updatedAt: new Date(), ...waitingColumns(input.status, input.waiting) })
        .where(eq(claims.id, input.claimId));
    },

    /** Puts a message in the outbox, once however often the activity is retried. */
    async notify(input: Notification): Promise<void> {
      await db
        .insert(notifications)
        .values({ ...input, idempotencyKey: activityKey('notify') })
        .onConflictDoNothing({ target: notifications.idempotencyKey });
    },
  };
}

export type ClaimActivities = ReturnType<typeof createClaimActivities>;
