// Money and letters for a claim: the reserve, the payout through the payment gateway, its compensation,
// and the decision letter. Every write is keyed so that a retried activity, or a replayed workflow,
// never pays, cancels or writes twice.
import { ApplicationFailure } from '@temporalio/common';
import { claimFailureTypes } from '../../workflows/claim/messages.ts';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { ulid } from '../../db/ids.ts';
import { claims, decisions, notifications, payments, policies, type PaymentStatus } from '../../db/schema.ts';
import { maskIban } from '../../domain/shared/iban.ts';
import { composeDecisionLetter, type LetterOutcome } from '../../domain/claims/letter.ts';
import type { Money } from '../../domain/shared/money.ts';
import { renderDecisionLetter } from '../../engines/letters/decision-letter.ts';
import { PaymentRejected, type PaymentGateway, type Payout } from '../../engines/payments/gateway.ts';
import type { BlobStore } from '../../engines/storage/blob-store.ts';
import { payouts as payoutAnswers } from '../../platform/metrics.ts';
import { defaultLedgerOrigin } from '../../platform/ledger/note.ts';
import { createLedgerLog } from '../../db/ledger-log.ts';

export interface SettlementActivityDeps {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly gateway: PaymentGateway;
  /** Days a claimant has to appeal, as the letters say. */
  readonly appealDays?: number;
  /** The decision ledger's origin, printed on the letters with the decision's leaf. */
  readonly ledgerOrigin?: string;
}

export interface PaymentState {
  readonly paymentId: string;
  readonly status: PaymentStatus;
  readonly failureReason: string | null;
}

const statusOfPayout: Record<Payout['status'], PaymentStatus> = {
  pending: 'PENDING',
  paid: 'PAID',
  failed: 'FAILED',
  canceled: 'CANCELED',
};

/** Decision outcomes that close a claim, newest first, as the letter explains them. */
const closingKinds = ['ADJUSTER_DECISION', 'CLAIM_ASSESSMENT', 'CLAIM_CLOSED', 'CLAIM_WITHDRAWN'];

