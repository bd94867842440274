// Underwriting activities: pricing an application from the committed tariff, recording each decision on
// the application, and issuing the policy (a policy row, immediately claimable, and its document).
// Each is safe to retry: issuing is keyed by the application.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { applications, policies, type ApplicationStatus } from '../../db/schema.ts';
import { ratingCell, type RatingCell } from '../../domain/pricing/rating-factors.ts';
import { riskPremium, type TariffArtefact } from '../../domain/pricing/tariff.ts';
import type { ApplicationFacts } from '../../domain/underwriting/decide.ts';
import { motorcycleProduct } from '../../domain/underwriting/product.ts';
import { renderPolicyDocument } from '../../letters/policy-document.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { projectRoot } from '../../system/tools.ts';

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

export function createUnderwritingActivities({ db, blobs, tariff }: { db: Database; blobs: BlobStore; tariff: TariffArtefact }) {
  async function application(id: string) {
    const [row] = await db.select().from(applications).where(eq(applications.id, id));
    if (!row) throw ApplicationFailure.nonRetryable(`Application ${id} is not in the database`, 'ApplicationNotFound');
    return row;
  }
  return {
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
        facts: { applicantAge: age, licenceYears: a.risk.licenceYears, priorClaims: a.risk.priorClaims, vehicleValueMinor: a.risk.vehicleValueMinor, vehicleClass: a.risk.vehicleClass },
        cell,
        riskPremiumMinor: Math.round(premium.premium * 100),
        tariffVersion: tariff.version,
        relativities: premium.relativities,
      };
    },

    /** Appends the decision to the application's record and moves it to its new status. */
    async recordApplicationDecision({ applicationId, status, premiumMinor, decision }: { applicationId: string; status: ApplicationStatus; premiumMinor: number | null; decision: Record<string, unknown> }): Promise<void> {
      const entry = { ...decision, recordedAt: new Date().toISOString() };
      await db
        .update(applications)
        .set({ status, premiumMinor, decisions: sql`${applications.decisions} || ${JSON.stringify([entry])}::jsonb`, updatedAt: new Date() })
        .where(eq(applications.id, applicationId));
    },

    /** Creates the policy (once: its number comes from the application) and its document. */
    async issuePolicy({ applicationId, premiumMinor, reasons }: { applicationId: string; premiumMinor: number; reasons: readonly string[] }): Promise<{ policyNumber: string }> {
      const a = await application(applicationId);
      const policyNumber = `POL-${applicationId.slice(4, 14)}`;
      const effectiveTo = new Date(`${a.startDate}T00:00:00Z`);
      effectiveTo.setUTCDate(effectiveTo.getUTCDate() + 364);
      const to = effectiveTo.toISOString().slice(0, 10);
      const coverages = motorcycleProduct.cover.map((c) => ({ peril: c.peril, limitMinor: c.limit === 'vehicle-value' ? a.risk.vehicleValueMinor : c.limit, deductibleMinor: c.deductibleMinor }));
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
          })
          .onConflictDoNothing({ target: policies.policyNumber });
        await tx.update(applications).set({ status: 'ISSUED', policyNumber, premiumMinor, updatedAt: new Date() }).where(eq(applications.id, applicationId));
      });
      return { policyNumber };
    },
  };
}

export type UnderwritingActivities = ReturnType<typeof createUnderwritingActivities>;
