// The appeal workflow's steps that touch the record: moving an appeal to the senior queue, recording
// its decision (the appeal row, a decision record on the claim, and, when overturned and paid, the
// claim's status and amount), and writing the appeal letter. Payments go through the settlement
// activities, as a claim's do.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { appeals } from '../../db/casework.ts';
import type { Database } from '../../db/client.ts';
import { claims, decisions, payments, policies } from '../../db/schema.ts';
import { composeAppealLetter } from '../../domain/claims/appeal.ts';
import { canonicalJson, type Reason } from '../../domain/shared/decision.ts';
import type { Money } from '../../domain/shared/money.ts';
import { renderDecisionLetter } from '../../engines/letters/decision-letter.ts';
import type { BlobStore } from '../../engines/storage/blob-store.ts';
import { claimFailureTypes } from '../../workflows/claim/messages.ts';
import { activityKey } from '../activity-key.ts';
import { defaultLedgerOrigin } from '../../platform/ledger/note.ts';
import { createLedgerLog } from '../../db/ledger-log.ts';

export interface AppealDecisionRecord {
  readonly appealId: string;
  readonly claimId: string;
  readonly outcome: 'UPHELD' | 'OVERTURNED';
  readonly decidedBy: string;
  readonly note: string;
  readonly reasons: readonly Reason[];
  /** Paid because of the appeal (settled), when overturned. */
  readonly paid: Money | null;
  readonly inputs: unknown;
}

export function createAppealActivities({
  db,
  blobs,
  ledgerOrigin = defaultLedgerOrigin,
}: {
  db: Database;
  blobs: BlobStore;
  ledgerOrigin?: string;
}) {
  const ledger = createLedgerLog({ db });
  return {
    async moveAppealToSeniors({ appealId }: { appealId: string }): Promise<void> {
      await db.update(appeals).set({ queue: 'senior-adjusters' }).where(eq(appeals.id, appealId));
    },

    async recordAppealDecision(input: AppealDecisionRecord): Promise<void> {
      const idempotencyKey = activityKey('recordAppealDecision');
      await db.transaction(async (tx) => {
        const [claim] = await tx.select().from(claims).where(eq(claims.id, input.claimId)).for('update');
        if (!claim) throw ApplicationFailure.nonRetryable(`Claim ${input.claimId} is not in the database`, claimFailureTypes.claimNotFound);
        const inserted = await tx
          .insert(decisions)
          .values({
            claimId: input.claimId,
            kind: 'APPEAL_DECISION',
            outcome: input.outcome,
            reasons: [...input.reasons],
            payableMinor: input.paid?.minor ?? null,
            currency: input.paid?.currency ?? null,
            inputs: input.inputs ?? null,
            inputsDigest: createHash('sha256').update(canonicalJson(input.inputs)).digest('hex'),
            ruleSetVersion: 'human',
            decidedBy: input.decidedBy,
            idempotencyKey,
          })
          .onConflictDoNothing({ target: decisions.idempotencyKey })
          .returning({ id: decisions.id });
        if (inserted.length === 0) return; // a retry after the commit
        await tx
          .update(appeals)
          .set({
            status: input.outcome,
            decidedBy: input.decidedBy,
            decisionNote: input.note,
            paidMinor: input.paid?.minor ?? null,
            decidedAt: new Date(),
          })
          .where(eq(appeals.id, input.appealId));
        if (input.paid)
          await tx
            .update(claims)
            .set({ status: 'PAID', payableMinor: (claim.payableMinor ?? 0) + input.paid.minor, updatedAt: new Date() })
            .where(eq(claims.id, input.claimId));
      });
    },

    async writeAppealLetter({ appealId }: { appealId: string }): Promise<{ sha256: string }> {
      const [row] = await db
        .select({ appeal: appeals, claim: claims, holderName: policies.holderName })
        .from(appeals)
        .innerJoin(claims, eq(claims.id, appeals.claimId))
        .innerJoin(policies, eq(policies.policyNumber, claims.policyNumber))
        .where(eq(appeals.id, appealId));
      if (!row || row.appeal.status === 'OPEN') throw ApplicationFailure.nonRetryable(`Appeal ${appealId} is not decided`);
      const [decision] = await db
        .select({ id: decisions.id, reasons: decisions.reasons })
        .from(decisions)
        .where(and(eq(decisions.claimId, row.claim.id), eq(decisions.kind, 'APPEAL_DECISION')));
      const [paid] =
        row.appeal.paidMinor === null
          ? []
          : await db
              .select({ payee: payments.payee })
              .from(payments)
              .where(and(eq(payments.claimId, row.claim.id), eq(payments.status, 'PAID')));
      const date = (row.appeal.decidedAt ?? new Date()).toISOString().slice(0, 10);
      const letter = composeAppealLetter({
        claimId: row.claim.id,
        policyNumber: row.claim.policyNumber,
        addressee: row.claim.payoutAccount?.holder ?? row.holderName,
        outcome: row.appeal.status,
        paidNow: row.appeal.paidMinor === null ? null : { minor: row.appeal.paidMinor, currency: row.claim.currency },
        payee: paid?.payee ?? null,
        reasons: decision?.reasons ?? [],
        lodgedOn: row.appeal.createdAt.toISOString().slice(0, 10),
        date,
      });
      const stamp = decision ? { origin: ledgerOrigin, ...(await ledger.entryOfClaimDecision(decision.id)) } : undefined;
      const { sha256 } = await blobs.put(await renderDecisionLetter(letter, date, undefined, stamp));
      await db.update(appeals).set({ letterSha256: sha256 }).where(eq(appeals.id, appealId));
      return { sha256 };
    },
  };
}

export type AppealActivities = ReturnType<typeof createAppealActivities>;
