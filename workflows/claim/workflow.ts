// Claim workflow: validate -> read documents -> load policy -> coverage -> reconcile documents with the
// claim -> triage -> record the decision -> (when automation cannot approve) wait for an adjuster, who
// approves, denies, or asks the claimant for documents. Thin orchestration: every decision is a pure
// domain function, every side effect an activity with its own timeouts and retry policy.
//
// Versions, each kept so that claims already running replay as they ran:
// - v1 (no patch): documents verified for integrity only; ends REFERRED or APPROVED.
// - v2 (`document-analysis`): documents read and reconciled; still ends REFERRED or APPROVED.
// - v3 (`human-review`): a referred claim waits IN_REVIEW for an adjuster, with service levels.
// - v4 (`settlement`): a reserve from opening to closing, approved claims paid through the payment
//   gateway, a decision letter, and withdrawal by the claimant with compensation of a payment begun.
// - v5 (`fraud-scoring`): fraud checks (red-flag rules, link analysis, the model) score every claim;
//   a medium or high score sends it to an adjuster.
// - v6 (`automation-authority`): automation pays only inside the automation policy's limits, and only
//   what documents read with confidence corroborate; anything else goes to an adjuster with reasons.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { ClaimActivities, Waiting } from '../../activities/claims/index.ts';
import type { FraudActivities } from '../../activities/claims/fraud.ts';
import type { PaymentState, SettlementActivities } from '../../activities/claims/settlement.ts';
import type { FraudAssessment } from '../../domain/fraud/score.ts';
import type { DocumentActivities, DocumentAnalysis, DocumentVerification } from '../../activities/documents/index.ts';
import { checkClaimFacts, type ClaimStatus, type ReviewQueue } from '../../domain/claim.ts';
import { defaultAutomationPolicy } from '../../domain/automation.ts';
import { decideClaim } from '../../domain/claim-decision.ts';
import { assessCoverage, type CoverageAssessment } from '../../domain/coverage.ts';
import type { DecisionActor, Reason } from '../../domain/decision.ts';
import { reconcileDocuments, type DocumentFacts, type Flag } from '../../domain/documents/reconcile.ts';
import { displayAmount, type Money } from '../../domain/money.ts';
import type { PolicySnapshot } from '../../domain/policy.ts';
import {
  checkReviewDecision,
  defaultAuthorityLimits,
  defaultServiceLevels,
  denialReasons,
  ReviewRejected,
  type ReviewContext,
  type ReviewDecisionInput,
} from '../../domain/review.ts';
import { triageClaim, type TriageDecision } from '../../domain/triage.ts';
import { ClaimQueueKey, ClaimStatusKey, FraudBandKey } from '../../temporal/search-attributes.ts';
import { documentReadingRetry } from '../../temporal/document-reading.ts';
import { taskQueues } from '../../temporal/task-queues.ts';
import {
  addDocumentsSignal,
  claimStatusQuery,
  decideUpdate,
  withdrawUpdate,
  type WithdrawalInput,
  type ClaimOutcome,
  type ClaimProgress,
  type ClaimDecisionRules,
  type ClaimWorkflowInput,
} from './messages.ts';

// Reads of the business record: quick, and retried without limit while the database is unreachable
// (the pending activity shows the attempts in the Web UI); a missing policy is a fact, not an outage.
const loadPolicyOptions: ActivityOptions = {
  taskQueue: taskQueues.claims,
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['PolicyNotFound'] },
};
// Writes to the business record must happen eventually, however long the database is away.
const recordOptions: ActivityOptions = {
  taskQueue: taskQueues.claims,
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['ClaimNotFound'] },
};
// First version: CPU-light integrity check on the documents queue.
const verifyDocumentOptions: ActivityOptions = {
  taskQueue: taskQueues.documents,
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: ['DocumentNotFound'] },
};
// Reading a document: seconds per page, up to the page limit. It heartbeats at least every 5 seconds,
// so a worker that dies is noticed within a minute and the document goes to another. A file that cannot
// be read fails at once (no retry helps); an engine crash is retried twice, then a person takes over.
const analyzeDocumentOptions: ActivityOptions = {
  taskQueue: taskQueues.documents,
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  // A cancelled claim waits until its documents have really stopped being read.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  scheduleToCloseTimeout: '2 hours',
  retry: documentReadingRetry,
};

