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
import { ratingCell, type RatingCell } from '../../domain/underwriting/pricing/rating-factors.ts';
import { riskPremium, type TariffArtefact } from '../../domain/underwriting/pricing/tariff.ts';
import type { ApplicationFacts } from '../../domain/underwriting/decide.ts';
import { motorcycleProduct } from '../../domain/underwriting/product.ts';
import { renderPolicyDocument } from '../../engines/letters/policy-document.ts';
import { sha256Hex, type BlobStore } from '../../engines/storage/blob-store.ts';
import { projectRoot } from '../../platform/tools.ts';
import { underwritingFailureTypes } from '../../workflows/underwriting/messages.ts';

export function loadTariff(file = path.join(projectRoot, 'models', 'pricing-tariff.json')): TariffArtefact {
  return JSON.parse(readFileSync(file, 'utf8')) as TariffArtefact;
}

export interface PricedApplication {
  readonly facts: ApplicationFacts;
  readonly cell: RatingCell;
  readonly riskPremiumMinor: number;
  readonly tariffVersion: string;
  readonly relativities: Record<string, number>;
}

const yearsBetween = (from: string, to: string) => {
  const a = new Date(`${from}T00:00:00Z`);
  const b = new Date(`${to}T00:00:00Z`);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  if (b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate())) years--;
  return years;
};

/** Text of an application's evidence, capped per document: the AI reads the facts, not whole files. */
const maxDocumentText = 6_000;

export function createUnderwritingActivities({
  db,
  blobs,
  tariff,
  ai,
}: {
  db: Database;
  blobs: BlobStore;
  tariff: TariffArtefact;
  ai: AiProvider;
}) {
  async function application(id: string) {
    const [row] = await db.select().from(applications).where(eq(applications.id, id));
    if (!row)
      throw ApplicationFailure.nonRetryable(`Application ${id} is not in the database`, underwritingFailureTypes.applicationNotFound);
    return row;
  }
  const evidenceOf = (applicationId: string) =>
    db.select().from(documents).where(eq(documents.applicationId, applicationId)).orderBy(asc(documents.createdAt), asc(documents.id));
  return {
    /** The documents read for the application against what it declares (after the documents queue read them). */
    async checkApplicationEvidence({ applicationId }: { applicationId: string }): Promise<EvidenceResult> {
      const a = await application(applicationId);
      const docs = await evidenceOf(applicationId);
      return checkEvidence(
        {
          name: a.applicant.name,
          dateOfBirth: a.applicant.dateOfBirth,
          registration: a.risk.registration,
          priorClaims: a.risk.priorClaims,
        },
        docs.map((d) => ({
          documentId: d.id,
          fileName: d.fileName,
          readable: d.status === 'ANALYZED',
          problem: d.status === 'ANALYZED' ? null : (d.statusReason ?? `not read (${d.status})`),
          kind: d.kind ?? 'other',
          fields: d.fields ?? {},
        })),
        motorcycleProduct.evidence.required,
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
      const age = yearsBetween(a.applicant.dateOfBirth, a.startDate);
      const brief: ApplicationBrief = {
        product: motorcycleProduct.code,
        currency: a.currency,
        risk: {
          applicantAge: age,
          licenceYears: a.risk.licenceYears,
          priorClaims: a.risk.priorClaims,
          vehicleValue: a.risk.vehicleValueMinor / 100,
          vehicleClass: a.risk.vehicleClass,
          vehicleAgeYears: Math.max(0, Number(a.startDate.slice(0, 4)) - a.risk.vehicleYear),
          zone: a.risk.zone,
        },
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

    async priceApplication({ applicationId }: { applicationId: string }): Promise<PricedApplication> {
      const a = await application(applicationId);
      const age = yearsBetween(a.applicant.dateOfBirth, a.startDate);
      const cell = ratingCell({
        zone: a.risk.zone,
        vehicleClass: a.risk.vehicleClass,
        vehicleAgeYears: Math.max(0, Number(a.startDate.slice(0, 4)) - a.risk.vehicleYear),
        bonusClass: a.risk.bonusClass,
        ownerAgeYears: age,
      });
      // The tariff is in SEK per year, as the product is.
      const premium = riskPremium(tariff, cell);
      return {
        facts: {
          applicantAge: age,
          licenceYears: a.risk.licenceYears,
          priorClaims: a.risk.priorClaims,
          vehicleValueMinor: a.risk.vehicleValueMinor,
          vehicleClass: a.risk.vehicleClass,
        },
        cell,
        riskPremiumMinor: Math.round(premium.premium * 100),
        tariffVersion: tariff.version,
        relativities: premium.relativities,
      };
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
      // Both drivers answer raw SQL with { rows }.
      const next = async () =>
        ((await db.execute<{ n: string }>(sql`select nextval('policy_numbers')::text as n`)) as { rows: { n: string }[] }).rows[0]!.n;
      const policyNumber = a.policyNumber ?? `POL-${await next()}`;
      const effectiveTo = new Date(`${a.startDate}T00:00:00Z`);
      effectiveTo.setUTCDate(effectiveTo.getUTCDate() + 364);
      const to = effectiveTo.toISOString().slice(0, 10);
      const coverages = motorcycleProduct.cover.map((c) => ({
        peril: c.peril,
        limitMinor: c.limit === 'vehicle-value' ? a.risk.vehicleValueMinor : c.limit,
        deductibleMinor: c.deductibleMinor,
      }));
      const bytes = await renderPolicyDocument({
        policyNumber,
        holderName: a.applicant.name,
        product: `Motorcycle partial casco (${motorcycleProduct.version})`,
        vehicle: `${a.risk.registration}, ${a.risk.vehicleYear}, class ${a.risk.vehicleClass}`,
        effectiveFrom: a.startDate,
        effectiveTo: to,
        currency: a.currency,
        premiumMinor,
        cover: coverages,
        decisionReasons: reasons,
      });
      const { sha256 } = await blobs.put(bytes);
      await db.transaction(async (tx) => {
        await tx
          .insert(policies)
          .values({
            policyNumber,
            lineOfBusiness: 'motor',
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
