// Claims as the API shows them: the business record from the database, plus, while the workflow is
// still working, its live progress from the `status` query.
import { parseReference } from '../../domain/claims/reference.ts';
import type { Client } from '@temporalio/client';
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { appeals } from '../../db/casework.ts';
import { claims, decisions, documents, payments } from '../../db/schema.ts';
import { maskIban } from '../../domain/shared/iban.ts';
import { settledClaimStatuses, type ClaimStatus } from '../../domain/claims/claim.ts';
import type { ExtractedFields } from '../../domain/documents/extract.ts';
import type { Flag } from '../../domain/documents/reconcile.ts';
import { formatAmount } from '../../domain/shared/money.ts';
import type { Logger } from '../../platform/logger.ts';
import { claimStatusQuery, type ClaimProgress } from '../../workflows/claim/messages.ts';
import type { Principal } from '../auth.ts';
import { pageFramesOf, type PageFrame } from '../documents/files.ts';
import { ApiError } from '../errors.ts';
import type { Claim } from './schemas.ts';

type ClaimRow = typeof claims.$inferSelect;
type DocumentRow = typeof documents.$inferSelect;
type DecisionRow = typeof decisions.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;

export interface ReaderDeps {
  readonly db: Database;
  readonly temporal: Client;
  readonly logger: Logger;
}

const money = (minor: number, currency: string) => ({ amount: formatAmount({ minor, currency }), currency });

type DocumentResource = Claim['documents'][number];

/** Cents of a document total to its decimal text ("80.90"); document currencies may be unknown. */
const centsText = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

function fieldsOf(fields: ExtractedFields | null): DocumentResource['fields'] {
  const out: DocumentResource['fields'] = {};
  if (!fields) return out;
  for (const [name, field] of Object.entries(fields) as [keyof ExtractedFields, ExtractedFields[keyof ExtractedFields]][]) {
    if (!field) continue;
    const value =
      typeof field.value === 'string' || typeof field.value === 'number'
        ? field.value
        : { amount: centsText(field.value.cents), currency: field.value.currency };
    out[name] = { value, confidence: field.confidence, evidence: field.evidence };
  }
  return out;
}

function progressOfDocument(doc: DocumentRow): string | null {
  if (doc.status === 'ANALYZING') return doc.pageCount ? `OCR ${doc.pagesDone}/${doc.pageCount} pages` : 'reading';
  if (doc.status === 'RECEIVED') return 'waiting to be read';
  return null;
}

export function toDocumentResource(doc: DocumentRow, flags: readonly Flag[], frames: readonly PageFrame[] = []): DocumentResource {
  return {
    id: doc.id,
    fileName: doc.fileName,
    mediaType: doc.mediaType,
    sizeBytes: doc.sizeBytes,
    sha256: doc.sha256,
    status: doc.status,
    statusReason: doc.statusReason,
    progress: progressOfDocument(doc),
    kind: doc.kind,
    kindConfidence: doc.kindConfidence,
    pages: doc.pageCount,
    pageFrames: [...frames],
    textSource: doc.textSource,
    ocrConfidence: doc.ocrConfidence,
    fields: fieldsOf(doc.fields),
    flags: flags.filter((f) => f.documentId === doc.id).map((f) => ({ ...f, evidence: [...f.evidence] })),
  };
}

