// Underwriting workflow: price (activity: the committed tariff) -> decide (pure: hard rules win, then
// referrals, loadings and the floor) -> record -> issue the policy, or wait for an underwriter when the
// engine refers or proposes a decline. The engine never declines on its own.
import { ApplicationFailure, condition, proxyActivities, setCurrentDetails, setHandler, type ActivityOptions } from '@temporalio/workflow';
import type { UnderwritingActivities } from '../../activities/underwriting/index.ts';
import type { Reason } from '../../domain/decision.ts';
import { displayAmount } from '../../domain/money.ts';
import { decideApplication } from '../../domain/underwriting/decide.ts';
import { motorcycleProduct as product } from '../../domain/underwriting/product.ts';
import { taskQueues } from '../../temporal/task-queues.ts';
import {
  applicationStatusQuery,
  underwriterDecisionUpdate,
  type UnderwriterDecision,
  type UnderwritingInput,
  type UnderwritingProgress,
  type UnderwritingResult,
} from './messages.ts';

const options: ActivityOptions = {
  taskQueue: taskQueues.claims,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['ApplicationNotFound'] },
};
const { priceApplication, recordApplicationDecision, issuePolicy } = proxyActivities<UnderwritingActivities>(options);

/** Reasons an underwriter may decline for (the letter and the record say them in words). */
export const declineReasons: Record<string, string> = {
  OUTSIDE_APPETITE: 'The risk is outside what we insure.',
  CLAIMS_HISTORY: 'The claims history does not allow us to offer cover.',
  MISREPRESENTATION: 'Information given in the application was materially incorrect.',
  ELIGIBILITY: 'The applicant does not meet the conditions of the product.',
};

