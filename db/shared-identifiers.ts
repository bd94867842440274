// The identifiers of claims as the insurers compare them (domain/fraud/shared-identifiers.ts), read from
// the claims store: one claim's (what the engine asks other insurers about) or every claim's in a period
// (what it answers them against).
import { and, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import { claimIdentifiers, type SharedIdentifier } from '../domain/fraud/shared-identifiers.ts';
import type { Database } from './client.ts';
import { claims, documents } from './schema.ts';

export async function identifiersOfClaims(
  db: Database,
  where: { claimId: string } | { since: Date },
): Promise<Map<string, SharedIdentifier[]>> {
  const rows = await db
    .select({ id: claims.id, incidentDate: claims.incidentDate, payoutAccount: claims.payoutAccount })
    .from(claims)
    .where('claimId' in where ? eq(claims.id, where.claimId) : gte(claims.createdAt, where.since));
  const docs =
    rows.length === 0
      ? []
      : await db
          .select({ claimId: documents.claimId, sha256: documents.sha256, fields: documents.fields })
          .from(documents)
          .where(
            and(
              isNotNull(documents.claimId),
              inArray(
                documents.claimId,
                rows.map((r) => r.id),
              ),
            ),
          );
  const byClaim = new Map<string, { sha256: string; fields: (typeof docs)[number]['fields'] }[]>();
  for (const d of docs) byClaim.set(d.claimId!, [...(byClaim.get(d.claimId!) ?? []), d]);
  return new Map(
    rows.map((r) => [
      r.id,
      claimIdentifiers({ incidentDate: r.incidentDate, documents: byClaim.get(r.id) ?? [], payoutIban: r.payoutAccount?.iban ?? null }),
    ]),
  );
}