function toResource(
  claim: ClaimRow,
  docs: DocumentRow[],
  decision: DecisionRow | undefined,
  progress: ClaimProgress | null,
  paid: PaymentRow[],
  frames: ReadonlyMap<string, PageFrame[]>,
  appealed: ReadonlyMap<string, string>,
): Claim {
  const flags = decision?.flags ?? [];
  return {
    id: claim.id,
    reference: claim.reference,
    status: claim.status,
    policyNumber: claim.policyNumber,
    claimantId: claim.claimantId,
    lineOfBusiness: claim.lineOfBusiness,
    peril: claim.peril,
    incidentDate: claim.incidentDate,
    reportedOn: claim.reportedOn,
    description: claim.description,
    contact: claim.contact,
    claimedAmount: money(claim.claimedMinor, claim.currency),
    payableAmount: claim.payableMinor === null ? null : money(claim.payableMinor, claim.currency),
    decision: decision
      ? {
          kind: decision.kind,
          outcome: decision.outcome,
          reasons: decision.reasons,
          payableAmount:
            decision.payableMinor === null || decision.currency === null ? null : money(decision.payableMinor, decision.currency),
          ruleSetVersion: decision.ruleSetVersion,
          decidedBy: decision.decidedBy,
          decidedAt: decision.createdAt.toISOString(),
          inputsDigest: decision.inputsDigest,
        }
      : null,
    flags: flags.map((f) => ({ ...f, evidence: [...f.evidence] })),
    documents: docs.map((d) => toDocumentResource(d, flags, frames.get(d.id))),
    progress: progress ? { step: progress.step, waitingFor: progress.waitingFor, documents: progress.documents } : null,
    queue: claim.queue,
    waitingSince: claim.waitingSince?.toISOString() ?? null,
    assignee: claim.assignee,
    requestedDocuments: claim.requestedDocuments,
    payoutAccount: claim.payoutAccount ? { iban: maskIban(claim.payoutAccount.iban), holder: claim.payoutAccount.holder } : null,
    reserve:
      claim.reserveMinor === null
        ? null
        : { amount: money(claim.reserveMinor, claim.currency), released: claim.reserveReleasedAt !== null },
    payments: paid.map((p) => ({
      id: p.id,
      amount: money(p.amountMinor, p.currency),
      status: p.status,
      payee: p.payee,
      failureReason: p.failureReason,
      createdAt: p.createdAt.toISOString(),
    })),
    letterUrl: claim.letterSha256 ? `/v1/claims/${claim.id}/letter.pdf` : null,
    appeal: appealed.has(claim.id) ? { status: appealed.get(claim.id) as 'OPEN', url: `/v1/claims/${claim.id}/appeal` } : null,
    closedAt: claim.closedAt?.toISOString() ?? null,
    fraud: claim.fraudScore === null || claim.fraudBand === null ? null : { score: claim.fraudScore, band: claim.fraudBand },
    workflowId: claim.workflowId,
    createdAt: claim.createdAt.toISOString(),
    updatedAt: claim.updatedAt.toISOString(),
  };
}

/** Reasons that say a claim is suspected of fraud: staff read them; a claimant is told a person will look. */
const fraudReasonCodes: ReadonlySet<string> = new Set(['FRAUD_RISK_HIGH', 'FRAUD_RISK_MEDIUM']);

/**
 * The claim as `principal` may read it. A claimant sees the status and the reasons in words, but not the
 * fraud model's score or its rule codes (telling a fraudster which signals fired teaches them to avoid
 * them); staff see everything.
 */
function asSeenBy(principal: Principal, claim: Claim): Claim {
  if (principal.role !== 'claimant') return claim;
  const decision = claim.decision && {
    ...claim.decision,
    reasons: claim.decision.reasons.map((r) =>
      fraudReasonCodes.has(r.code)
        ? { code: 'REVIEW_REQUIRED', message: 'An adjuster will look at the claim before anything is paid.' }
        : r,
    ),
  };
  return { ...claim, decision, fraud: null };
}

/** Claimants see only their own claims; staff see all. */
function visibleTo(principal: Principal): SQL | undefined {
  return principal.role === 'claimant' ? eq(claims.claimantId, principal.subject) : undefined;
}

