// Taking a claim in: store the files, write the claim and its documents in one transaction, then start
// its workflow. The database row is the acceptance; if Temporal is unreachable at that moment the claim
// waits (status RECEIVED) and a sweep starts it later, so an accepted claim is never lost. Starting is
// idempotent (workflow id from claim id, USE_EXISTING), so a retried request or a second sweeper never
// starts a second workflow.
import { normalizeIban } from '../../domain/shared/iban.ts';
import { createHash } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { settledClaimStatuses } from '../../domain/claims/claim.ts';
import { claims, documents } from '../../db/schema.ts';
import { openClaim } from '../../db/open-claim.ts';
import { canonicalJson } from '../../domain/shared/decision.ts';
import type { Logger } from '../../platform/logger.ts';
import { sha256Hex, type BlobStore } from '../../engines/storage/blob-store.ts';
import { recordDocuments, storeFiles } from '../stored-documents.ts';
import { addDocumentsSignal, claimWorkflowId, claimWorkflowType, type ClaimWorkflowInput } from '../../workflows/claim/messages.ts';
import { claimStart } from '../../workflows/claim/start.ts';
import type { claimWorkflow } from '../../workflows/claim/workflow.ts';
import type { Principal } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { startDeadlineMs, startEach, startOnce } from '../workflow-starts.ts';
import type { InspectedUpload } from '../uploads.ts';
import type { ClaimSubmission } from './schemas.ts';

type ClaimRow = typeof claims.$inferSelect;

export interface IntakeDeps {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly temporal: Client;
  readonly logger: Logger;
  /** Today's date (UTC), injectable for tests. */
  readonly today?: () => string;
  /** Service levels and authority limits each new claim is started with. */
  readonly review?: ClaimWorkflowInput['review'];
}

export interface SubmitRequest {
  readonly principal: Principal;
  readonly submission: ClaimSubmission;
  readonly files: readonly InspectedUpload[];
  readonly idempotencyKey: string | undefined;
}

export interface SubmitResult {
  readonly claimId: string;
  /** False when an earlier request with the same Idempotency-Key already created the claim. */
  readonly created: boolean;
}

const utcToday = () => new Date().toISOString().slice(0, 10);

