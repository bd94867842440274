// Underwriting activities: pricing an application from the committed tariff, checking its evidence
// documents against it, the AI assessment, recording each decision on the application, telling people,
// and issuing the policy (a policy row, immediately claimable, and its document). Each is safe to retry:
// issuing is keyed by the application, notifications by the activity.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { AiProvider } from '../../engines/ai/provider.ts';
import type { Database } from '../../db/client.ts';
import {
  applications,
  documentPages,
  documents,
  notifications,
  policies,
  type ApplicationStatus,
  type NotificationAudience,
} from '../../db/schema.ts';
import { canonicalJson, type Reason } from '../../domain/shared/decision.ts';
import { instructionSentences } from '../../domain/shared/statement.ts';
import type { ApplicationBrief } from '../../domain/underwriting/assessment.ts';
import type { UnderwritingOutcome } from '../../domain/underwriting/decide.ts';
import type { AiOpinion } from '../../domain/underwriting/dispose.ts';
import { checkEvidence, type EvidenceResult } from '../../domain/underwriting/evidence.ts';
import { activityKey } from '../activity-key.ts';
import { toActivityFailure } from '../ai-failure.ts';
import { wholeYearsBetween } from '../../domain/shared/calendar.ts';
import { productOf, registeredProducts, type RatedRisk, type UnderwritingProduct } from '../../domain/underwriting/products/index.ts';
import { renderPolicyDocument } from '../../engines/letters/policy-document.ts';
import { sha256Hex, type BlobStore } from '../../engines/storage/blob-store.ts';
import { projectRoot } from '../../platform/tools.ts';
import { underwritingFailureTypes } from '../../workflows/underwriting/messages.ts';
import { defaultLedgerOrigin } from '../../platform/ledger/note.ts';
import { createLedgerLog } from '../../db/ledger-log.ts';

/** Each registered product's tariff artefact, by product code (read once, when the worker starts). */
export type Tariffs = Readonly<Record<string, unknown>>;

export function loadTariffs(products: readonly UnderwritingProduct[] = registeredProducts(), root = projectRoot): Tariffs {
  return Object.fromEntries(products.map((p) => [p.code, JSON.parse(readFileSync(path.join(root, p.tariffFile), 'utf8')) as unknown]));
}

/** Text of an application's evidence, capped per document: the AI reads the facts, not whole files. */
const maxDocumentText = 6_000;