export function createSettlementActivities({
  db,
  blobs,
  gateway,
  appealDays = 60,
  ledgerOrigin = defaultLedgerOrigin,
}: SettlementActivityDeps) {
  const ledger = createLedgerLog({ db });
  /** Every answer of the gateway is recorded here, and counted (platform/metrics.ts). */
  async function savePayout(paymentId: string, payout: Payout): Promise<PaymentState> {
    const status = statusOfPayout[payout.status];
    payoutAnswers.inc({ status });
    await db
      .update(payments)
      .set({ gatewayReference: payout.id, status, failureReason: payout.failureReason, updatedAt: new Date() })
      .where(eq(payments.id, paymentId));
    return { paymentId, status, failureReason: payout.failureReason };
  }

  async function paymentRow(paymentId: string) {
    const [row] = await db.select().from(payments).where(eq(payments.id, paymentId));
    if (!row) throw ApplicationFailure.nonRetryable(`Payment ${paymentId} is not in the database`, claimFailureTypes.paymentNotFound);
    return row;
  }

  return {
    /** Sets the claimed amount aside when the claim is opened; once, however often it runs. */
    async openReserve({ claimId }: { claimId: string }): Promise<void> {
      const [claim] = await db.select({ claimedMinor: claims.claimedMinor }).from(claims).where(eq(claims.id, claimId));
      if (!claim) throw ApplicationFailure.nonRetryable(`Claim ${claimId} is not in the database`, claimFailureTypes.claimNotFound);
      await db
        .update(claims)
        .set({ reserveMinor: claim.claimedMinor })
        .where(and(eq(claims.id, claimId), isNull(claims.reserveMinor)));
    },

    async releaseReserve({ claimId }: { claimId: string }): Promise<void> {
      await db
        .update(claims)
        .set({ reserveReleasedAt: new Date() })
        .where(and(eq(claims.id, claimId), isNull(claims.reserveReleasedAt)));
    },

    /**
     * Pays `amount` to the claimant's account. `attempt` numbers the payments of one claim (a failed one
     * may be followed by another after review): the payment row and the gateway call share the key
     * `<claim>/payout/<attempt>`, so a retry after a lost answer finds the payout already made.
     */
    async startPayout({ claimId, amount, attempt }: { claimId: string; amount: Money; attempt: number }): Promise<PaymentState> {
      const idempotencyKey = `${claimId}/payout/${attempt}`;
      const [claim] = await db
        .select({ payoutAccount: claims.payoutAccount, holderName: policies.holderName, policyIban: policies.payoutIban })
        .from(claims)
        .innerJoin(policies, eq(policies.policyNumber, claims.policyNumber))
        .where(eq(claims.id, claimId));
      if (!claim) throw ApplicationFailure.nonRetryable(`Claim ${claimId} is not in the database`, claimFailureTypes.claimNotFound);
      const destination = claim.payoutAccount ?? (claim.policyIban ? { iban: claim.policyIban, holder: claim.holderName } : null);
      if (!destination) {
        throw ApplicationFailure.create({
          type: claimFailureTypes.payoutAccountMissing,
          message: 'Neither the claim nor the policy names a bank account to pay.',
          nonRetryable: true,
        });
      }
      await db
        .insert(payments)
        .values({
          id: `PAY-${ulid()}`,
          claimId,
          amountMinor: amount.minor,
          currency: amount.currency,
          status: 'PENDING',
          idempotencyKey,
          payee: maskIban(destination.iban),
        })
        .onConflictDoNothing({ target: payments.idempotencyKey });
      const [row] = await db.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
      if (row!.gatewayReference) return { paymentId: row!.id, status: row!.status, failureReason: row!.failureReason };
      try {
        const payout = await gateway.createPayout({
          idempotencyKey,
          amountMinor: amount.minor,
          currency: amount.currency,
          destination,
          reference: claimId,
        });
        return await savePayout(row!.id, payout);
      } catch (error) {
        if (!(error instanceof PaymentRejected)) throw error; // an outage or a lost answer: retried with the same key
        await db
          .update(payments)
          .set({ status: 'FAILED', failureReason: error.code, updatedAt: new Date() })
          .where(eq(payments.id, row!.id));
        throw ApplicationFailure.create({ type: claimFailureTypes.paymentRejected, message: error.message, nonRetryable: true });
      }
    },

    /** The payout's state at the gateway, written to the payment row. */
    async checkPayout({ paymentId }: { paymentId: string }): Promise<PaymentState> {
      const row = await paymentRow(paymentId);
      if (!row.gatewayReference) return { paymentId, status: row.status, failureReason: row.failureReason };
      return savePayout(paymentId, await gateway.getPayout(row.gatewayReference));
    },

    /** Compensation: stops a payout that has not settled. One that already settled stays PAID. */
    async cancelPayout({ paymentId }: { paymentId: string }): Promise<PaymentState> {
      const row = await paymentRow(paymentId);
      if (!row.gatewayReference) {
        await db
          .update(payments)
          .set({ status: 'CANCELED', updatedAt: new Date() })
          .where(and(eq(payments.id, paymentId), inArray(payments.status, ['PENDING'])));
        return { paymentId, status: 'CANCELED', failureReason: null };
      }
      return savePayout(paymentId, await gateway.cancelPayout(row.gatewayReference));
    },

    /**
     * Writes the decision letter from the decision record and the payments (what an auditor reads too),
     * stores it, and closes the claim. The same facts give the same letter, so a retry stores nothing new.
     */
    async writeDecisionLetter({ claimId, outcome }: { claimId: string; outcome: LetterOutcome }): Promise<{ sha256: string }> {
      const [claim] = await db
        .select({ claim: claims, holderName: policies.holderName })
        .from(claims)
        .innerJoin(policies, eq(policies.policyNumber, claims.policyNumber))
        .where(eq(claims.id, claimId));
      if (!claim) throw ApplicationFailure.nonRetryable(`Claim ${claimId} is not in the database`, claimFailureTypes.claimNotFound);
      const [decision] = await db
        .select()
        .from(decisions)
        .where(and(eq(decisions.claimId, claimId), inArray(decisions.kind, closingKinds)))
        .orderBy(desc(decisions.id))
        .limit(1);
      const [paid] = await db
        .select()
        .from(payments)
        .where(and(eq(payments.claimId, claimId), eq(payments.status, 'PAID')))
        .limit(1);
      const c = claim.claim;
      const date = (decision?.createdAt ?? new Date()).toISOString().slice(0, 10);
      const payable = c.payableMinor === null ? null : { minor: c.payableMinor, currency: c.currency };
      const letter = composeDecisionLetter({
        claimId,
        policyNumber: c.policyNumber,
        addressee: c.payoutAccount?.holder ?? claim.holderName,
        peril: c.peril,
        incidentDate: c.incidentDate,
        claimed: { minor: c.claimedMinor, currency: c.currency },
        outcome,
        amount: paid ? { minor: paid.amountMinor, currency: paid.currency } : payable,
        payee: paid?.payee ?? null,
        reasons: decision?.reasons ?? [],
        decidedBy: decision?.decidedBy === 'automation' || !decision ? 'automation' : decision.decidedBy,
        date,
        appealDays,
      });
      // The decision's place in the ledger, printed on the letter (numbered now if the ledger has not yet).
      const stamp = decision ? { origin: ledgerOrigin, ...(await ledger.entryOfClaimDecision(decision.id)) } : undefined;
      const { sha256 } = await blobs.put(await renderDecisionLetter(letter, date, undefined, stamp));
      await db.transaction(async (tx) => {
        await tx
          .update(claims)
          .set({ letterSha256: sha256, closedAt: c.closedAt ?? new Date(), updatedAt: new Date() })
          .where(eq(claims.id, claimId));
        // The letter's words, emailed (db/outbox.ts); once per letter however often this is retried.
        await tx
          .insert(notifications)
          .values({
            claimId,
            audience: 'claimant',
            kind: 'DECISION_LETTER',
            message: [
              letter.title,
              ...letter.paragraphs,
              ...letter.reasons.map((r) => `- ${r}`),
              letter.appeal ?? '',
              `The letter: /v1/claims/${claimId}/letter.pdf`,
            ]
              .filter(Boolean)
              .join('\n\n'),
            idempotencyKey: `letter:${claimId}:${sha256}`,
          })
          .onConflictDoNothing({ target: notifications.idempotencyKey });
      });
      return { sha256 };
    },
  };
}

export type SettlementActivities = ReturnType<typeof createSettlementActivities>;