const { loadPolicy } = proxyActivities<ClaimActivities>(loadPolicyOptions);
const { recordClaimDecision, updateWaiting, notify } = proxyActivities<ClaimActivities>(recordOptions);
// Money: retried until the gateway answers, with the same idempotency key, so never paid twice; a
// refusal (no account, a bad one) is final and goes to a person.
const paymentOptions: ActivityOptions = {
  taskQueue: taskQueues.claims,
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['ClaimNotFound', 'PaymentNotFound', 'PayoutAccountMissing', 'PaymentRejected'],
  },
};
const letterOptions: ActivityOptions = {
  taskQueue: taskQueues.claims,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['ClaimNotFound'] },
};
const { openReserve, releaseReserve, startPayout, checkPayout, cancelPayout } = proxyActivities<SettlementActivities>(paymentOptions);
const { writeDecisionLetter } = proxyActivities<SettlementActivities>(letterOptions);
// Reads of the claims store and a model: quick, retried while the database is away.
const fraudOptions: ActivityOptions = {
  taskQueue: taskQueues.claims,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['ClaimNotFound'] },
};
const { assessFraud } = proxyActivities<FraudActivities>(fraudOptions);
const { verifyDocument } = proxyActivities<DocumentActivities>(verifyDocumentOptions);
const { analyzeDocument } = proxyActivities<DocumentActivities>(analyzeDocumentOptions);

export const documentAnalysisPatch = 'document-analysis';
export const humanReviewPatch = 'human-review';
export const settlementPatch = 'settlement';
export const fraudScoringPatch = 'fraud-scoring';
export const automationAuthorityPatch = 'automation-authority';

/** How often a payout that has not settled is checked: from a second, doubling, to an hour. */
const payoutCheck = { firstMs: 1_000, maxMs: 3_600_000 };

function isFailureOfType(error: unknown, type: string): error is ActivityFailure {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;
}

const queueNames: Record<ReviewQueue, string> = { adjusters: 'an adjuster', 'senior-adjusters': 'a senior adjuster', claimant: 'documents from the claimant' };

/** The state every step reports through: the `status` query, the search attributes, current details. */
class ClaimState {
  status: ClaimStatus = 'RECEIVED';
  step = 'Received';
  waitingFor: string | null = null;
  outcome: ClaimOutcome | null = null;
  queue: ReviewQueue | null = null;
  waitingSince: string | null = null;
  /** Closing (reserve released, letter being written) and closed: nothing more can be asked of it. */
  closing = false;
  closed = false;
  readonly documents = { total: 0, done: 0, failed: 0 };
  readonly claimId: string;

  constructor(claimId: string, documents: number) {
    this.claimId = claimId;
    this.documents.total = documents;
  }

  progress(): ClaimProgress {
    return {
      claimId: this.claimId,
      status: this.status,
      step: this.step,
      waitingFor: this.waitingFor,
      documents: { ...this.documents },
      outcome: this.outcome,
      queue: this.queue,
      waitingSince: this.waitingSince,
    };
  }

  enter(status: ClaimStatus, step: string, waitingFor: string | null, details?: string): void {
    if (status !== this.status) upsertSearchAttributes([{ key: ClaimStatusKey, value: status }]);
    this.status = status;
    this.step = step;
    this.waitingFor = waitingFor;
    setCurrentDetails(details ?? `**${step}**${waitingFor ? `\n\nWaiting for: ${waitingFor}` : ''}`);
  }

  /** Waiting for people: the queue is a search attribute, so each queue is a Web UI filter. */
  wait(status: ClaimStatus, queue: ReviewQueue, since: string, note: string): void {
    if (queue !== this.queue) upsertSearchAttributes([{ key: ClaimQueueKey, value: queue }]);
    this.queue = queue;
    this.waitingSince = since;
    const readable = `${since.slice(0, 16).replace('T', ' ')} UTC`;
    this.enter(status, status === 'AWAITING_DOCUMENTS' ? 'Waiting for documents' : 'In review', `${queueNames[queue]} since ${readable}`,
      `**Waiting for ${queueNames[queue]}** since ${readable}${note ? `\n\n${note}` : ''}`);
  }

