// Claim workflow, first version: validate -> verify documents -> load policy -> coverage -> triage ->
// record the decision. Thin orchestration: every decision is a pure domain function, every side effect
// an activity with its own timeouts and retry policy.
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { ClaimActivities } from '../../activities/claims/index.ts';
import type { DocumentActivities, DocumentVerification } from '../../activities/documents/index.ts';
import { checkClaimFacts, type ClaimStatus } from '../../domain/claim.ts';
import { assessCoverage, type CoverageAssessment } from '../../domain/coverage.ts';
import type { Reason } from '../../domain/decision.ts';
import { displayAmount } from '../../domain/money.ts';
import type { PolicySnapshot } from '../../domain/policy.ts';
import { triageClaim } from '../../domain/triage.ts';
import { ClaimStatusKey } from '../../temporal/search-attributes.ts';
import { taskQueues } from '../../temporal/task-queues.ts';
import { claimStatusQuery, type ClaimOutcome, type ClaimProgress, type ClaimWorkflowInput } from './messages.ts';

// Reads of the business record: quick, and retried without limit while the database is unreachable
// (the pending activity shows the attempts in the Web UI); a missing policy is a fact, not an outage.
const loadPolicyOptions: ActivityOptions = {
  taskQueue: taskQueues.claims,
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['PolicyNotFound'] },
};
// The decision must be recorded eventually, however long the database is away.
const recordDecisionOptions: ActivityOptions = {
  taskQueue: taskQueues.claims,
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['ClaimNotFound'] },
};
// CPU-bound document work on its own queue. A document that still fails after a few attempts sends the
// claim to a person rather than holding it forever.
const verifyDocumentOptions: ActivityOptions = {
  taskQueue: taskQueues.documents,
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: ['DocumentNotFound'] },
};

const { loadPolicy } = proxyActivities<ClaimActivities>(loadPolicyOptions);
const { recordClaimDecision } = proxyActivities<ClaimActivities>(recordDecisionOptions);
const { verifyDocument } = proxyActivities<DocumentActivities>(verifyDocumentOptions);

function isFailureOfType(error: unknown, type: string): error is ActivityFailure {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;
}

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<ClaimOutcome> {
  let status: ClaimStatus = 'RECEIVED';
  let step = 'Received';
  let waitingFor: string | null = null;
  let outcome: ClaimOutcome | null = null;
  const documents = { total: input.documentIds.length, verified: 0, failed: 0 };

  setHandler(claimStatusQuery, (): ClaimProgress => ({
    claimId: input.claimId,
    status,
    step,
    waitingFor,
    documents: { ...documents },
    outcome,
  }));

  const enter = (next: ClaimStatus, nextStep: string, nextWaitingFor: string | null): void => {
    if (next !== status) upsertSearchAttributes([{ key: ClaimStatusKey, value: next }]);
    status = next;
    step = nextStep;
    waitingFor = nextWaitingFor;
    setCurrentDetails(`**${nextStep}**${nextWaitingFor ? `\n\nWaiting for: ${nextWaitingFor}` : ''}`);
  };

  const blockers: Reason[] = checkClaimFacts({ ...input });

  const verifications: DocumentVerification[] = [];
  if (input.documentIds.length > 0) {
    const docProgress = () => `document checks, ${documents.verified + documents.failed} of ${documents.total} done`;
    enter('VERIFYING_DOCUMENTS', 'Verifying documents', docProgress());
    await Promise.all(
      input.documentIds.map(async (documentId, index) => {
        let result: DocumentVerification;
        try {
          result = await verifyDocument.executeWithOptions(
            { ...verifyDocumentOptions, summary: `Verify document ${index + 1} of ${documents.total} (${documentId})` },
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
        if (result.verified) documents.verified++;
        else documents.failed++;
        enter('VERIFYING_DOCUMENTS', 'Verifying documents', docProgress());
      }),
    );
  }

  enter('CHECKING_COVERAGE', 'Checking coverage', `policy ${input.policyNumber}`);
  let policy: PolicySnapshot | null = null;
  try {
    policy = await loadPolicy.executeWithOptions({ ...loadPolicyOptions, summary: `Load policy ${input.policyNumber}` }, [
      input.policyNumber,
    ]);
  } catch (error) {
    if (!isFailureOfType(error, 'PolicyNotFound')) throw error;
    blockers.push({ code: 'POLICY_NOT_FOUND', message: `Policy ${input.policyNumber} could not be found.` });
  }

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
  const decidedStatus: ClaimStatus = triage.outcome === 'APPROVE' ? 'APPROVED' : 'REFERRED';

  step = 'Recording the decision';
  waitingFor = 'the decision to be recorded';
  setCurrentDetails(`**${step}**`);
  await recordClaimDecision.executeWithOptions(
    { ...recordDecisionOptions, summary: `Record decision: ${triage.outcome}` },
    [
      {
        claimId: input.claimId,
        status: decidedStatus,
        payable: triage.outcome === 'APPROVE' ? triage.payable : null,
        decision: {
          kind: 'CLAIM_ASSESSMENT',
          outcome: triage.outcome,
          reasons: triage.reasons,
          ruleSetVersion: [coverage?.version, triage.version].filter(Boolean).join('+'),
          decidedBy: 'automation',
          inputs: { claim: input, policy, documents: verifications, coverage },
        },
      },
    ],
  );

  outcome = {
    claimId: input.claimId,
    status: decidedStatus,
    payable: triage.outcome === 'APPROVE' ? triage.payable : null,
    reasons: triage.reasons,
  };
  if (decidedStatus === 'APPROVED' && outcome.payable) {
    enter('APPROVED', `Approved: ${displayAmount(outcome.payable)} payable`, null);
  } else {
    const why = triage.reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n');
    enter('REFERRED', 'Referred to an adjuster', null);
    setCurrentDetails(`**Referred to an adjuster**\n\n${why}`);
  }
  return outcome;
}
