// The first version of the claim workflow, kept for claims started before documents were read: the
// documents verified for integrity only, one assessment, ending REFERRED or APPROVED.
import { ActivityFailure, setCurrentDetails } from '@temporalio/workflow';
import type { DocumentVerification } from '../../activities/documents/index.ts';
import { assessCoverage, type CoverageAssessment } from '../../domain/claims/coverage.ts';
import type { Reason } from '../../domain/shared/decision.ts';
import { triageClaim } from '../../domain/claims/triage.ts';
import { loadPolicyOrNull, options, record, verifyDocument } from './activities.ts';
import type { ClaimOutcome, ClaimWorkflowInput } from './messages.ts';
import type { ClaimState } from './state.ts';

export /** The first workflow version: documents verified for integrity only, one assessment. */
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
            { ...options.verifyDocument, summary: `Verify document ${index + 1} of ${state.documents.total} (${documentId})` },
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
  const outcome = await record(
    input,
    triage.outcome === 'APPROVE' ? 'APPROVED' : 'REFERRED',
    triage.outcome === 'APPROVE' ? triage.payable : null,
    [],
    {
      kind: 'CLAIM_ASSESSMENT',
      outcome: triage.outcome,
      reasons: triage.reasons,
      decidedBy: 'automation',
      ruleSetVersion: [coverage?.version, triage.version].filter(Boolean).join('+'),
      inputs: { claim: input, policy, documents: verifications, coverage },
    },
  );
  state.decided(outcome);
  return outcome;
}
