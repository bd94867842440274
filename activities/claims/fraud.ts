// Fraud checks for a claim: gathers its facts and its links to other claims from the claims store
// (link analysis: shared documents, bank accounts, phones and emails) and, where configured, whether other
// insurers hold the same claim (private set intersection; a peer that cannot be asked is said, not fatal),
// runs the red-flag rules and the model, and records the score on the claim. Reads only, apart from the
// score: safe to retry.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { claimFailureTypes } from '../../workflows/claim/messages.ts';
import { and, eq, inArray, isNotNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { claims, documentPages, documents, policies } from '../../db/schema.ts';
import type { Flag } from '../../domain/documents/reconcile.ts';
import { assessClaimFraud } from '../../domain/fraud/assess.ts';
import type { ClaimFraudFacts } from '../../domain/fraud/claim-features.ts';
import type { FraudModelArtefact } from '../../domain/fraud/model.ts';
import { defaultFraudBands, type FraudAssessment, type FraudBands } from '../../domain/fraud/score.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { AuthorityLimits } from '../../domain/shared/review.ts';
import { projectRoot } from '../../platform/tools.ts';
import type { OtherInsurerCheck } from '../../domain/fraud/rules.ts';
import { identifiersOfClaims } from '../../db/shared-identifiers.ts';
import type { PsiClient } from '../../engines/insurers/psi-client.ts';

export interface FraudActivityDeps {
  readonly db: Database;
  readonly model: FraudModelArtefact;
  readonly bands?: FraudBands;
  /** Amounts above which a person must approve: the adjusters' authority limits. */
  readonly authorityLimits: AuthorityLimits;
  /** Other insurers asked by private set intersection whether they hold the same claim. */
  readonly otherInsurers?: PsiClient;
}

export function loadFraudModel(file = path.join(projectRoot, 'models', 'fraud-model.json')): FraudModelArtefact {
  return JSON.parse(readFileSync(file, 'utf8')) as FraudModelArtefact;
}

/** Pages shorter than this (after normalising) say too little for equal text to mean a reused document. */
const minimumComparableText = 40;

export function createFraudActivities({ db, model, bands = defaultFraudBands, authorityLimits, otherInsurers }: FraudActivityDeps) {
  return {
    async assessFraud({ claimId, flags }: { claimId: string; flags: readonly Flag[] }): Promise<FraudAssessment> {
      const [row] = await db
        .select({ claim: claims, policyStart: policies.effectiveFrom, coverages: policies.coverages })
        .from(claims)
        .innerJoin(policies, eq(policies.policyNumber, claims.policyNumber))
        .where(eq(claims.id, claimId));
      if (!row) throw ApplicationFailure.nonRetryable(`Claim ${claimId} is not in the database`, claimFailureTypes.claimNotFound);
      const c = row.claim;
      const yearBefore = new Date(c.createdAt.getTime() - 365 * 86_400_000);
      const earlier = await db
        .select({ id: claims.id, createdAt: claims.createdAt })
        .from(claims)
        .where(and(eq(claims.claimantId, c.claimantId), ne(claims.id, c.id), lt(claims.createdAt, c.createdAt)));
      const docs = await db
        .select({ id: documents.id, sha256: documents.sha256, kind: documents.kind, createdAt: documents.createdAt })
        .from(documents)
        .where(eq(documents.claimId, c.id));

      const reused: { claimId: string; how: 'same-file' | 'same-text' }[] = [];
      if (docs.length > 0) {
        const sameFile = await db
          .selectDistinct({ claimId: documents.claimId })
          .from(documents)
          .where(
            and(
              inArray(
                documents.sha256,
                docs.map((d) => d.sha256),
              ),
              ne(documents.claimId, c.id),
              isNotNull(documents.claimId),
            ),
          );
        reused.push(...sameFile.map((d) => ({ claimId: d.claimId!, how: 'same-file' as const })));
        const normalized = sql`md5(regexp_replace(lower(${documentPages.text}), '[^a-z0-9]', '', 'g'))`;
        const ours = await db
          .select({ digest: sql<string>`${normalized}` })
          .from(documentPages)
          .where(
            and(
              inArray(
                documentPages.documentId,
                docs.map((d) => d.id),
              ),
              sql`length(regexp_replace(lower(${documentPages.text}), '[^a-z0-9]', '', 'g')) >= ${minimumComparableText}`,
            ),
          );
        if (ours.length > 0) {
          const sameText = await db
            .selectDistinct({ claimId: documents.claimId })
            .from(documentPages)
            .innerJoin(documents, eq(documents.id, documentPages.documentId))
            .where(
              and(
                ne(documents.claimId, c.id),
                isNotNull(documents.claimId),
                inArray(
                  normalized,
                  ours.map((o) => o.digest),
                ),
              ),
            );
          for (const d of sameText)
            if (!reused.some((r) => r.claimId === d.claimId)) reused.push({ claimId: d.claimId!, how: 'same-text' });
        }
      }
      const others = (condition: SQL) =>
        db
          .selectDistinct({ claimantId: claims.claimantId })
          .from(claims)
          .where(and(condition, ne(claims.claimantId, c.claimantId)));
      const bank = c.payoutAccount ? await others(sql`${claims.payoutAccount}->>'iban' = ${c.payoutAccount.iban}`) : [];
      const contactChecks = [
        ...(c.contact.phone ? [sql`${claims.contact}->>'phone' = ${c.contact.phone}`] : []),
        ...(c.contact.email ? [sql`lower(${claims.contact}->>'email') = ${c.contact.email.toLowerCase()}`] : []),
      ];
      const contact = contactChecks.length > 0 ? await others(or(...contactChecks)!) : [];

      const otherInsurerChecks = otherInsurers ? await askOtherInsurers(db, otherInsurers, c.id) : undefined;

      const claimed: Money = { minor: c.claimedMinor, currency: c.currency };
      const facts: ClaimFraudFacts = {
        lineOfBusiness: c.lineOfBusiness,
        peril: c.peril,
        incidentDate: c.incidentDate,
        reportedOn: c.reportedOn,
        policyStart: row.policyStart,
        deductible: (() => {
          const cover = row.coverages.find((x) => x.peril === c.peril);
          return cover ? { minor: cover.deductibleMinor, currency: c.currency } : null;
        })(),
        earlierClaims: earlier.length,
        // Documents sent more than a minute after the claim are supplements.
        documentsAtIntake: docs.filter((d) => d.createdAt.getTime() - c.createdAt.getTime() <= 60_000).length,
        documentsAddedLater: docs.filter((d) => d.createdAt.getTime() - c.createdAt.getTime() > 60_000).length,
        policeReport: docs.some((d) => d.kind === 'police_report'),
      };
      const assessment = assessClaimFraud(
        {
          facts,
          claimed,
          claimsInLastYear: earlier.filter((e) => e.createdAt >= yearBefore).length,
          flags,
          links: {
            reusedDocuments: reused,
            sharedBankAccountWith: bank.map((b) => b.claimantId),
            sharedContactWith: contact.map((b) => b.claimantId),
            ...(otherInsurerChecks ? { otherInsurers: otherInsurerChecks } : {}),
          },
        },
        { model, bands, approvalThresholds: Object.entries(authorityLimits.adjuster).map(([currency, minor]) => ({ currency, minor })) },
      );
      await db.update(claims).set({ fraudScore: assessment.score, fraudBand: assessment.band }).where(eq(claims.id, claimId));
      return assessment;
    },
  };
}

export type FraudActivities = ReturnType<typeof createFraudActivities>;

/** What each other insurer matched of this claim's identifiers, by kind; or why it could not be asked. */
async function askOtherInsurers(db: Database, client: PsiClient, claimId: string): Promise<OtherInsurerCheck[]> {
  const identifiers = (await identifiersOfClaims(db, { claimId })).get(claimId) ?? [];
  const answers = await client.ask(identifiers.map((i) => i.value));
  return answers.map((a) =>
    a.checked
      ? { peer: a.peer, checked: true, matched: a.matchedIndexes.map((i) => identifiers[i]!.kind) }
      : { peer: a.peer, checked: false, why: a.why },
  );
}
