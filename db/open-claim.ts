// The one way a claim is opened, whichever way it was reported (the API, a call, an agent): once per
// idempotency key, on a policy the reporter may claim on, with the report's facts checked by the one rule
// (checkReportedClaim: amount in the currency's minor units, the date not ahead), in one transaction with
// whatever the caller records beside it (the documents sent with it). The caller starts the workflow.
import { and, eq, sql } from 'drizzle-orm';
import { checkReportedClaim } from '../domain/claims/claim.ts';
import { claimReference, displayReference } from '../domain/claims/reference.ts';
import { displayAmount } from '../domain/shared/money.ts';
import { isPeril, perilNames } from '../domain/shared/perils.ts';
import type { Database } from './client.ts';
import { newClaimId } from './ids.ts';
import { claims, notifications, policies } from './schema.ts';

export type ClaimRow = typeof claims.$inferSelect;
type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface ClaimReport {
  readonly policyNumber: string;
  /** Who may claim: the policyholder's id for a claimant (or a caller), null for staff and agents acting for them. */
  readonly holder: string | null;
  /** Who reported it (`role:subject`, or the voice session's starter): with the key, what makes it once. */
  readonly submittedBy: string;
  readonly idempotencyKey: string | null;
  /** The digest of the request, kept to tell a retry from a different request under the same key. */
  readonly requestDigest: string;
  readonly peril: string;
  readonly incidentDate: string;
  /** The amount as reported; without a currency, the policy's (a caller says "four hundred"). */
  readonly amount: string | number;
  readonly currency?: string;
  readonly description: string;
  readonly contact?: Record<string, string>;
  readonly payoutAccount?: { readonly iban: string; readonly holder: string } | null;
  /** Whether a person or an engine heard the description (voice); absent for written reports. */
  readonly descriptionHeard?: boolean;
  /** The id of the claim's workflow (workflows/claim/messages.ts: claimWorkflowId). */
  readonly workflowIdOf: (claimId: string) => string;
  /** Marks the workflow started with the row (calls recorded before the start was marked after the child's). */
  readonly startedWithRow?: boolean;
}

export type OpenedClaim =
  | { readonly ok: true; readonly claim: ClaimRow; readonly created: boolean }
  | {
      readonly ok: false; /** POLICY_NOT_FOUND, UNKNOWN_PERIL, or checkReportedClaim's code. */
      readonly code: string;
      readonly problem: string;
    };

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === '23505') return true;
  }
  return false;
}

export async function openClaim(
  db: Database,
  report: ClaimReport,
  today: string,
  alongside?: (tx: Transaction, claimId: string) => Promise<unknown>,
): Promise<OpenedClaim> {
  const earlier = async () => {
    if (!report.idempotencyKey) return undefined;
    const [row] = await db
      .select()
      .from(claims)
      .where(and(eq(claims.submittedBy, report.submittedBy), eq(claims.idempotencyKey, report.idempotencyKey)));
    return row;
  };
  const existing = await earlier();
  if (existing) return { ok: true, claim: existing, created: false };

  const check = (currency: string) => checkReportedClaim({ amount: report.amount, currency, incidentDate: report.incidentDate }, today);
  // A report that names its currency is checked before anything is looked up; one that does not, in the policy's.
  const named = report.currency === undefined ? null : check(report.currency);
  if (named && !named.ok) return named;
  const [policy] = await db.select().from(policies).where(eq(policies.policyNumber, report.policyNumber));
  // A claimant may claim only on their own policies; a policy they do not hold looks like no policy.
  if (!policy || (report.holder !== null && policy.holderId !== report.holder))
    return { ok: false, code: 'POLICY_NOT_FOUND', problem: `No policy ${report.policyNumber} that you can claim on.` };
  const { peril } = report;
  if (!isPeril(peril)) return { ok: false, code: 'UNKNOWN_PERIL', problem: `peril: ${peril} is not a peril we know.` };
  const reported = named ?? check(policy.currency);
  if (!reported.ok) return reported;

  const id = newClaimId();
  try {
    const claim = await db.transaction(async (tx) => {
      // Both drivers answer raw SQL with { rows }.
      const { rows } = (await tx.execute<{ n: string }>(sql`select nextval('claim_reference_numbers')::text as n`)) as {
        rows: { n: string }[];
      };
      const reference = claimReference(Number(rows[0]!.n));
      const [row] = await tx
        .insert(claims)
        .values({
          id,
          reference,
          policyNumber: policy.policyNumber,
          claimantId: policy.holderId,
          submittedBy: report.submittedBy,
          lineOfBusiness: policy.lineOfBusiness,
          peril,
          incidentDate: report.incidentDate,
          reportedOn: reported.reportedOn,
          description: report.description.slice(0, 4_000),
          contact: report.contact ?? {},
          payoutAccount: report.payoutAccount ?? null,
          claimedMinor: reported.claimed.minor,
          currency: reported.claimed.currency,
          status: 'RECEIVED',
          workflowId: report.workflowIdOf(id),
          idempotencyKey: report.idempotencyKey,
          requestDigest: report.requestDigest,
          ...(report.descriptionHeard !== undefined ? { descriptionHeard: report.descriptionHeard } : {}),
          ...(report.startedWithRow ? { workflowStartedAt: new Date() } : {}),
        })
        .returning();
      // The acknowledgement, in the same transaction: a claim is never accepted without one in the outbox.
      await tx.insert(notifications).values({
        claimId: id,
        audience: 'claimant',
        kind: 'CLAIM_RECEIVED',
        message: `We have your claim ${id} (reference ${displayReference(reference)}): ${perilNames[peril]} on ${report.incidentDate}, ${displayAmount(reported.claimed)} claimed. You can follow it at /v1/claims/${id}.`,
        idempotencyKey: `received:${id}`,
      });
      await alongside?.(tx, id);
      return row!;
    });
    return { ok: true, claim, created: true };
  } catch (error) {
    // Two reports raced with the same key: the first one's claim stands.
    if (isUniqueViolation(error)) {
      const first = await earlier();
      if (first) return { ok: true, claim: first, created: false };
    }
    throw error;
  }
}