  decided(outcome: ClaimOutcome): void {
    this.outcome = outcome;
    if (this.queue !== null) upsertSearchAttributes([{ key: ClaimQueueKey, value: null }]);
    this.queue = null;
    this.waitingSince = null;
    const why = outcome.reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n');
    if (outcome.status === 'PAID' && outcome.payable) {
      this.enter('PAID', `Paid: ${displayAmount(outcome.payable)}`, null);
    } else if (outcome.status === 'WITHDRAWN') {
      this.enter('WITHDRAWN', 'Withdrawn by the claimant', null, `**Withdrawn by the claimant**\n\n${why}`);
    } else if (outcome.status === 'APPROVED' && outcome.payable) {
      this.enter('APPROVED', `Approved: ${displayAmount(outcome.payable)} payable`, null);
    } else if (outcome.status === 'DENIED') {
      this.enter('DENIED', 'Denied', null, `**Denied**\n\n${why}`);
    } else if (outcome.status === 'CLOSED_INCOMPLETE') {
      this.enter('CLOSED_INCOMPLETE', 'Closed: documents not received', null, `**Closed: documents not received**\n\n${why}`);
    } else {
      this.enter('REFERRED', 'Referred to an adjuster', null, `**Referred to an adjuster**\n\n${why}`);
    }
  }
}

