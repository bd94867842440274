// The claim workflow's message handlers: the `status` query, documents added by signal, an adjuster's
// decision and the claimant's withdrawal by update. Each validator refuses what the claim cannot take
// now, before it enters the history; an accepted message is left on the state for the main line.
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import {
  checkReferral,
  checkReviewDecision,
  ReviewRejected,
  type ReferralInput,
  type ReviewContext,
  type ReviewDecisionInput,
} from '../../domain/shared/review.ts';
import { findUnstorableText } from '../../domain/shared/text.ts';
import {
  addDocumentsSignal,
  claimStatusQuery,
  decideUpdate,
  referToSeniorUpdate,
  withdrawUpdate,
  type ClaimDecisionRules,
  type ClaimWorkflowInput,
  type WithdrawalInput,
} from './messages.ts';
import type { ClaimState, ReferralTicket, ReviewTicket } from './state.ts';

const refuse = (type: string, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

export function installClaimHandlers(input: ClaimWorkflowInput, state: ClaimState, rules: ClaimDecisionRules): void {
  setHandler(claimStatusQuery, () => state.progress());
  setHandler(addDocumentsSignal, ({ documentIds }) => state.addDocuments(documentIds));

  // What an adjuster's decision is checked against: whether the claim waits for one, and the limits.
  const reviewContext = (): ReviewContext => ({
    awaiting:
      state.status === 'IN_REVIEW' && state.reviews.length === 0 && state.referrals.length === 0 && !state.withdrawal
        ? 'review'
        : state.status === 'AWAITING_DOCUMENTS'
          ? 'documents'
          : 'nothing',
    claimed: input.claimed,
    maximumPayable: state.coverage?.outcome === 'COVERED' ? state.coverage.payable : null,
    proposedDenial: state.coverage !== null && state.coverage.outcome === 'NOT_COVERED',
    limits: rules.authorityLimits,
  });
  // Adjusters' decisions wait on the state until the workflow, in review, takes them in order.
  setHandler(
    decideUpdate,
    async (decision) => {
      const ticket: ReviewTicket = { input: decision };
      state.reviews.push(ticket);
      await condition(() => ticket.result !== undefined || ticket.refusal !== undefined);
      if (ticket.refusal) refuse(ticket.refusal.code, ticket.refusal.message);
      return ticket.result!;
    },
    {
      validator: (decision: ReviewDecisionInput) => {
        try {
          checkReviewDecision(decision, reviewContext());
        } catch (error) {
          if (error instanceof ReviewRejected) refuse(error.code, error.message);
          throw error;
        }
      },
    },
  );

  // An adjuster's referral to the senior adjusters: the workflow moves the claim, then answers.
  setHandler(
    referToSeniorUpdate,
    async (referral) => {
      const ticket: ReferralTicket = { input: referral };
      state.referrals.push(ticket);
      await condition(() => ticket.done === true);
      if (ticket.refusal) refuse(ticket.refusal.code, ticket.refusal.message);
      return { status: state.status, queue: state.queue };
    },
    {
      validator: (referral: ReferralInput) => {
        try {
          checkReferral(referral, { awaiting: reviewContext().awaiting, queue: state.queue });
        } catch (error) {
          if (error instanceof ReviewRejected) refuse(error.code, error.message);
          throw error;
        }
      },
    },
  );

  // The claimant's withdrawal, taken at the next step boundary; the update answers once the claim is
  // closed (WITHDRAWN, or PAID when the payment settled before it could be stopped).
  setHandler(
    withdrawUpdate,
    async (request) => {
      state.withdrawal = request;
      await condition(() => state.closed);
      return { status: state.status };
    },
    {
      validator: (request: WithdrawalInput) => {
        const unstorable = findUnstorableText({ reason: request.reason });
        if (unstorable) refuse('INVALID_TEXT', `${unstorable.path} ${unstorable.problem}.`);
        if (!state.settlement)
          refuse('WITHDRAWAL_NOT_SUPPORTED', 'This claim was opened before withdrawal existed; an adjuster can close it.');
        if (state.withdrawal) refuse('ALREADY_WITHDRAWING', 'The claim is already being withdrawn.');
        if (state.paymentSettled) refuse('CLAIM_PAID', 'The claim has been paid; it can no longer be withdrawn.');
        if (state.closed || state.closing) refuse('CLAIM_CLOSED', `The claim is closed (${state.status}).`);
      },
    },
  );
}
