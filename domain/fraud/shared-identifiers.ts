// What two insurers compare to find the same loss claimed from both, without showing each other their
// claims (the private set intersection, platform/psi): identifiers normalised so that the same invoice,
// vehicle or bank account gives the same text at either insurer, each tagged with what it is, so that a
// match can say in words what was shared.
import type { ExtractedFields } from '../documents/extract.ts';
import { normalizeIban } from '../shared/iban.ts';

export type SharedIdentifierKind = 'document' | 'receipt' | 'vehicle' | 'payout-account';

export interface SharedIdentifier {
  readonly kind: SharedIdentifierKind;
  /** The normalised text both insurers hash: "<kind>:<value>". */
  readonly value: string;
}

export interface ClaimIdentifyingFacts {
  readonly incidentDate: string;
  readonly documents: readonly { readonly sha256: string; readonly fields: ExtractedFields | null }[];
  readonly payoutIban: string | null;
}

/** Issuers compared as SROIE compares them: case, spacing and punctuation do not count. */
const normalizeText = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Registration plates and VINs without spaces, dashes or case. */
const normalizePlate = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '');

export function claimIdentifiers(f: ClaimIdentifyingFacts): SharedIdentifier[] {
  const out = new Map<string, SharedIdentifier>();
  const add = (kind: SharedIdentifierKind, value: string) => out.set(`${kind}:${value}`, { kind, value: `${kind}:${value}` });
  for (const d of f.documents) {
    add('document', d.sha256.toLowerCase());
    const fields = d.fields;
    // A receipt is the same receipt when its issuer, date and total are: a rescan or a photo of it too.
    if (fields?.issuer && fields.date && fields.total && normalizeText(fields.issuer.value).length >= 3)
      add('receipt', `${normalizeText(fields.issuer.value)}|${fields.date.value}|${fields.total.value.cents}`);
    const vehicle = fields?.vin?.value ?? fields?.vehicleRegistration?.value;
    if (vehicle && normalizePlate(vehicle).length >= 2) add('vehicle', `${normalizePlate(vehicle)}|${f.incidentDate}`);
  }
  if (f.payoutIban) add('payout-account', normalizeIban(f.payoutIban));
  return [...out.values()];
}

export const identifierWords: Record<SharedIdentifierKind, string> = {
  document: 'the same document file',
  receipt: 'the same receipt (issuer, date and total)',
  vehicle: 'the same vehicle on the same day',
  'payout-account': 'the same payout bank account',
};
