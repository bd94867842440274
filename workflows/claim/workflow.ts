// Claim workflow: validate -> read documents -> load policy -> coverage -> reconcile documents with the
// claim -> triage -> record the decision. Thin orchestration: every decision is a pure domain function,
// every side effect an activity with its own timeouts and retry policy.
//
// Versions: claims started before document reading existed verified their documents' integrity only;
// they replay through `assessWithVerifiedDocuments`, selected by the `document-analysis` patch.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { ClaimActivities } from '../../activities/claims/index.ts';
import type { DocumentActivities, DocumentAnalysis, DocumentVerification } from '../../activities/documents/index.ts';
import { checkClaimFacts, type ClaimStatus } from '../../domain/claim.ts';
import { assessCoverage, type CoverageAssessment } from '../../domain/coverage.ts';
import type { Reason } from '../../domain/decision.ts';
import { reconcileDocuments, type DocumentFacts, type Flag } from '../../domain/documents/reconcile.ts';
import { displayAmount } from '../../domain/money.ts';
import type { PolicySnapshot } from '../../domain/policy.ts';
import { triageClaim, type TriageDecision } from '../../domain/triage.ts';
import { ClaimStatusKey } from '../../temporal/search-attributes.ts';
import { taskQueues } from '../../temporal/task-queues.ts';
import {
  addDocumentsSignal,
  claimStatusQuery,
  type ClaimOutcome,
  type ClaimProgress,
  type ClaimWorkflowInput,
} from './messages.ts';

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
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 3,
    nonRetryableErrorTypes: ['DocumentNotFound', 'DocumentMissing', 'DocumentAltered', 'UnreadableDocument'],
  },
};

const { loadPolicy } = proxyActivities<ClaimActivities>(loadPolicyOptions);
const { recordClaimDecision } = proxyActivities<ClaimActivities>(recordDecisionOptions);
const { verifyDocument } = proxyActivities<DocumentActivities>(verifyDocumentOptions);
const { analyzeDocument } = proxyActivities<DocumentActivities>(analyzeDocumentOptions);

export const documentAnalysisPatch = 'document-analysis';

function isFailureOfType(error: unknown, type: string): error is ActivityFailure {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;
}

/** The state every step reports through: the `status` query, the search attribute, current details. */
class ClaimState {
  status: ClaimStatus = 'RECEIVED';
  step = 'Received';
  waitingFor: string | null = null;
  outcome: ClaimOutcome | null = null;
  readonly documents = { total: 0, done: 0, failed: 0 };
  readonly claimId: string;

  constructor(claimId: string, documents: number) {
    this.claimId = claimId;
    this.documents.total = documents;
  }

  progress(): ClaimProgress {
    return { claimId: this.claimId, status: this.status, step: this.step, waitingFor: this.waitingFor, documents: { ...this.documents }, outcome: this.outcome };
  }

  enter(status: ClaimStatus, step: string, waitingFor: string | null, details?: string): void {
    if (status !== this.status) upsertSearchAttributes([{ key: ClaimStatusKey, value: status }]);
    this.status = status;
    this.step = step;
    this.waitingFor = waitingFor;
    setCurrentDetails(details ?? `**${step}**${waitingFor ? `\n\nWaiting for: ${waitingFor}` : ''}`);
  }

  decided(outcome: ClaimOutcome): void {
    this.outcome = outcome;
    if (outcome.status === 'APPROVED' && outcome.payable) {
      this.enter('APPROVED', `Approved: ${displayAmount(outcome.payable)} payable`, null);
    } else {
      const why = outcome.reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n');
      this.enter('REFERRED', 'Referred to an adjuster', null, `**Referred to an adjuster**\n\n${why}`);
    }
  }
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

  const blockers: Reason[] = checkClaimFacts({ ...input });
  if (!patched(documentAnalysisPatch)) return assessWithVerifiedDocuments(input, state, blockers);

  const analyses = new Map<string, DocumentFacts>();
  let policy: PolicySnapshot | null | undefined;
  for (;;) {
    // Documents that arrive while others are read are read before anything is decided.
    while (pending.length > 0) await readDocuments(input, state, pending.splice(0), analyses, (id) => [...known].indexOf(id) + 1);

    if (policy === undefined) {
      state.enter('CHECKING_COVERAGE', 'Checking coverage', `policy ${input.policyNumber}`);
      policy = await loadPolicyOrNull(input.policyNumber, blockers);
      if (pending.length > 0) continue;
    }
    const coverage = policy && blockers.length === 0 ? assessCoverage(policy, { ...input }) : null;
    const documents = [...analyses.values()];
    const { flags, version: reconciliationVersion } = reconcileDocuments(input, documents);
    const triage = triageClaim({ blockers, coverage, unverifiedDocuments: [], flags });

    state.enter(state.status, 'Recording the decision', 'the decision to be recorded');
    const outcome = await record(input, triage, flags, {
      ruleSetVersion: [coverage?.version, reconciliationVersion, triage.version].filter(Boolean).join('+'),
      inputs: { claim: input, policy, documents, coverage, flags },
    });
    state.decided(outcome);
    // Documents that arrived while the decision was being recorded are read, and the claim assessed again
    // (a second decision record).
    if (pending.length === 0) return outcome;
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
  triage: TriageDecision,
  flags: readonly Flag[],
  decision: { ruleSetVersion: string; inputs: unknown },
): Promise<ClaimOutcome> {
  const status: ClaimStatus = triage.outcome === 'APPROVE' ? 'APPROVED' : 'REFERRED';
  const payable = triage.outcome === 'APPROVE' ? triage.payable : null;
  await recordClaimDecision.executeWithOptions({ ...recordDecisionOptions, summary: `Record decision: ${triage.outcome}` }, [
    {
      claimId: input.claimId,
      status,
      payable,
      flags,
      decision: { kind: 'CLAIM_ASSESSMENT', outcome: triage.outcome, reasons: triage.reasons, decidedBy: 'automation', ...decision },
    },
  ]);
  return { claimId: input.claimId, status, payable, reasons: triage.reasons, flags };
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
  const outcome = await record(input, triage, [], {
    ruleSetVersion: [coverage?.version, triage.version].filter(Boolean).join('+'),
    inputs: { claim: input, policy, documents: verifications, coverage },
  });
  state.decided(outcome);
  return outcome;
}