export function createClaimReader({ db, temporal, logger }: ReaderDeps) {
  async function progressOf(claim: ClaimRow): Promise<ClaimProgress | null> {
    // An approved claim is still being paid until it is closed; one without a reserve is from a version
    // before settlement, whose workflow ended with the approval.
    const beingPaid = claim.status === 'APPROVED' && claim.reserveMinor !== null;
    if ((settledClaimStatuses.includes(claim.status) && !beingPaid) || claim.closedAt || !claim.workflowStartedAt) return null;
    try {
      return await temporal.withDeadline(Date.now() + 2_000, () => temporal.workflow.getHandle(claim.workflowId).query(claimStatusQuery));
    } catch (error) {
      logger.debug({ err: error, claimId: claim.id }, 'workflow progress unavailable');
      return null;
    }
  }

  async function related(claimIds: string[]) {
    if (claimIds.length === 0)
      return {
        docs: new Map<string, DocumentRow[]>(),
        latest: new Map<string, DecisionRow>(),
        paid: new Map<string, PaymentRow[]>(),
        frames: new Map<string, PageFrame[]>(),
        appealed: new Map<string, string>(),
      };
    const docRows = await db.select().from(documents).where(inArray(documents.claimId, claimIds)).orderBy(documents.id);
    const decisionRows = await db.select().from(decisions).where(inArray(decisions.claimId, claimIds)).orderBy(desc(decisions.id));
    const paymentRows = await db.select().from(payments).where(inArray(payments.claimId, claimIds)).orderBy(payments.createdAt);
    const paid = new Map<string, PaymentRow[]>();
    for (const p of paymentRows) paid.set(p.claimId, [...(paid.get(p.claimId) ?? []), p]);
    const docs = new Map<string, DocumentRow[]>();
    for (const d of docRows) if (d.claimId) docs.set(d.claimId, [...(docs.get(d.claimId) ?? []), d]);
    const frames = await pageFramesOf(
      db,
      docRows.map((d) => d.id),
    );
    const latest = new Map<string, DecisionRow>();
    // The claim's decision is the latest about whether and what to pay; how the payment went is in
    // `payments` (a failed payment's record still shows while the claim waits in review because of it).
    for (const d of decisionRows) if (!latest.has(d.claimId) && (d.kind !== 'PAYMENT' || d.outcome === 'FAILED')) latest.set(d.claimId, d);
    const appealRows = await db
      .select({ claimId: appeals.claimId, status: appeals.status })
      .from(appeals)
      .where(inArray(appeals.claimId, claimIds));
    const appealed = new Map(appealRows.map((a) => [a.claimId, a.status]));
    return { docs, latest, paid, frames, appealed };
  }

  /** `id`: the claim's id, or its spoken reference (checked; with or without separators). */
  async function getClaim(principal: Principal, id: string): Promise<Claim> {
    const reference = parseReference(id);
    const [claim] = await db
      .select()
      .from(claims)
      .where(and(reference ? eq(claims.reference, reference) : eq(claims.id, id), visibleTo(principal)));
    if (!claim) throw new ApiError(404, 'CLAIM_NOT_FOUND', `No claim ${id} that you can see.`);
    const { docs, latest, paid, frames, appealed } = await related([claim.id]);
    return asSeenBy(
      principal,
      toResource(
        claim,
        docs.get(claim.id) ?? [],
        latest.get(claim.id),
        await progressOf(claim),
        paid.get(claim.id) ?? [],
        frames,
        appealed,
      ),
    );
  }

  /** Newest first; claim ids are time-ordered ULIDs, so the last id of a page is the cursor. */
  async function listClaims(
    principal: Principal,
    query: { status?: ClaimStatus | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ items: Claim[]; nextCursor: string | null }> {
    const rows = await db
      .select()
      .from(claims)
      .where(
        and(
          visibleTo(principal),
          query.status ? eq(claims.status, query.status) : undefined,
          query.cursor ? lt(claims.id, query.cursor) : undefined,
        ),
      )
      .orderBy(desc(claims.id))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const { docs, latest, paid, frames, appealed } = await related(page.map((c) => c.id));
    return {
      items: page.map((c) =>
        asSeenBy(principal, toResource(c, docs.get(c.id) ?? [], latest.get(c.id), null, paid.get(c.id) ?? [], frames, appealed)),
      ),
      nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /** The stored letter's content hash; call after getClaim has checked the principal may see the claim. */
  async function letterOf(id: string): Promise<string | null> {
    const [row] = await db.select({ sha256: claims.letterSha256 }).from(claims).where(eq(claims.id, id));
    return row?.sha256 ?? null;
  }

  return { getClaim, listClaims, letterOf };
}

export type ClaimReader = ReturnType<typeof createClaimReader>;
