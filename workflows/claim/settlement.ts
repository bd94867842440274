// Settling a claim: paying an approved claim and waiting for the payout to settle (with compensation
// when the claimant withdraws first), and closing it (reserve released, decision letter written).
import { condition } from '@temporalio/workflow';
import type { PaymentState } from '../../activities/claims/settlement.ts';
import type { Reason } from '../../domain/shared/decision.ts';
import { displayAmount } from '../../domain/shared/money.ts';
import { isFailureOfType, RecordRefusal, recordOrRefusal } from '../failures.ts';
import { cancelPayout, checkPayout, options, record, releaseReserve, startPayout, writeDecisionLetter } from './activities.ts';
import { claimFailureTypes, type ClaimOutcome, type ClaimWorkflowInput } from './messages.ts';
import type { ClaimState } from './state.ts';

/** How often a payout that has not settled is checked: from a second, doubling, to an hour. */
const payoutCheck = { firstMs: 1_000, maxMs: 3_600_000 };

/** Closes the claim: releases the reserve and sends the letter (from the settlement version on). */
export async function closeClaim(input: ClaimWorkflowInput, state: ClaimState, outcome: ClaimOutcome): Promise<ClaimOutcome> {
  if (!state.settlement) {
    state.decided(outcome);
    return outcome;
  }
  state.closing = true;
  state.enter(outcome.status, 'Closing: releasing the reserve, writing the letter', 'the decision letter');
  await releaseReserve.executeWithOptions({ ...options.payment, summary: 'Release the reserve' }, [{ claimId: input.claimId }]);
  const letterOutcome =
    outcome.status === 'PAID' || outcome.status === 'DENIED' || outcome.status === 'WITHDRAWN' || outcome.status === 'CLOSED_INCOMPLETE'
      ? outcome.status
      : 'APPROVED';
  await writeDecisionLetter.executeWithOptions({ ...options.letter, summary: `Write the decision letter (${letterOutcome})` }, [
    { claimId: input.claimId, outcome: letterOutcome },
  ]);
  state.decided(outcome);
  state.closed = true;
  return outcome;
}

export async function withdrawClaim(
  input: ClaimWorkflowInput,
  state: ClaimState,
  payment: PaymentState | null,
  compensated: boolean,
): Promise<ClaimOutcome> {
  const request = state.withdrawal!;
  const byStaff = request.role === 'admin';
  const reasons: Reason[] = [
    byStaff
      ? { code: 'WITHDRAWN_BY_STAFF', message: `Withdrawn by ${request.by} (admin) on the claimant's behalf.` }
      : { code: 'WITHDRAWN_BY_CLAIMANT', message: 'The claimant withdrew the claim.' },
  ];
  if (compensated)
    reasons.push({ code: 'PAYMENT_STOPPED', message: 'The payment that had begun was stopped before it reached the account.' });
  const withdrawal = (why: readonly Reason[], asked: typeof request) =>
    record(input, 'WITHDRAWN', null, [], {
      kind: 'CLAIM_WITHDRAWN',
      outcome: 'WITHDRAW',
      reasons: why,
      decidedBy: `user:${request.by}`,
      ruleSetVersion: 'withdrawal',
      inputs: { request: asked, payment },
    });
  const note: Reason[] = request.reason ? [{ code: byStaff ? 'STAFF_NOTE' : 'CLAIMANT_NOTE', message: request.reason }] : [];
  const recorded = await recordOrRefusal('the claim is still open', () => withdrawal([...reasons, ...note], request));
  // The withdrawal stands even when its note cannot be stored: it is recorded without the note, saying so.
  const outcome =
    recorded instanceof RecordRefusal
      ? await withdrawal(
          [
            ...reasons,
            {
              code: 'NOTE_NOT_STORED',
              message: `The note given with the withdrawal could not be stored. ${recorded.refused}`,
            },
          ],
          { by: request.by, ...(request.role ? { role: request.role } : {}) },
        )
      : recorded;
  return closeClaim(input, state, outcome);
}

