// How a claim's workflow is started, from its record: the input, the search attributes and the summary the
// Web UI shows. Shared by the API's intake (a top-level start) and voice intake (a child of the call).
// Pure and deterministic: workflow code imports it.
import type { LineOfBusiness, Peril } from '../../domain/shared/perils.ts';
import { displayAmount, toMajorUnits } from '../../domain/shared/money.ts';
import { ClaimAmountKey, ClaimStatusKey, LineOfBusinessKey } from '../../platform/temporal/search-attributes.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { claimWorkflowId, type ClaimWorkflowInput } from './messages.ts';

export interface ClaimRecordForStart {
  readonly id: string;
  /** The spoken reference (nine digits); absent in records made before references, or null on old claims. */
  readonly reference?: string | null;
  readonly policyNumber: string;
  readonly lineOfBusiness: LineOfBusiness;
  readonly peril: Peril;
  readonly incidentDate: string;
  readonly reportedOn: string;
  readonly claimedMinor: number;
  readonly currency: string;
  /** False when the description is a recording nobody has heard (voice intake); absent or null otherwise. */
  readonly descriptionHeard?: boolean | null;
}

/**
 * `intake.origin`: how the claim came in, when not through the API (shown with the workflow in the Web
 * UI); `intake.descriptionHeard`: false when the description is a recording nobody has heard.
 */
export function claimStart(
  claim: ClaimRecordForStart,
  documentIds: readonly string[],
  review?: ClaimWorkflowInput['review'],
  intake: { readonly origin?: string; readonly descriptionHeard?: boolean } = {},
) {
  const { origin } = intake;
  // What the record says unless the caller knows better: the API's sweep starts a voice claim from its record.
  const descriptionHeard = intake.descriptionHeard ?? claim.descriptionHeard ?? undefined;
  const claimed = { minor: claim.claimedMinor, currency: claim.currency };
  const input: ClaimWorkflowInput = {
    claimId: claim.id,
    policyNumber: claim.policyNumber,
    lineOfBusiness: claim.lineOfBusiness,
    peril: claim.peril,
    incidentDate: claim.incidentDate,
    reportedOn: claim.reportedOn,
    claimed,
    documentIds: [...documentIds],
    ...(review ? { review } : {}),
    ...(descriptionHeard === false ? { descriptionHeard } : {}),
  };
  return {
    input,
    workflowId: claimWorkflowId(claim.id),
    taskQueue: taskQueues.claims,
    typedSearchAttributes: [
      { key: ClaimStatusKey, value: 'RECEIVED' },
      { key: LineOfBusinessKey, value: claim.lineOfBusiness },
      { key: ClaimAmountKey, value: toMajorUnits(claimed) },
    ],
    staticSummary: `Claim ${claim.id}: ${claim.lineOfBusiness} ${claim.peril.replaceAll('_', ' ')}, ${displayAmount(claimed)}`,
    staticDetails: [
      `**Claim** ${claim.id}`,
      `**Policy** ${claim.policyNumber} (${claim.lineOfBusiness})`,
      `**Peril** ${claim.peril.replaceAll('_', ' ')}, incident on ${claim.incidentDate}, reported ${claim.reportedOn}`,
      `**Claimed** ${displayAmount(claimed)}`,
      `**Documents** ${documentIds.length}`,
      ...(origin ? [`**Reported** ${origin}`] : []),
      ...(descriptionHeard === false ? ['**Description** a recording nobody has heard yet'] : []),
    ].join('\n\n'),
  };
}
