// Claim record activities: reading the policy and recording decisions. Light database work on the
// `claims` task queue.
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { claims, decisions, policies } from '../../db/schema.ts';
import type { ClaimStatus } from '../../domain/claim.ts';
import { canonicalJson, type DecisionRecord } from '../../domain/decision.ts';
import type { Flag } from '../../domain/documents/reconcile.ts';
import type { Money } from '../../domain/money.ts';
import type { PolicySnapshot } from '../../domain/policy.ts';

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
}

export interface RecordedDecision {
  readonly decisionId: number;
  readonly inputsDigest: string;
}

/** Failure types that mean "the facts are wrong", which no retry can fix. */
export const claimFailureTypes = { policyNotFound: 'PolicyNotFound', claimNotFound: 'ClaimNotFound' } as const;

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
      const { workflowExecution, activityId } = Context.current().info;
      if (!workflowExecution) throw ApplicationFailure.nonRetryable('recordClaimDecision runs only within a claim workflow');
      const idempotencyKey = `${workflowExecution.workflowId}/${workflowExecution.runId}/${activityId}`;
      const inputsDigest = createHash('sha256').update(canonicalJson(input.decision.inputs)).digest('hex');
      return db.transaction(async (tx) => {
        const [claim] = await tx.select({ id: claims.id }).from(claims).where(eq(claims.id, input.claimId)).for('update');
        if (!claim) {
          throw ApplicationFailure.create({
            type: claimFailureTypes.claimNotFound,
            message: `Claim ${input.claimId} is not in the database`,
            nonRetryable: true,
          });
        }
        await tx
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
          .onConflictDoNothing({ target: decisions.idempotencyKey });
        const [recorded] = await tx
          .select({ id: decisions.id })
          .from(decisions)
          .where(eq(decisions.idempotencyKey, idempotencyKey));
        await tx
          .update(claims)
          .set({ status: input.status, payableMinor: input.payable?.minor ?? null, updatedAt: new Date() })
          .where(eq(claims.id, input.claimId));
        return { decisionId: recorded!.id, inputsDigest };
      });
    },
  };
}

export type ClaimActivities = ReturnType<typeof createClaimActivities>;
