// The claim workflow's contract with its clients: its input, its result, and the `status` query.
// Shared by the workflow, the API and tests.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ClaimStatus } from '../../domain/claim.ts';
import type { Reason } from '../../domain/decision.ts';
import type { Flag } from '../../domain/documents/reconcile.ts';
import type { Money } from '../../domain/money.ts';
import type { LineOfBusiness, Peril } from '../../domain/perils.ts';

export const claimWorkflowType = 'claimWorkflow';

export function claimWorkflowId(claimId: string): string {
  return `claim-${claimId}`;
}

/** Decision facts and document references only: personal data stays in the database. */
export interface ClaimWorkflowInput {
  readonly claimId: string;
  readonly policyNumber: string;
  readonly lineOfBusiness: LineOfBusiness;
  readonly peril: Peril;
  readonly incidentDate: string;
  readonly reportedOn: string;
  readonly claimed: Money;
  readonly documentIds: readonly string[];
}

export interface ClaimOutcome {
  readonly claimId: string;
  readonly status: ClaimStatus;
  readonly payable: Money | null;
  readonly reasons: readonly Reason[];
  /** What reconciling the documents with the claim found (absent in the first workflow version). */
  readonly flags?: readonly Flag[];
}

export interface ClaimProgress {
  readonly claimId: string;
  readonly status: ClaimStatus;
  /** What the workflow is doing, in words. */
  readonly step: string;
  /** What it is waiting for, or null when it is not waiting. */
  readonly waitingFor: string | null;
  /** Documents read (or, in the first workflow version, verified) so far, and those that could not be. */
  readonly documents: { readonly total: number; readonly done: number; readonly failed: number };
  readonly outcome: ClaimOutcome | null;
}

export const claimStatusQuery = defineQuery<ClaimProgress>('status');

/** Documents added to a claim while it is being assessed (already stored and recorded by the API). */
export const addDocumentsSignal = defineSignal<[{ readonly documentIds: readonly string[] }]>('addDocuments');