interface ReviewTicket {
  readonly input: ReviewDecisionInput;
  result?: { status: ClaimStatus };
  refusal?: ReviewRejected;
}

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<ClaimOutcome> {
  const state = new ClaimState(input.claimId, input.documentIds.length);
  setHandler(claimStatusQuery, () => state.progress());

  const known = new Set(input.documentIds);
  const pending: string[] = [...input.documentIds];
  setHandler(addDocumentsSignal, ({ documentIds }) => {
    for (const id of documentIds) {
      if (known.has(id)) continue;
      known.add(id);
      pending.push(id);
      state.documents.total++;
    }
  });

  // Adjusters' decisions wait here until the workflow, in review, takes them in order.
  const reviews: ReviewTicket[] = [];
  let coverage: CoverageAssessment | null = null;
  const review: ClaimDecisionRules = input.review ?? { serviceLevels: defaultServiceLevels, authorityLimits: defaultAuthorityLimits };
  const reviewContext = (): ReviewContext => ({
    awaiting: state.status === 'IN_REVIEW' && reviews.length === 0 && !withdrawal ? 'review' : state.status === 'AWAITING_DOCUMENTS' ? 'documents' : 'nothing',
    claimed: input.claimed,
    maximumPayable: coverage?.outcome === 'COVERED' ? coverage.payable : null,
    proposedDenial: coverage !== null && coverage.outcome === 'NOT_COVERED',
    limits: review.authorityLimits,
  });
  setHandler(
    decideUpdate,
    async (decision) => {
      const ticket: ReviewTicket = { input: decision };
      reviews.push(ticket);
      await condition(() => ticket.result !== undefined || ticket.refusal !== undefined);
      if (ticket.refusal) throw ApplicationFailure.create({ type: ticket.refusal.code, message: ticket.refusal.message, nonRetryable: true });
      return ticket.result!;
    },
    {
      validator: (decision: ReviewDecisionInput) => {
        try {
          checkReviewDecision(decision, reviewContext());
        } catch (error) {
          if (error instanceof ReviewRejected) throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
          throw error;
        }
      },
    },
  );

  // The claimant's withdrawal, taken at the next step boundary; the update answers once the claim is
  // closed (WITHDRAWN, or PAID when the payment settled before it could be stopped).
  let settlement = false;
  let withdrawal: WithdrawalInput | null = null;
  let paymentSettled = false;
  setHandler(
    withdrawUpdate,
    async (request) => {
      withdrawal = request;
      await condition(() => state.closed);
      return { status: state.status };
    },
    {
      validator: (_request: WithdrawalInput) => {
        const refuse = (type: string, message: string) => {
          throw ApplicationFailure.create({ type, message, nonRetryable: true });
        };
        if (!settlement) refuse('WITHDRAWAL_NOT_SUPPORTED', 'This claim was opened before withdrawal existed; an adjuster can close it.');
        if (withdrawal) refuse('ALREADY_WITHDRAWING', 'The claim is already being withdrawn.');
        if (paymentSettled) refuse('CLAIM_PAID', 'The claim has been paid; it can no longer be withdrawn.');
        if (state.closed || state.closing) refuse('CLAIM_CLOSED', `The claim is closed (${state.status}).`);
      },
    },
  );

  const blockers: Reason[] = checkClaimFacts({ ...input });
  if (!patched(documentAnalysisPatch)) return assessWithVerifiedDocuments(input, state, blockers);
  const humanReview = patched(humanReviewPatch);
  settlement = humanReview && patched(settlementPatch);
  const fraudScoring = settlement && patched(fraudScoringPatch);
  const automationAuthority = fraudScoring && patched(automationAuthorityPatch);
  if (settlement) await openReserve.executeWithOptions({ ...paymentOptions, summary: `Open the reserve: ${displayAmount(input.claimed)}` }, [{ claimId: input.claimId }]);
  const withdrawn = () => withdrawal !== null;

  /** Closes the claim: releases the reserve and sends the letter (from the settlement version on). */
  const close = async (outcome: ClaimOutcome): Promise<ClaimOutcome> => {
    if (!settlement) {
      state.decided(outcome);
      return outcome;
    }
    state.closing = true;
    state.enter(outcome.status, 'Closing: releasing the reserve, writing the letter', 'the decision letter');
    await releaseReserve.executeWithOptions({ ...paymentOptions, summary: 'Release the reserve' }, [{ claimId: input.claimId }]);
    const letterOutcome = outcome.status === 'PAID' || outcome.status === 'DENIED' || outcome.status === 'WITHDRAWN' || outcome.status === 'CLOSED_INCOMPLETE' ? outcome.status : 'APPROVED';
    await writeDecisionLetter.executeWithOptions({ ...letterOptions, summary: `Write the decision letter (${letterOutcome})` }, [{ claimId: input.claimId, outcome: letterOutcome }]);
    state.decided(outcome);
    state.closed = true;
    return outcome;
  };

  const withdraw = async (payment: PaymentState | null, compensated: boolean): Promise<ClaimOutcome> => {
    const request = withdrawal!;
    const reasons: Reason[] = [{ code: 'WITHDRAWN_BY_CLAIMANT', message: 'The claimant withdrew the claim.' }];
    if (compensated) reasons.push({ code: 'PAYMENT_STOPPED', message: 'The payment that had begun was stopped before it reached the account.' });
    if (request.reason) reasons.push({ code: 'CLAIMANT_NOTE', message: request.reason });
    const outcome = await record(input, 'WITHDRAWN', null, [], {
      kind: 'CLAIM_WITHDRAWN',
      outcome: 'WITHDRAW',
      reasons,
      decidedBy: `user:${request.by}`,
      ruleSetVersion: 'withdrawal',
      inputs: { request, payment },
    });
    return close(outcome);
  };

  let payments = 0;
  /**
   * Pays an approved claim and waits for the payout to settle. Returns the closed claim (PAID, or
   * WITHDRAWN when the claimant withdrew before it settled and the payout was stopped), or, when the
   * payment failed and the claim went back to the adjusters, the time it started waiting for them.
   */
  const settle = async (approved: ClaimOutcome): Promise<ClaimOutcome | string> => {
    if (withdrawn()) return withdraw(null, false);
    const amount = approved.payable!;
    state.enter('APPROVED', `Paying ${displayAmount(amount)}`, 'the payment gateway');
    let payment: PaymentState;
    payments++;
    try {
      payment = await startPayout.executeWithOptions({ ...paymentOptions, summary: `Pay ${displayAmount(amount)} (payment ${payments})` }, [
        { claimId: input.claimId, amount, attempt: payments },
      ]);
    } catch (error) {
      if (!isFailureOfType(error, 'PayoutAccountMissing') && !isFailureOfType(error, 'PaymentRejected')) throw error;
      payment = { paymentId: '', status: 'FAILED', failureReason: error.cause?.message ?? 'refused by the gateway' };
    }
    let wait = payoutCheck.firstMs;
    while (payment.status === 'PENDING') {
      state.enter('APPROVED', `Payment of ${displayAmount(amount)} sent, not yet settled`, 'the bank to settle the payment');
      if (await condition(withdrawn, wait)) {
        // Compensation: stop the payout; one that settled meanwhile cannot be, and the claim is paid.
        payment = await cancelPayout.executeWithOptions({ ...paymentOptions, summary: 'Stop the payment (withdrawn)' }, [{ paymentId: payment.paymentId }]);
        if (payment.status === 'CANCELED') return withdraw(payment, true);
        break;
      }
      payment = await checkPayout.executeWithOptions({ ...paymentOptions, summary: 'Check the payment' }, [{ paymentId: payment.paymentId }]);
      wait = Math.min(wait * 2, payoutCheck.maxMs);
    }
    // A gateway may take a cancellation and settle it later: wait for the outcome.
    while (payment.status === 'PENDING') {
      payment = await checkPayout.executeWithOptions({ ...paymentOptions, summary: 'Check the payment' }, [{ paymentId: payment.paymentId }]);
      if (payment.status === 'PENDING') await condition(() => false, payoutCheck.firstMs);
    }
    if (payment.status === 'CANCELED' && withdrawn()) return withdraw(payment, true);
    if (payment.status === 'PAID') {
      paymentSettled = true;
      const paid = await record(input, 'PAID', amount, [], {
        kind: 'PAYMENT',
        outcome: 'PAID',
        reasons: [...approved.reasons, { code: 'PAYMENT_SETTLED', message: `${displayAmount(amount)} was paid (payment ${payment.paymentId}).` }],
        decidedBy: 'automation',
        ruleSetVersion: 'payment',
        inputs: { payment, approved: approved.status },
      });
      return close(paid);
    }
    // Failed (or cancelled by the bank): a person decides what now, with the reason.
    const since = new Date().toISOString();
    const reasons: Reason[] = [{ code: 'PAYMENT_FAILED', message: `The payment of ${displayAmount(amount)} failed: ${payment.failureReason ?? payment.status.toLowerCase()}.` }];
    state.outcome = await record(input, 'IN_REVIEW', null, [], {
      kind: 'PAYMENT',
      outcome: 'FAILED',
      reasons,
      decidedBy: 'automation',
      ruleSetVersion: 'payment',
      inputs: { payment },
    }, { queue: 'adjusters', since });
    return since;
  };

  const analyses = new Map<string, DocumentFacts>();
  let policy: PolicySnapshot | null | undefined;

  const assess = async () => {
    // Documents that arrive while others are read are read before anything is decided.
    while (pending.length > 0) await readDocuments(input, state, pending.splice(0), analyses, (id) => [...known].indexOf(id) + 1);
    if (policy === undefined) {
      state.enter('CHECKING_COVERAGE', 'Checking coverage', `policy ${input.policyNumber}`);
      policy = await loadPolicyOrNull(input.policyNumber, blockers);
      if (pending.length > 0) return null;
    }
    const documents = [...analyses.values()];
    const { flags, version: reconciliationVersion } = reconcileDocuments(input, documents);
    let fraud: FraudAssessment | null = null;
    if (fraudScoring) {
      state.enter('CHECKING_COVERAGE', 'Fraud checks', 'the fraud checks');
      fraud = await assessFraud.executeWithOptions({ ...fraudOptions, summary: 'Fraud checks: rules, links, model' }, [{ claimId: input.claimId, flags }]);
      upsertSearchAttributes([{ key: FraudBandKey, value: fraud.band }]);
      if (pending.length > 0) return null;
    }
    const decided = decideClaim({
      claim: { ...input, descriptionHeard: input.descriptionHeard ?? true },
      policy,
      blockers,
      documents,
      flags,
      fraud,
      automation: automationAuthority ? (review.automation ?? defaultAutomationPolicy) : null,
    });
    coverage = decided.coverage;
    const { triage, authority } = decided;
    return {
      triage,
      flags,
      ruleSetVersion: [coverage?.version, reconciliationVersion, fraud?.rulesVersion, fraud?.modelVersion, authority?.version, triage.version].filter(Boolean).join('+'),
      inputs: { claim: input, policy, documents, coverage, flags, ...(fraud ? { fraud } : {}), ...(authority ? { authority } : {}) },
    };
  };

  for (;;) {
    const assessment = await assess();
    if (!assessment) continue;
    if (settlement && withdrawn()) return withdraw(null, false);
    const { triage, flags } = assessment;
    const automated = {
      kind: 'CLAIM_ASSESSMENT',
      outcome: triage.outcome,
      reasons: triage.reasons,
      decidedBy: 'automation' as const,
      ruleSetVersion: assessment.ruleSetVersion,
      inputs: assessment.inputs,
    };
    if (!humanReview) {
      state.enter(state.status, 'Recording the decision', 'the decision to be recorded');
      const outcome = await record(input, triage.outcome === 'APPROVE' ? 'APPROVED' : 'REFERRED', triage.outcome === 'APPROVE' ? triage.payable : null, flags, automated);
      state.decided(outcome);
      // Documents that arrived while the decision was being recorded are read, and the claim assessed
      // again (a second decision record).
      if (pending.length === 0) return outcome;
      continue;
    }

    let since: string;
    if (triage.outcome === 'APPROVE') {
      state.enter(state.status, 'Recording the decision', 'the decision to be recorded');
      const outcome = await record(input, 'APPROVED', triage.payable, flags, automated);
      if (pending.length > 0) continue;
      if (!settlement) {
        state.decided(outcome);
        return outcome;
      }
      state.outcome = outcome;
      const settled = await settle(outcome);
      if (typeof settled !== 'string') return settled;
      since = settled;
    } else {
      since = new Date().toISOString();
      state.outcome = await record(input, 'IN_REVIEW', null, flags, automated, { queue: 'adjusters', since });
      if (pending.length > 0) continue;
    }
    let assessAgain = false;
    while (!assessAgain) {
      const reviewed = await awaitReview(input, state, reviews, pending, since, review.serviceLevels, triage, withdrawn);
      if (reviewed === 'withdrawn') return withdraw(null, false);
      if (reviewed === null) {
        assessAgain = true; // documents arrived: read them and assess again
        continue;
      }
      if (!settlement) return reviewed;
      if (reviewed.status !== 'APPROVED') return close(reviewed);
      const settled = await settle(reviewed);
      if (typeof settled !== 'string') return settled;
      since = settled; // the payment failed: back to the adjusters
    }
  }
}