export function createClaimIntake(deps: IntakeDeps) {
  const { db, temporal, logger } = deps;
  const today = deps.today ?? utcToday;

  function replay(existing: ClaimRow, requestDigest: string): SubmitResult {
    if (existing.requestDigest !== requestDigest) {
      throw new ApiError(
        409,
        'IDEMPOTENCY_KEY_REUSED',
        `This Idempotency-Key was already used for claim ${existing.id} with a different request; use a new key for a new claim.`,
      );
    }
    return { claimId: existing.id, created: false };
  }

  async function submit(request: SubmitRequest): Promise<SubmitResult> {
    const { principal, submission, files, idempotencyKey } = request;
    const requestDigest = createHash('sha256')
      .update(canonicalJson({ submission, documents: files.map((f) => ({ name: f.fileName, sha256: sha256Hex(f.bytes) })) }))
      .digest('hex');

    const opened = await openClaim(
      db,
      {
        policyNumber: submission.policyNumber,
        holder: principal.role === 'claimant' ? principal.subject : null,
        submittedBy: principalId(principal),
        idempotencyKey: idempotencyKey ?? null,
        requestDigest,
        peril: submission.peril,
        incidentDate: submission.incidentDate,
        amount: submission.claimedAmount.amount,
        currency: submission.claimedAmount.currency,
        description: submission.description,
        contact: submission.contact ?? {},
        payoutAccount: submission.payoutAccount
          ? { iban: normalizeIban(submission.payoutAccount.iban), holder: submission.payoutAccount.holder }
          : null,
        workflowIdOf: claimWorkflowId,
      },
      today(),
      // Files are stored only for a claim that is opened (blobs are by content: a retry writes nothing new).
      async (tx, claimId) => recordDocuments(tx, { claimId }, await storeFiles(deps.blobs, files)),
    );
    if (!opened.ok) throw new ApiError(422, opened.code, opened.problem);
    const claimId = opened.claim.id;
    if (!opened.created) {
      // The same Idempotency-Key again: the same request is answered with its claim, another is refused.
      const result = replay(opened.claim, requestDigest);
      if (!opened.claim.workflowStartedAt) await ensureWorkflow(claimId);
      return result;
    }
    await ensureWorkflow(claimId);
    return { claimId, created: true };
  }

  /**
   * Adds documents to a claim being assessed: stored and recorded, then signalled to its workflow. If
   * the workflow has already decided (or Temporal does not answer) the rows just written are removed
   * again and the caller told so: a document is either accepted and read, or refused.
   */
  async function addDocuments(
    principal: Principal,
    claimId: string,
    files: readonly InspectedUpload[],
  ): Promise<{ documentId: string; added: boolean }[]> {
    const [claim] = await db
      .select()
      .from(claims)
      .where(and(eq(claims.id, claimId), principal.role === 'claimant' ? eq(claims.claimantId, principal.subject) : undefined));
    if (!claim) throw new ApiError(404, 'CLAIM_NOT_FOUND', `No claim ${claimId} that you can see.`);
    if (settledClaimStatuses.includes(claim.status)) throw claimClosed(claim.id, claim.status);
    const stored = await storeFiles(deps.blobs, files);
    const recorded = await db.transaction((tx) => recordDocuments(tx, { claimId }, stored));
    const added = recorded.filter((d) => d.added).map((d) => d.documentId);
    // A claim whose workflow has not started yet gets all its documents when the sweep starts it.
    if (added.length === 0 || !claim.workflowStartedAt) return recorded;
    try {
      await temporal.withDeadline(Date.now() + startDeadlineMs, () =>
        temporal.workflow.getHandle(claim.workflowId).signal(addDocumentsSignal, { documentIds: added }),
      );
    } catch (error) {
      await db.delete(documents).where(inArray(documents.id, added));
      if (error instanceof WorkflowNotFoundError) {
        const [now] = await db.select({ status: claims.status }).from(claims).where(eq(claims.id, claimId));
        throw claimClosed(claimId, now?.status ?? claim.status);
      }
      logger.warn({ err: error, claimId }, 'could not signal new documents to the claim workflow');
      throw new ApiError(
        503,
        'TEMPORAL_UNAVAILABLE',
        'The claim process cannot be reached right now; the documents were not added. Try again shortly.',
      );
    }
    return recorded;
  }

  /** Starts the claim's workflow unless it already exists; returns false (and logs) when Temporal is unreachable. */
  async function ensureWorkflow(claimId: string): Promise<boolean> {
    const [claim] = await db.select().from(claims).where(eq(claims.id, claimId));
    if (!claim) throw new Error(`Claim ${claimId} not found`);
    if (claim.workflowStartedAt) return true;
    const docs = await db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.claimId, claimId))
      .orderBy(asc(documents.createdAt), asc(documents.id));
    const start = claimStart(
      claim,
      docs.map((d) => d.id),
      deps.review,
    );
    // Bounded: when Temporal is down the caller gets its answer (claim accepted, RECEIVED) promptly.
    const started = await startOnce(
      temporal,
      () =>
        temporal.workflow.start<typeof claimWorkflow>(claimWorkflowType, {
          workflowId: start.workflowId,
          taskQueue: start.taskQueue,
          args: [start.input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: start.typedSearchAttributes,
          staticSummary: start.staticSummary,
          staticDetails: start.staticDetails,
        }),
      (error) => logger.warn({ err: error, claimId }, 'could not start the claim workflow yet; the sweep will retry'),
    );
    if (!started) return false;
    await db.update(claims).set({ workflowStartedAt: new Date() }).where(eq(claims.id, claimId));
    return true;
  }

  /** Starts workflows for accepted claims that have none yet (Temporal was down when they arrived). */
  async function startPending(olderThanMs = 5_000): Promise<number> {
    const pending = await db
      .select({ id: claims.id })
      .from(claims)
      .where(and(isNull(claims.workflowStartedAt), lt(claims.createdAt, new Date(Date.now() - olderThanMs))))
      .orderBy(asc(claims.createdAt))
      .limit(100);
    const started = await startEach(
      pending.map((p) => p.id),
      ensureWorkflow,
    );
    if (started > 0) logger.info({ started }, 'started workflows for claims accepted while Temporal was unavailable');
    return started;
  }

  return { submit, addDocuments, ensureWorkflow, startPending };
}

function claimClosed(claimId: string, status: string): ApiError {
  return new ApiError(
    409,
    'CLAIM_CLOSED',
    `Claim ${claimId} has been decided (${status}); documents can be added while a claim is being assessed.`,
  );
}

export type ClaimIntake = ReturnType<typeof createClaimIntake>;

export function principalId(principal: Principal): string {
  return `${principal.role}:${principal.subject}`;
}
