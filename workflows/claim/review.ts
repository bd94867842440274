// People's part of a claim: waiting in review for an adjuster's decision (reminding the queue, then
// escalating to senior adjusters as the service levels pass), and waiting for documents an adjuster
// asked the claimant for (reminders, then closing the claim at the deadline).
import { condition, patched } from '@temporalio/workflow';
import type { DecisionActor, Reason } from '../../domain/shared/decision.ts';
import { denialReasons, type ServiceLevels } from '../../domain/shared/review.ts';
import type { TriageDecision } from '../../domain/claims/triage.ts';
import { RecordRefusal, recordOrRefusal } from '../failures.ts';
import { waitWithServiceLevels } from '../service-levels.ts';
import { notify, options, record, updateWaiting } from './activities.ts';
import type { ClaimOutcome, ClaimWorkflowInput } from './messages.ts';
import type { ClaimState } from './state.ts';

/** From this version on, an adjuster can send a claim in review to the senior adjusters. */
export const referToSeniorPatch = 'refer-to-senior';
/** What a person whose decision could not be recorded is told of the claim. */
export const waitingClaim = 'the claim is still waiting for a decision';
/**
 * The rules' assessment could not be recorded (the database refused it for good): the claim goes to the
 * adjusters with that reason instead of its flags and inputs (whatever of them was refused), and what
 * the rules found is left for the person to see again by assessing it. Returns the referral they are shown.
 */
export async function referUnrecordedAssessment(
  input: ClaimWorkflowInput,
  state: ClaimState,
  automated: TriageDecision,
  refusal: RecordRefusal,
  since: string,
): Promise<TriageDecision> {
  const why: Reason = {
    code: 'RECORD_REFUSED',
    message: `The automated assessment (${automated.outcome}) could not be recorded. ${refusal.refused} A person decides this claim.`,
  };
  state.outcome = await record(
    input,
    'IN_REVIEW',
    null,
    [],
    {
      kind: 'CLAIM_ASSESSMENT',
      outcome: 'REFER',
      reasons: [why],
      decidedBy: 'automation',
      ruleSetVersion: automated.version,
      inputs: { unrecorded: { outcome: automated.outcome, codes: automated.reasons.map((r) => r.code) } },
    },
    { queue: 'adjusters', since },
  );
  return { outcome: 'REFER', payable: null, reasons: [why], version: automated.version };
}

/**
 * Waits IN_REVIEW for an adjuster's decision, reminding the queue and then escalating to senior
 * adjusters as service levels pass. Returns the outcome once decided, or null when documents arrived
 * (the claim is then assessed again).
 */