/**
 * Waits IN_REVIEW for an adjuster's decision, reminding the queue and then escalating to senior
 * adjusters as service levels pass. Returns the outcome once decided, or null when documents arrived
 * (the claim is then assessed again).
 */
async function awaitReview(
  input: ClaimWorkflowInput,
  state: ClaimState,
  reviews: ReviewTicket[],
  pending: string[],
  since: string,
  levels: { reviewReminderMs: number; reviewEscalationMs: number; documentsReminderMs: number; documentsDeadlineMs: number },
  automated: TriageDecision,
  withdrawn: () => boolean = () => false,
): Promise<ClaimOutcome | null | 'withdrawn'> {
  const started = Date.parse(since);
  let reminded = false;
  let escalated = false;
  state.wait('IN_REVIEW', 'adjusters', since, automated.reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n'));
  for (;;) {
    const next = !reminded ? started + levels.reviewReminderMs : !escalated ? started + levels.reviewEscalationMs : undefined;
    const waiting = () => reviews.length > 0 || pending.length > 0 || withdrawn();
    // Without a deadline condition() resolves to undefined, not true: wait, then it has arrived.
    const arrived = next === undefined ? (await condition(waiting), true) : await condition(waiting, Math.max(1, next - Date.now()));
    if (!arrived) {
      if (!reminded) {
        reminded = true;
        await notify.executeWithOptions({ ...recordOptions, summary: 'Remind adjusters' }, [
          { claimId: input.claimId, audience: 'adjusters', kind: 'REVIEW_REMINDER', message: `Claim ${input.claimId} has waited for review since ${since}.` },
        ]);
      } else {
        escalated = true;
        await updateWaiting.executeWithOptions({ ...recordOptions, summary: 'Escalate to senior adjusters' }, [
          { claimId: input.claimId, status: 'IN_REVIEW', waiting: { queue: 'senior-adjusters', since } },
        ]);
        await notify.executeWithOptions({ ...recordOptions, summary: 'Tell senior adjusters' }, [
          { claimId: input.claimId, audience: 'senior-adjusters', kind: 'REVIEW_ESCALATED', message: `Claim ${input.claimId} has waited for review since ${since} and is escalated to you.` },
        ]);
        state.wait('IN_REVIEW', 'senior-adjusters', since, 'Escalated: no adjuster decided within the service level.');
      }
      continue;
    }
    if (withdrawn()) return 'withdrawn';
    const ticket = reviews.shift();
    if (!ticket) return null; // documents arrived while in review: assess again
    const decision = ticket.input;
    const decidedBy: DecisionActor = `user:${decision.reviewer.id}`;
    const humanDecision = (outcome: string, reasons: readonly Reason[], extra: Record<string, unknown> = {}) => ({
      kind: 'ADJUSTER_DECISION',
      outcome,
      reasons,
      decidedBy,
      ruleSetVersion: 'human',
      inputs: { decision, automated: { outcome: automated.outcome, reasons: automated.reasons }, ...extra },
    });
    if (decision.action === 'approve') {
      const reasons: Reason[] = [{ code: 'APPROVED_ON_REVIEW', message: `Approved by ${decision.reviewer.role.replace('_', ' ')} ${decision.reviewer.id}.` }];
      if (decision.note) reasons.push({ code: 'REVIEWER_NOTE', message: decision.note });
      const outcome = await record(input, 'APPROVED', decision.amount, [], humanDecision('APPROVE', reasons, { override: automated.outcome === 'REFER' ? decision.note ?? null : null }));
      ticket.result = { status: 'APPROVED' };
      state.decided(outcome);
      return outcome;
    }
    if (decision.action === 'deny') {
      const reasons: Reason[] = [{ code: decision.reasonCode, message: denialReasons[decision.reasonCode] }];
      if (decision.note) reasons.push({ code: 'REVIEWER_NOTE', message: decision.note });
      const outcome = await record(input, 'DENIED', null, [], humanDecision('DENY', reasons));
      ticket.result = { status: 'DENIED' };
      state.decided(outcome);
      return outcome;
    }
    // Documents requested from the claimant.
    const askedAt = new Date().toISOString();
    const wanted = decision.documents.join(', ');
    await record(input, 'AWAITING_DOCUMENTS', null, [], humanDecision('REQUEST_DOCUMENTS', [{ code: 'DOCUMENTS_REQUESTED', message: `Requested: ${wanted}.` }]), {
      queue: 'claimant',
      since: askedAt,
      requestedDocuments: decision.documents,
    });
    state.wait('AWAITING_DOCUMENTS', 'claimant', askedAt, `Requested: ${wanted}`);
    ticket.result = { status: 'AWAITING_DOCUMENTS' };
    await notify.executeWithOptions({ ...recordOptions, summary: 'Ask the claimant for documents' }, [
      { claimId: input.claimId, audience: 'claimant', kind: 'DOCUMENTS_REQUESTED', message: `To continue with claim ${input.claimId}, please send: ${wanted}.` },
    ]);
    const received = await awaitDocuments(input, pending, askedAt, levels, wanted, withdrawn);
    if (withdrawn()) return 'withdrawn';
    if (received) return null;
    const outcome = await record(input, 'CLOSED_INCOMPLETE', null, [], {
      kind: 'CLAIM_CLOSED',
      outcome: 'CLOSE_INCOMPLETE',
      reasons: [{ code: 'DOCUMENTS_NOT_RECEIVED', message: `The documents requested on ${askedAt.slice(0, 10)} (${wanted}) were not received.` }],
      decidedBy: 'automation',
      ruleSetVersion: 'service-levels',
      inputs: { requested: decision.documents, askedAt, deadlineMs: levels.documentsDeadlineMs },
    });
    state.decided(outcome);
    return outcome;
  }
}

/** Waits for documents with reminders to the claimant; false when the deadline passes without any. */
async function awaitDocuments(
  input: ClaimWorkflowInput,
  pending: string[],
  askedAt: string,
  levels: { documentsReminderMs: number; documentsDeadlineMs: number },
  wanted: string,
  withdrawn: () => boolean,
): Promise<boolean> {
  const deadline = Date.parse(askedAt) + levels.documentsDeadlineMs;
  let reminders = 0;
  for (;;) {
    const nextReminder = Date.parse(askedAt) + (reminders + 1) * levels.documentsReminderMs;
    const until = Math.min(nextReminder, deadline);
    if (await condition(() => pending.length > 0 || withdrawn(), Math.max(1, until - Date.now()))) return true;
    if (Date.now() >= deadline) return false;
    reminders++;
    await notify.executeWithOptions({ ...recordOptions, summary: `Remind the claimant (${reminders})` }, [
      {
        claimId: input.claimId,
        audience: 'claimant',
        kind: 'DOCUMENTS_REMINDER',
        message: `Reminder: claim ${input.claimId} is waiting for ${wanted}. Without them it will be closed on ${new Date(deadline).toISOString().slice(0, 10)}.`,
      },
    ]);
  }
}

async function loadPolicyOrNull(policyNumber: string, blockers: Reason[]): Promise<PolicySnapshot | null> {
  try {
    return await loadPolicy.executeWithOptions({ ...loadPolicyOptions, summary: `Load policy ${policyNumber}` }, [policyNumber]);
  } catch (error) {
    if (!isFailureOfType(error, 'PolicyNotFound')) throw error;
    blockers.push({ code: 'POLICY_NOT_FOUND', message: `Policy ${policyNumber} could not be found.` });
    return null;
  }
}

async function readDocuments(
  input: ClaimWorkflowInput,
  state: ClaimState,
  batch: string[],
  analyses: Map<string, DocumentFacts>,
  positionOf: (documentId: string) => number,
): Promise<void> {
  const progress = () => `documents read: ${state.documents.done + state.documents.failed} of ${state.documents.total}`;
  const report = () =>
    state.enter('ANALYZING_DOCUMENTS', 'Reading documents', progress(), `**Reading documents**\n\n${progress()} (page progress: the pending activities)`);
  report();
  await Promise.all(
    batch.map(async (documentId) => {
      try {
        const analysis: DocumentAnalysis = await analyzeDocument.executeWithOptions(
          { ...analyzeDocumentOptions, summary: `Read document ${positionOf(documentId)} of ${state.documents.total} (${documentId})` },
          [{ claimId: input.claimId, documentId }],
        );
        analyses.set(documentId, {
          documentId,
          fileName: analysis.fileName,
          readable: true,
          problem: null,
          kind: analysis.extraction.kind,
          fields: analysis.extraction.fields,
          ...(analysis.extraction.amountsPrinted === undefined ? {} : { amountsPrinted: analysis.extraction.amountsPrinted }),
          receivedOn: analysis.receivedOn,
        });
        state.documents.done++;
      } catch (error) {
        if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
        // Never dropped: an unreadable document stays on the claim and sends it to a person.
        analyses.set(documentId, {
          documentId,
          fileName: documentId,
          readable: false,
          problem: error.cause?.message ?? error.message,
          kind: 'other',
          fields: {},
          receivedOn: input.reportedOn,
        });
        state.documents.failed++;
      }
      report();
    }),
  );
}

async function record(
  input: ClaimWorkflowInput,
  status: ClaimStatus,
  payable: Money | null,
  flags: readonly Flag[],
  decision: { kind: string; outcome: string; reasons: readonly Reason[]; decidedBy: DecisionActor; ruleSetVersion: string; inputs: unknown },
  waiting?: Waiting,
): Promise<ClaimOutcome> {
  await recordClaimDecision.executeWithOptions({ ...recordOptions, summary: `Record decision: ${decision.outcome}` }, [
    { claimId: input.claimId, status, payable, flags, decision, ...(waiting ? { waiting } : {}) },
  ]);
  return { claimId: input.claimId, status, payable, reasons: decision.reasons, flags };
}

/** The first workflow version: documents verified for integrity only, one assessment. */
async function assessWithVerifiedDocuments(input: ClaimWorkflowInput, state: ClaimState, blockers: Reason[]): Promise<ClaimOutcome> {
  const verifications: DocumentVerification[] = [];
  if (input.documentIds.length > 0) {
    const docProgress = () => `document checks, ${state.documents.done + state.documents.failed} of ${state.documents.total} done`;
    state.enter('VERIFYING_DOCUMENTS', 'Verifying documents', docProgress());
    await Promise.all(
      input.documentIds.map(async (documentId, index) => {
        let result: DocumentVerification;
        try {
          result = await verifyDocument.executeWithOptions(
            { ...verifyDocumentOptions, summary: `Verify document ${index + 1} of ${state.documents.total} (${documentId})` },
            [{ claimId: input.claimId, documentId }],
          );
        } catch (error) {
          if (!(error instanceof ActivityFailure)) throw error;
          result = {
            documentId,
            verified: false,
            mediaType: 'unknown',
            sizeBytes: 0,
            problem: `verification failed permanently (${error.cause?.message ?? error.message})`,
          };
        }
        verifications.push(result);
        if (result.verified) state.documents.done++;
        else state.documents.failed++;
        state.enter('VERIFYING_DOCUMENTS', 'Verifying documents', docProgress());
      }),
    );
  }

  state.enter('CHECKING_COVERAGE', 'Checking coverage', `policy ${input.policyNumber}`);
  const policy = await loadPolicyOrNull(input.policyNumber, blockers);
  let coverage: CoverageAssessment | null = null;
  if (policy && blockers.length === 0) {
    coverage = assessCoverage(policy, { incidentDate: input.incidentDate, peril: input.peril, claimed: input.claimed });
  }
  const triage = triageClaim({
    blockers,
    coverage,
    unverifiedDocuments: verifications
      .filter((v) => !v.verified)
      .map((v) => ({ documentId: v.documentId, reason: v.problem ?? 'unknown problem' })),
  });

  state.step = 'Recording the decision';
  state.waitingFor = 'the decision to be recorded';
  setCurrentDetails(`**${state.step}**`);
  const outcome = await record(input, triage.outcome === 'APPROVE' ? 'APPROVED' : 'REFERRED', triage.outcome === 'APPROVE' ? triage.payable : null, [], {
    kind: 'CLAIM_ASSESSMENT',
    outcome: triage.outcome,
    reasons: triage.reasons,
    decidedBy: 'automation',
    ruleSetVersion: [coverage?.version, triage.version].filter(Boolean).join('+'),
    inputs: { claim: input, policy, documents: verifications, coverage },
  });
  state.decided(outcome);
  return outcome;
}