/**
 * Pays an approved claim and waits for the payout to settle. Returns the closed claim (PAID, or
 * WITHDRAWN when the claimant withdrew before it settled and the payout was stopped), or, when the
 * payment failed and the claim went back to the adjusters, the time it started waiting for them.
 */
export async function settleClaim(input: ClaimWorkflowInput, state: ClaimState, approved: ClaimOutcome): Promise<ClaimOutcome | string> {
  if (state.withdrawn()) return withdrawClaim(input, state, null, false);
  const amount = approved.payable!;
  state.enter('APPROVED', `Paying ${displayAmount(amount)}`, 'the payment gateway');
  let payment: PaymentState;
  state.payments++;
  try {
    payment = await startPayout.executeWithOptions(
      { ...options.payment, summary: `Pay ${displayAmount(amount)} (payment ${state.payments})` },
      [{ claimId: input.claimId, amount, attempt: state.payments }],
    );
  } catch (error) {
    if (!isFailureOfType(error, claimFailureTypes.payoutAccountMissing) && !isFailureOfType(error, claimFailureTypes.paymentRejected))
      throw error;
    payment = { paymentId: '', status: 'FAILED', failureReason: error.cause?.message ?? 'refused by the gateway' };
  }
  let wait = payoutCheck.firstMs;
  while (payment.status === 'PENDING') {
    state.enter('APPROVED', `Payment of ${displayAmount(amount)} sent, not yet settled`, 'the bank to settle the payment');
    if (await condition(state.withdrawn, wait)) {
      // Compensation: stop the payout; one that settled meanwhile cannot be, and the claim is paid.
      payment = await cancelPayout.executeWithOptions({ ...options.payment, summary: 'Stop the payment (withdrawn)' }, [
        { paymentId: payment.paymentId },
      ]);
      if (payment.status === 'CANCELED') return withdrawClaim(input, state, payment, true);
      break;
    }
    payment = await checkPayout.executeWithOptions({ ...options.payment, summary: 'Check the payment' }, [
      { paymentId: payment.paymentId },
    ]);
    wait = Math.min(wait * 2, payoutCheck.maxMs);
  }
  // A gateway may take a cancellation and settle it later: wait for the outcome.
  while (payment.status === 'PENDING') {
    payment = await checkPayout.executeWithOptions({ ...options.payment, summary: 'Check the payment' }, [
      { paymentId: payment.paymentId },
    ]);
    if (payment.status === 'PENDING') await condition(() => false, payoutCheck.firstMs);
  }
  if (payment.status === 'CANCELED' && state.withdrawn()) return withdrawClaim(input, state, payment, true);
  if (payment.status === 'PAID') {
    state.paymentSettled = true;
    const paid = await record(input, 'PAID', amount, [], {
      kind: 'PAYMENT',
      outcome: 'PAID',
      reasons: [
        ...approved.reasons,
        { code: 'PAYMENT_SETTLED', message: `${displayAmount(amount)} was paid (payment ${payment.paymentId}).` },
      ],
      decidedBy: 'automation',
      ruleSetVersion: 'payment',
      inputs: { payment, approved: approved.status },
    });
    return closeClaim(input, state, paid);
  }
  // Failed (or cancelled by the bank): a person decides what now, with the reason.
  const since = new Date().toISOString();
  const reasons: Reason[] = [
    {
      code: 'PAYMENT_FAILED',
      message: `The payment of ${displayAmount(amount)} failed: ${payment.failureReason ?? payment.status.toLowerCase()}.`,
    },
  ];
  state.outcome = await record(
    input,
    'IN_REVIEW',
    null,
    [],
    {
      kind: 'PAYMENT',
      outcome: 'FAILED',
      reasons,
      decidedBy: 'automation',
      ruleSetVersion: 'payment',
      inputs: { payment },
    },
    { queue: 'adjusters', since },
  );
  return since;
}