export function createUnderwritingActivities({
  db,
  blobs,
  tariffs,
  ai,
  ledgerOrigin = defaultLedgerOrigin,
}: {
  db: Database;
  blobs: BlobStore;
  tariffs: Tariffs;
  ai: AiProvider;
  /** The decision ledger's origin, printed on the policy document with the issuing decision's leaf. */
  ledgerOrigin?: string;
}) {
  const ledger = createLedgerLog({ db });
  async function application(id: string) {
    const [row] = await db.select().from(applications).where(eq(applications.id, id));
    if (!row)
      throw ApplicationFailure.nonRetryable(`Application ${id} is not in the database`, underwritingFailureTypes.applicationNotFound);
    return row;
  }
  const tariffOf = (product: UnderwritingProduct) => {
    if (!(product.code in tariffs)) throw new Error(`This worker has no tariff for ${product.code} (${product.tariffFile})`);
    return tariffs[product.code];
  };
  const evidenceOf = (applicationId: string) =>
    db.select().from(documents).where(eq(documents.applicationId, applicationId)).orderBy(asc(documents.createdAt), asc(documents.id));
  return {
    /** The documents read for the application against what it declares (after the documents queue read them). */
    async checkApplicationEvidence({ applicationId }: { applicationId: string }): Promise<EvidenceResult> {
      const a = await application(applicationId);
      const product = productOf(a.product);
      const docs = await evidenceOf(applicationId);
      return checkEvidence(
        { name: a.applicant.name, dateOfBirth: a.applicant.dateOfBirth, ...product.declaredObject(a.risk) },
        docs.map((d) => ({
          documentId: d.id,
          fileName: d.fileName,
          readable: d.status === 'ANALYZED',
          problem: d.status === 'ANALYZED' ? null : (d.statusReason ?? `not read (${d.status})`),
          kind: d.kind ?? 'other',
          fields: d.fields ?? {},
        })),
        product.evidence.required,
      );
    },

    /**
     * The AI provider's assessment of the risk. The brief names no one; declarations and document text go
     * as data, and sentences in them that address the reader are found and reported. A retryable failure
     * (rate limit, outage, timeout) is retried by the policy; an unusable reply is final.
     */
    async assessApplicationWithAi({
      applicationId,
      engine,
    }: {
      applicationId: string;
      engine: { outcome: UnderwritingOutcome; premiumMinor: number | null; reasons: readonly Reason[] };
    }): Promise<Extract<AiOpinion, { kind: 'proposal' }>> {
      const a = await application(applicationId);
      const docs = await evidenceOf(applicationId);
      const pages =
        docs.length === 0
          ? []
          : await db
              .select()
              .from(documentPages)
              .where(
                inArray(
                  documentPages.documentId,
                  docs.map((d) => d.id),
                ),
              )
              .orderBy(asc(documentPages.documentId), asc(documentPages.page));
      const documentsText = docs
        .filter((d) => d.status === 'ANALYZED')
        .map((d) => ({
          kind: d.kind ?? 'other',
          text: pages
            .filter((p) => p.documentId === d.id)
            .map((p) => p.text)
            .join('\n')
            .slice(0, maxDocumentText),
        }));
      const product = productOf(a.product);
      const applicantAge = wholeYearsBetween(a.applicant.dateOfBirth, a.startDate);
      const brief: ApplicationBrief = {
        product: product.code,
        currency: a.currency,
        risk: product.brief(a.risk, { applicantAge, startDate: a.startDate }),
        engine: {
          outcome: engine.outcome,
          premium: engine.premiumMinor === null ? null : engine.premiumMinor / 100,
          reasons: engine.reasons,
        },
        declarations: a.declarations,
        interview: a.interviewTranscript,
        documents: documentsText,
      };
      const instructionsFound = instructionSentences(
        [a.declarations ?? '', a.interviewTranscript ?? '', ...documentsText.map((d) => d.text)].join('\n'),
      );
      try {
        const proposal = await ai.assessApplication(brief);
        return { kind: 'proposal', assessment: proposal.value, provider: proposal.provider, model: proposal.model, instructionsFound };
      } catch (error) {
        throw toActivityFailure(ai, error);
      }
    },

    /** Keeps the interview's transcript with the application, where the assessment reads it. */
    async recordInterviewTranscript({ applicationId, transcript }: { applicationId: string; transcript: string }): Promise<void> {
      await db
        .update(applications)
        .set({ interviewTranscript: transcript.slice(0, 20_000), updatedAt: new Date() })
        .where(eq(applications.id, applicationId));
    },

    /** Moves the application to another underwriters' queue (escalation). */
    async setApplicationWaiting({
      applicationId,
      waiting,
    }: {
      applicationId: string;
      waiting: { queue: 'underwriters' | 'senior-underwriters'; since: string } | null;
    }): Promise<void> {
      await db.update(applications).set({ waiting, updatedAt: new Date() }).where(eq(applications.id, applicationId));
    },

    /** Writes a message to the outbox once, however often the activity is retried or replayed. */
    async notifyAboutApplication({
      applicationId,
      audience,
      kind,
      message,
    }: {
      applicationId: string;
      audience: NotificationAudience;
      kind: string;
      message: string;
    }): Promise<void> {
      await db
        .insert(notifications)
        .values({ applicationId, audience, kind, message, idempotencyKey: activityKey('notifyAboutApplication') })
        .onConflictDoNothing({ target: notifications.idempotencyKey });
    },

    /** The application rated by its product's tariff: the facts the rules decide on and the risk premium. */
    async priceApplication({ applicationId }: { applicationId: string }): Promise<RatedRisk> {
      const a = await application(applicationId);
      const product = productOf(a.product);
      const applicantAge = wholeYearsBetween(a.applicant.dateOfBirth, a.startDate);
      return product.rate(tariffOf(product), a.risk, { applicantAge, startDate: a.startDate });
    },

    /** Appends the decision to the application's record and moves it to its new status. */
    async recordApplicationDecision({
      applicationId,
      status,
      premiumMinor,
      decision,
      waiting,
    }: {
      applicationId: string;
      status: ApplicationStatus;
      premiumMinor: number | null;
      decision: Record<string, unknown>;
      /** Where it waits now (IN_REVIEW), or null once decided; absent leaves it as it is. */
      waiting?: { queue: 'underwriters' | 'senior-underwriters'; since: string } | null;
    }): Promise<void> {
      // The digest of what the decision was computed from (its inputs, or the whole decision of a person),
      // and a key that makes a retried write land once.
      const key = activityKey('recordApplicationDecision');
      const inputsDigest = sha256Hex(Buffer.from(canonicalJson(decision.inputs ?? decision)));
      const entry = { ...decision, inputsDigest, key, recordedAt: new Date().toISOString() };
      await db
        .update(applications)
        .set({
          status,
          premiumMinor,
          ...(waiting !== undefined ? { waiting } : {}),
          decisions: sql`${applications.decisions} || ${JSON.stringify([entry])}::jsonb`,
          updatedAt: new Date(),
        })
        .where(and(eq(applications.id, applicationId), sql`not (${applications.decisions} @> ${JSON.stringify([{ key }])}::jsonb)`));
    },

    /**
     * Creates the policy and its document, once: a retry finds the number the application already holds.
     * Numbers are digits from a sequence (a caller says them or keys them in); an attempt that fails before
     * it commits leaves a gap, never a second policy.
     */
    async issuePolicy({
      applicationId,
      premiumMinor,
      reasons,
    }: {
      applicationId: string;
      premiumMinor: number;
      reasons: readonly string[];
    }): Promise<{ policyNumber: string }> {
      const a = await application(applicationId);
      const product = productOf(a.product);
      // Both drivers answer raw SQL with { rows }.
      const next = async () =>
        ((await db.execute<{ n: string }>(sql`select nextval('policy_numbers')::text as n`)) as { rows: { n: string }[] }).rows[0]!.n;
      const policyNumber = a.policyNumber ?? `POL-${await next()}`;
      const effectiveTo = new Date(`${a.startDate}T00:00:00Z`);
      effectiveTo.setUTCDate(effectiveTo.getUTCDate() + 364);
      const to = effectiveTo.toISOString().slice(0, 10);
      const coverages = product.cover.map((c) => ({
        peril: c.peril,
        limitMinor: c.limit === 'insured-value' ? product.insuredValueMinor(a.risk) : c.limit,
        deductibleMinor: c.deductibleMinor,
      }));
      const bytes = await renderPolicyDocument({
        policyNumber,
        holderName: a.applicant.name,
        product: `${product.name} (${product.version})`,
        insured: product.insuredObject(a.risk),
        effectiveFrom: a.startDate,
        effectiveTo: to,
        currency: a.currency,
        premiumMinor,
        cover: coverages,
        decisionReasons: reasons,
        // The issuing decision (the latest recorded) with its place in the decision ledger.
        ...(a.decisions.length > 0
          ? { ledger: { origin: ledgerOrigin, ...(await ledger.entryOfApplicationDecision(applicationId, a.decisions.length - 1)) } }
          : {}),
      });
      const { sha256 } = await blobs.put(bytes);
      await db.transaction(async (tx) => {
        await tx
          .insert(policies)
          .values({
            policyNumber,
            lineOfBusiness: product.lineOfBusiness,
            holderId: a.applicantId,
            holderName: a.applicant.name,
            status: 'ACTIVE',
            effectiveFrom: a.startDate,
            effectiveTo: to,
            currency: a.currency,
            coverages,
            premiumMinor,
            applicationId,
            documentSha256: sha256,
            payoutIban: a.applicant.payoutIban ?? null,
          })
          .onConflictDoNothing({ target: policies.policyNumber });
        await tx
          .update(applications)
          .set({ status: 'ISSUED', policyNumber, premiumMinor, waiting: null, updatedAt: new Date() })
          .where(eq(applications.id, applicationId));
      });
      return { policyNumber };
    },
  };
}

export type UnderwritingActivities = ReturnType<typeof createUnderwritingActivities>;
