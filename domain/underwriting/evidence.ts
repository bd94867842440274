// Consistency checks: what the applicant's documents say against what the application declares. A
// document that contradicts the application, cannot be read, or is required and missing sends the
// application to an underwriter with the evidence (page, box, text); the engine never declines on it.
import type { Reason } from '../shared/decision.ts';
import { editDistance } from '../shared/edit-distance.ts';
import type { DocumentKind } from '../documents/classify.ts';
import type { Evidence } from '../documents/extract.ts';
import type { DocumentFacts } from '../documents/reconcile.ts';

export const evidenceRulesVersion = 'evidence-checks@1.0.0';

export type EvidenceKind = Extract<DocumentKind, 'id_document' | 'vehicle_registration' | 'claims_history'>;

export const evidenceNames: Record<EvidenceKind, string> = {
  id_document: 'ID or driving licence',
  vehicle_registration: 'vehicle registration certificate',
  claims_history: "previous insurer's claims history",
};

/** What the application declares that documents can confirm. */
export interface DeclaredFacts {
  readonly name: string;
  readonly dateOfBirth: string;
  /** The registration of what is insured; null when the product insures nothing registered. */
  readonly registration: string | null;
  readonly priorClaims: number;
}

/** A document as read, like a claim's (without when it arrived: evidence is not dated against a loss). */
export type EvidenceDocument = Omit<DocumentFacts, 'receivedOn'>;

export type CheckStatus = 'MATCH' | 'MISMATCH' | 'NOT_FOUND';

export interface EvidenceCheck {
  readonly documentId: string;
  readonly kind: EvidenceKind;
  readonly field: 'name' | 'dateOfBirth' | 'registration' | 'priorClaims';
  readonly status: CheckStatus;
  readonly declared: string;
  readonly found: string | null;
  readonly evidence: Evidence | null;
}

export interface EvidenceResult {
  readonly checks: readonly EvidenceCheck[];
  /** Why an underwriter must look; empty when every document confirms the application. */
  readonly referrals: readonly Reason[];
  readonly version: string;
}

const letters = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 1);

/**
 * The same person: every name word of the shorter form appears in the longer (any order: licences print
 * the surname first), allowing one OCR slip per word of five letters or more.
 */
export function sameName(declared: string, found: string): boolean {
  const [short, long] = [letters(declared), letters(found)].sort((x, y) => x.length - y.length) as [string[], string[]];
  if (short.length === 0) return false;
  return short.every((word) => long.some((other) => other === word || (word.length >= 5 && editDistance(word, other) <= 1)));
}

const compact = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

export function checkEvidence(
  declared: DeclaredFacts,
  documents: readonly EvidenceDocument[],
  required: readonly EvidenceKind[],
): EvidenceResult {
  const checks: EvidenceCheck[] = [];
  const referrals: Reason[] = [];
  const check = (
    doc: EvidenceDocument,
    kind: EvidenceKind,
    field: EvidenceCheck['field'],
    declaredValue: string,
    found: { value: string; evidence: Evidence } | undefined,
    agrees: (v: string) => boolean,
  ) => {
    checks.push({
      documentId: doc.documentId,
      kind,
      field,
      status: !found ? 'NOT_FOUND' : agrees(found.value) ? 'MATCH' : 'MISMATCH',
      declared: declaredValue,
      found: found?.value ?? null,
      evidence: found?.evidence ?? null,
    });
  };
  for (const doc of documents) {
    if (!doc.readable) {
      referrals.push({ code: 'EVIDENCE_UNREADABLE', message: `${doc.fileName} could not be read (${doc.problem ?? 'unknown problem'}).` });
      continue;
    }
    const f = doc.fields;
    const name = f.claimantName && { value: f.claimantName.value, evidence: f.claimantName.evidence };
    if (doc.kind === 'id_document') {
      check(doc, 'id_document', 'name', declared.name, name, (v) => sameName(declared.name, v));
      check(
        doc,
        'id_document',
        'dateOfBirth',
        declared.dateOfBirth,
        f.dateOfBirth && { value: f.dateOfBirth.value, evidence: f.dateOfBirth.evidence },
        (v) => v === declared.dateOfBirth,
      );
    } else if (doc.kind === 'vehicle_registration') {
      const reg = f.vehicleRegistration && { value: f.vehicleRegistration.value, evidence: f.vehicleRegistration.evidence };
      const registration = declared.registration;
      if (registration !== null)
        check(doc, 'vehicle_registration', 'registration', registration, reg, (v) => compact(v) === compact(registration));
      check(doc, 'vehicle_registration', 'name', declared.name, name, (v) => sameName(declared.name, v));
    } else if (doc.kind === 'claims_history') {
      const count = f.claimCount && { value: String(f.claimCount.value), evidence: f.claimCount.evidence };
      // Fewer claims on record than declared is no risk to the insurer; more is a misstatement.
      check(doc, 'claims_history', 'priorClaims', String(declared.priorClaims), count, (v) => Number(v) <= declared.priorClaims);
      check(doc, 'claims_history', 'name', declared.name, name, (v) => sameName(declared.name, v));
    }
  }
  const label: Record<EvidenceCheck['field'], string> = {
    name: 'name',
    dateOfBirth: 'date of birth',
    registration: 'registration',
    priorClaims: 'number of claims',
  };
  for (const c of checks) {
    const where = `${evidenceNames[c.kind]} (${documents.find((d) => d.documentId === c.documentId)?.fileName ?? c.documentId})`;
    if (c.status === 'MISMATCH') {
      referrals.push({
        code: c.field === 'priorClaims' ? 'CLAIMS_UNDERSTATED' : 'EVIDENCE_MISMATCH',
        message: `The ${where} gives ${label[c.field]} '${c.found}'${c.evidence ? ` (page ${c.evidence.page})` : ''}; the application says '${c.declared}'.`,
      });
    } else if (c.status === 'NOT_FOUND') {
      referrals.push({ code: 'EVIDENCE_INCONCLUSIVE', message: `The ${label[c.field]} could not be found on the ${where}.` });
    }
  }
  for (const kind of required) {
    if (!documents.some((d) => d.readable && d.kind === kind))
      referrals.push({ code: 'EVIDENCE_MISSING', message: `No ${evidenceNames[kind]} was sent.` });
  }
  return { checks, referrals, version: evidenceRulesVersion };
}
