// An appeal, as the business runs it: waiting for the adjuster it was given (not the one who decided;
// automation never decides an appeal), reminding the queue and then moving it to the senior adjusters as
// service levels pass; the decision recorded; an overturned decision paid like a claim; the appeal letter.
import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AppealActivities } from '../../activities/claims/appeals.ts';
import type { ClaimActivities } from '../../activities/claims/index.ts';
import type { PaymentState, SettlementActivities } from '../../activities/claims/settlement.ts';
import { checkAppealDecision, type AppealDecision } from '../../domain/claims/appeal.ts';
import type { Reason } from '../../domain/shared/decision.ts';
import { displayAmount } from '../../domain/shared/money.ts';
import { escalationLevels, ReviewRejected } from '../../domain/shared/review.ts';
import { claimActivityOptions as options } from '../claim/messages.ts';
import { waitWithServiceLevels } from '../service-levels.ts';
import { appealStatusQuery, decideAppealUpdate, type AppealProgress, type AppealWorkflowInput } from './messages.ts';

const { moveAppealToSeniors, recordAppealDecision } = proxyActivities<AppealActivities>(options.record);
const { notify } = proxyActivities<ClaimActivities>(options.record);
const { writeAppealLetter } = proxyActivities<AppealActivities>(options.letter);
const { startPayout, checkPayout } = proxyActivities<SettlementActivities>(options.payment);

/** Payouts of an appeal are numbered apart from the claim's own (the payment's idempotency key). */
const appealPayoutAttempt = 1_000;

export async function appealWorkflow(input: AppealWorkflowInput): Promise<AppealProgress> {
  let progress: AppealProgress = { status: 'OPEN', step: 'Waiting for an adjuster who did not decide the claim', queue: 'adjusters' };
  let decision: AppealDecision | null = null;
  setHandler(appealStatusQuery, () => progress);
  let answered: { status: 'UPHELD' | 'OVERTURNED' } | null = null;
  setHandler(
    decideAppealUpdate,
    async (d) => {
      decision = d;
      await condition(() => answered !== null);
      return answered!;
    },
    {
      validator: (d: AppealDecision) => {
        try {
          checkAppealDecision(d, {
            open: decision === null,
            originalDecidedBy: input.originalDecidedBy,
            claimed: input.claimed,
            paid: input.paid,
            limits: input.authorityLimits,
          });
        } catch (error) {
          if (error instanceof ReviewRejected)
            throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
          throw error;
        }
      },
    },
  );

  const since = new Date().toISOString();
  await waitWithServiceLevels(() => decision !== null, since, escalationLevels(input.serviceLevels), {
    remind: async () => {
      await notify.executeWithOptions({ ...options.record, summary: 'Remind the appeal reviewer' }, [
        {
          claimId: input.claimId,
          audience: 'adjusters',
          kind: 'APPEAL_REMINDER',
          message: `The appeal on claim ${input.claimId}${input.assignee ? ` (assigned to ${input.assignee})` : ''} has waited since ${since}.`,
        },
      ]);
    },
    escalate: async () => {
      await moveAppealToSeniors.executeWithOptions({ ...options.record, summary: 'Move the appeal to senior adjusters' }, [
        { appealId: input.appealId },
      ]);
      await notify.executeWithOptions({ ...options.record, summary: 'Tell senior adjusters' }, [
        {
          claimId: input.claimId,
          audience: 'senior-adjusters',
          kind: 'APPEAL_ESCALATED',
          message: `The appeal on claim ${input.claimId} has waited since ${since} and is escalated to you.`,
        },
      ]);
      progress = { ...progress, step: 'Waiting for a senior adjuster', queue: 'senior-adjusters' };
    },
  });

  const decided: AppealDecision = decision!;
  const reviewer = `user:${decided.reviewer.id}`;
  let paid = null;
  let payment: PaymentState | null = null;
  if (decided.action === 'overturn') {
    progress = { ...progress, step: `Paying ${displayAmount(decided.amount)}` };
    payment = await startPayout.executeWithOptions({ ...options.payment, summary: `Pay ${displayAmount(decided.amount)} (appeal)` }, [
      { claimId: input.claimId, amount: decided.amount, attempt: appealPayoutAttempt },
    ]);
    let wait = 1_000;
    while (payment.status === 'PENDING') {
      await condition(() => false, wait);
      payment = await checkPayout.executeWithOptions({ ...options.payment, summary: 'Check the payment' }, [
        { paymentId: payment.paymentId },
      ]);
      wait = Math.min(wait * 2, 3_600_000);
    }
    if (payment.status === 'PAID') paid = decided.amount;
  }
  const outcome = decided.action === 'overturn' ? 'OVERTURNED' : 'UPHELD';
  const reasons: Reason[] = [
    decided.action === 'overturn'
      ? {
          code: 'APPEAL_OVERTURNED',
          message: `On appeal, the decision was changed${paid ? ` and ${displayAmount(paid)} paid` : ''}: ${decided.note}`,
        }
      : { code: 'APPEAL_UPHELD', message: `On appeal, the decision stands: ${decided.note}` },
  ];
  if (payment && payment.status !== 'PAID')
    reasons.push({
      code: 'PAYMENT_FAILED',
      message: `The payment failed (${payment.failureReason ?? payment.status.toLowerCase()}); an adjuster will contact you.`,
    });
  await recordAppealDecision.executeWithOptions({ ...options.record, summary: `Record the appeal decision: ${outcome}` }, [
    {
      appealId: input.appealId,
      claimId: input.claimId,
      outcome,
      decidedBy: reviewer,
      note: decided.note,
      reasons,
      paid,
      inputs: { decision: decided, payment },
    },
  ]);
  await writeAppealLetter.executeWithOptions({ ...options.letter, summary: 'Write the appeal letter' }, [{ appealId: input.appealId }]);
  answered = { status: outcome };
  progress = { status: outcome, step: outcome === 'OVERTURNED' ? 'Decision changed on appeal' : 'Decision upheld on appeal', queue: null };
  return progress;
}