export async function awaitReview(
  input: ClaimWorkflowInput,
  state: ClaimState,
  since: string,
  levels: ServiceLevels,
  automated: TriageDecision,
): Promise<ClaimOutcome | null | 'withdrawn'> {
  const { reviews, pending, withdrawn, referrals } = state;
  state.wait('IN_REVIEW', 'adjusters', since, automated.reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n'));
  const toSeniors = async (why: string) => {
    await notify.executeWithOptions({ ...options.record, summary: 'Tell senior adjusters' }, [
      {
        claimId: input.claimId,
        audience: 'senior-adjusters',
        kind: 'REVIEW_ESCALATED',
        message: `Claim ${input.claimId} has waited for review since ${since} and is escalated to you.${why ? ` ${why}` : ''}`,
      },
    ]);
  };
  // Old histories never hold a referral, so the extra condition is false in their replay.
  const decidedOrChanged = () => reviews.length > 0 || pending.length > 0 || withdrawn();
  await waitWithServiceLevels(
    () => decidedOrChanged() || referrals.length > 0,
    since,
    { reminderMs: levels.reviewReminderMs, escalationMs: levels.reviewEscalationMs },
    {
      remind: async () => {
        await notify.executeWithOptions({ ...options.record, summary: 'Remind adjusters' }, [
          {
            claimId: input.claimId,
            audience: 'adjusters',
            kind: 'REVIEW_REMINDER',
            message: `Claim ${input.claimId} has waited for review since ${since}.`,
          },
        ]);
      },
      escalate: async () => {
        // A referral taken first has already moved the claim to the seniors.
        if (state.queue === 'senior-adjusters') return;
        await updateWaiting.executeWithOptions({ ...options.record, summary: 'Escalate to senior adjusters' }, [
          { claimId: input.claimId, status: 'IN_REVIEW', waiting: { queue: 'senior-adjusters', since } },
        ]);
        await toSeniors('');
        state.wait('IN_REVIEW', 'senior-adjusters', since, 'Escalated: no adjuster decided within the service level.');
      },
    },
  );
  const referral = !decidedOrChanged() ? referrals.shift() : undefined;
  if (referral && patched(referToSeniorPatch)) {
    const { reviewer, note } = referral.input;
    const why: Reason = { code: 'REFERRED_TO_SENIOR', message: `Sent to a senior adjuster by adjuster ${reviewer.id}: ${note}` };
    const referred = await recordOrRefusal(waitingClaim, () =>
      record(
        input,
        'IN_REVIEW',
        null,
        [],
        {
          kind: 'ADJUSTER_REFERRAL',
          outcome: 'REFER',
          reasons: [why, ...automated.reasons],
          decidedBy: `user:${reviewer.id}`,
          ruleSetVersion: 'human',
          inputs: { referral: referral.input, automated: { outcome: automated.outcome, reasons: automated.reasons } },
        },
        { queue: 'senior-adjusters', since },
      ),
    );
    if (referred instanceof RecordRefusal) {
      referral.refusal = referred;
      referral.done = true;
      return awaitReview(input, state, since, levels, automated);
    }
    await toSeniors(`Adjuster ${reviewer.id}: ${note}`);
    state.wait(
      'IN_REVIEW',
      'senior-adjusters',
      since,
      `${why.message}\n\n${automated.reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n')}`,
    );
    referral.done = true;
    await condition(decidedOrChanged);
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
  // A decision the database refuses is refused to the adjuster, and the claim waits for another.
  const refused = (refusal: RecordRefusal) => {
    ticket.refusal = refusal;
    return awaitReview(input, state, since, levels, automated);
  };
  if (decision.action === 'approve') {
    const reasons: Reason[] = [
      { code: 'APPROVED_ON_REVIEW', message: `Approved by ${decision.reviewer.role.replace('_', ' ')} ${decision.reviewer.id}.` },
    ];
    if (decision.note) reasons.push({ code: 'REVIEWER_NOTE', message: decision.note });
    const outcome = await recordOrRefusal(waitingClaim, () =>
      record(
        input,
        'APPROVED',
        decision.amount,
        [],
        humanDecision('APPROVE', reasons, { override: automated.outcome === 'REFER' ? (decision.note ?? null) : null }),
      ),
    );
    if (outcome instanceof RecordRefusal) return refused(outcome);
    ticket.result = { status: 'APPROVED' };
    state.decided(outcome);
    return outcome;
  }
  if (decision.action === 'deny') {
    const reasons: Reason[] = [{ code: decision.reasonCode, message: denialReasons[decision.reasonCode] }];
    if (decision.note) reasons.push({ code: 'REVIEWER_NOTE', message: decision.note });
    const outcome = await recordOrRefusal(waitingClaim, () => record(input, 'DENIED', null, [], humanDecision('DENY', reasons)));
    if (outcome instanceof RecordRefusal) return refused(outcome);
    ticket.result = { status: 'DENIED' };
    state.decided(outcome);
    return outcome;
  }
  // Documents requested from the claimant.
  const askedAt = new Date().toISOString();
  const wanted = decision.documents.join(', ');
  const asked = await recordOrRefusal(waitingClaim, () =>
    record(
      input,
      'AWAITING_DOCUMENTS',
      null,
      [],
      humanDecision('REQUEST_DOCUMENTS', [{ code: 'DOCUMENTS_REQUESTED', message: `Requested: ${wanted}.` }]),
      {
        queue: 'claimant',
        since: askedAt,
        requestedDocuments: decision.documents,
      },
    ),
  );
  if (asked instanceof RecordRefusal) return refused(asked);
  state.wait('AWAITING_DOCUMENTS', 'claimant', askedAt, `Requested: ${wanted}`);
  ticket.result = { status: 'AWAITING_DOCUMENTS' };
  await notify.executeWithOptions({ ...options.record, summary: 'Ask the claimant for documents' }, [
    {
      claimId: input.claimId,
      audience: 'claimant',
      kind: 'DOCUMENTS_REQUESTED',
      message: `To continue with claim ${input.claimId}, please send: ${wanted}.`,
    },
  ]);
  const received = await awaitDocuments(input, state, askedAt, levels, wanted);
  if (withdrawn()) return 'withdrawn';
  if (received) return null;
  const outcome = await record(input, 'CLOSED_INCOMPLETE', null, [], {
    kind: 'CLAIM_CLOSED',
    outcome: 'CLOSE_INCOMPLETE',
    reasons: [
      { code: 'DOCUMENTS_NOT_RECEIVED', message: `The documents requested on ${askedAt.slice(0, 10)} (${wanted}) were not received.` },
    ],
    decidedBy: 'automation',
    ruleSetVersion: 'service-levels',
    inputs: { requested: decision.documents, askedAt, deadlineMs: levels.documentsDeadlineMs },
  });
  state.decided(outcome);
  return outcome;
}

/** Waits for documents with reminders to the claimant; false when the deadline passes without any. */
export async function awaitDocuments(
  input: ClaimWorkflowInput,
  state: ClaimState,
  askedAt: string,
  levels: Pick<ServiceLevels, 'documentsReminderMs' | 'documentsDeadlineMs'>,
  wanted: string,
): Promise<boolean> {
  const deadline = Date.parse(askedAt) + levels.documentsDeadlineMs;
  let reminders = 0;
  for (;;) {
    const nextReminder = Date.parse(askedAt) + (reminders + 1) * levels.documentsReminderMs;
    const until = Math.min(nextReminder, deadline);
    if (await condition(() => state.pending.length > 0 || state.withdrawn(), Math.max(1, until - Date.now()))) return true;
    if (Date.now() >= deadline) return false;
    reminders++;
    await notify.executeWithOptions({ ...options.record, summary: `Remind the claimant (${reminders})` }, [
      {
        claimId: input.claimId,
        audience: 'claimant',
        kind: 'DOCUMENTS_REMINDER',
        message: `Reminder: claim ${input.claimId} is waiting for ${wanted}. Without them it will be closed on ${new Date(deadline).toISOString().slice(0, 10)}.`,
      },
    ]);
  }
}