export async function underwritingWorkflow(input: UnderwritingInput): Promise<UnderwritingResult> {
  let progress: UnderwritingProgress = { status: 'ASSESSING', proposal: null };
  setHandler(applicationStatusQuery, () => progress);
  setCurrentDetails('**Assessing the application**');

  const priced = await priceApplication.executeWithOptions({ ...options, summary: 'Price from the tariff' }, [{ applicationId: input.applicationId }]);
  const decision = decideApplication(product, priced.facts, priced.riskPremiumMinor);
  // The floor: the tariff's expected claims and expenses; no one prices below it.
  const floorMinor = Math.round(priced.riskPremiumMinor / (1 - product.expenseRatio));
  progress = { status: 'ASSESSING', proposal: { outcome: decision.outcome, premiumMinor: decision.premiumMinor, reasons: decision.reasons } };
  const automated = {
    kind: 'UNDERWRITING_ASSESSMENT',
    outcome: decision.outcome,
    reasons: decision.reasons,
    premiumMinor: decision.premiumMinor,
    loading: decision.loading,
    decidedBy: 'automation',
    ruleSetVersion: `${decision.version}+${product.version}+${priced.tariffVersion}`,
    inputs: { facts: priced.facts, cell: priced.cell, riskPremiumMinor: priced.riskPremiumMinor, relativities: priced.relativities },
  };

  const issue = async (premiumMinor: number, reasons: readonly Reason[]): Promise<UnderwritingResult> => {
    progress = { ...progress, status: 'ISSUING' };
    setCurrentDetails(`**Issuing the policy**: ${displayAmount({ minor: premiumMinor, currency: product.currency })} a year`);
    const { policyNumber } = await issuePolicy.executeWithOptions({ ...options, summary: 'Issue the policy and its document' }, [
      { applicationId: input.applicationId, premiumMinor, reasons: reasons.map((r) => r.message) },
    ]);
    progress = { ...progress, status: 'ISSUED' };
    setCurrentDetails(`**Issued** policy ${policyNumber}`);
    return { applicationId: input.applicationId, status: 'ISSUED', policyNumber, premiumMinor, reasons };
  };

  if (decision.outcome === 'ACCEPT' || decision.outcome === 'ACCEPT_RATED') {
    await recordApplicationDecision.executeWithOptions({ ...options, summary: `Record decision: ${decision.outcome}` }, [
      { applicationId: input.applicationId, status: 'RECEIVED', premiumMinor: decision.premiumMinor, decision: automated },
    ]);
    return issue(decision.premiumMinor!, decision.reasons);
  }

  // Referred, or a decline proposed: an underwriter decides.
  await recordApplicationDecision.executeWithOptions({ ...options, summary: `Record decision: ${decision.outcome}` }, [
    { applicationId: input.applicationId, status: 'IN_REVIEW', premiumMinor: decision.premiumMinor, decision: automated },
  ]);
  progress = { ...progress, status: 'IN_REVIEW' };
  setCurrentDetails(`**Waiting for an underwriter**\n\n${decision.reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n')}`);
  let taken: UnderwriterDecision | null = null;
  setHandler(
    underwriterDecisionUpdate,
    async (d) => {
      taken = d;
      await condition(() => progress.status === 'ISSUED' || progress.status === 'DECLINED');
      return { status: progress.status };
    },
    {
      validator: (d: UnderwriterDecision) => {
        const refuse = (type: string, message: string) => {
          throw ApplicationFailure.create({ type, message, nonRetryable: true });
        };
        if (taken || progress.status !== 'IN_REVIEW') refuse('NOT_AWAITING_UNDERWRITER', 'The application is not waiting for an underwriter.');
        if (d.action === 'decline' && !declineReasons[d.reasonCode]) refuse('UNKNOWN_REASON', `Decline reason must be one of ${Object.keys(declineReasons).join(', ')}.`);
        if (d.action === 'accept') {
          const premium = d.premiumMinor ?? decision.premiumMinor;
          // Rules dispose: no one accepts what the hard rules exclude without saying why, or below the floor.
          if (premium === null) refuse('PREMIUM_REQUIRED', 'This application has no engine price; give the premium.');
          if (premium !== null && premium < floorMinor) refuse('BELOW_PRICE_FLOOR', `The premium may not be below ${displayAmount({ minor: floorMinor, currency: product.currency })}.`);
          if (decision.outcome === 'PROPOSE_DECLINE' && !d.note) refuse('OVERRIDE_REASON_REQUIRED', 'Accepting what the rules exclude needs a note saying why.');
        }
      },
    },
  );
  await condition(() => taken !== null);
  const d = taken!;
  if (d.action === 'decline') {
    const reasons: Reason[] = [{ code: d.reasonCode, message: declineReasons[d.reasonCode]! }, ...(d.note ? [{ code: 'UNDERWRITER_NOTE', message: d.note }] : [])];
    await recordApplicationDecision.executeWithOptions({ ...options, summary: 'Record decision: DECLINE' }, [
      { applicationId: input.applicationId, status: 'DECLINED', premiumMinor: null, decision: { kind: 'UNDERWRITER_DECISION', outcome: 'DECLINE', reasons, decidedBy: `user:${d.underwriter}`, automated: decision.outcome } },
    ]);
    progress = { ...progress, status: 'DECLINED' };
    setCurrentDetails(`**Declined** by ${d.underwriter}`);
    return { applicationId: input.applicationId, status: 'DECLINED', policyNumber: null, premiumMinor: null, reasons };
  }
  const premiumMinor = d.premiumMinor ?? decision.premiumMinor!;
  const reasons: Reason[] = [{ code: 'ACCEPTED_ON_REVIEW', message: `Accepted by underwriter ${d.underwriter}.` }, ...(d.note ? [{ code: 'UNDERWRITER_NOTE', message: d.note }] : [])];
  await recordApplicationDecision.executeWithOptions({ ...options, summary: 'Record decision: ACCEPT' }, [
    {
      applicationId: input.applicationId,
      status: 'IN_REVIEW',
      premiumMinor,
      decision: { kind: 'UNDERWRITER_DECISION', outcome: 'ACCEPT', reasons, premiumMinor, decidedBy: `user:${d.underwriter}`, automated: decision.outcome, override: decision.outcome === 'PROPOSE_DECLINE' ? d.note : null },
    },
  ]);
  return issue(premiumMinor, reasons);
}
