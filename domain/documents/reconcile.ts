// Reconciliation: do the documents support the claim? Each disagreement becomes a flag with a severity
// and the evidence (document, page, box, text) for the adjuster. Triage refers a claim with a medium or
// high flag; lower ones are shown, not acted on.
import type { Reason } from '../shared/decision.ts';
import { displayAmount, minorUnitDigits, type Money } from '../shared/money.ts';
import type { DocumentKind } from './classify.ts';
import type { Evidence, ExtractedFields } from './extract.ts';

export const reconciliationRulesVersion = 'reconciliation-rules@1.0.0';

export type FlagSeverity = 'info' | 'low' | 'medium' | 'high';

export interface Flag extends Reason {
  readonly severity: FlagSeverity;
  /** The document the flag is about, when it is about one. */
  readonly documentId: string | null;
  readonly evidence: readonly (Evidence & { readonly documentId: string })[];
}

export interface DocumentFacts {
  readonly documentId: string;
  readonly fileName: string;
  /** False when the document could not be read at all. */
  readonly readable: boolean;
  readonly problem: string | null;
  readonly kind: DocumentKind;
  readonly fields: ExtractedFields;
  /** Amounts with cents printed on it (absent for documents read before this was counted). */
  readonly amountsPrinted?: number;
  /** ISO date the document reached us: nothing can be dated after it. */
  readonly receivedOn: string;
}

export interface ClaimFactsForDocuments {
  readonly policyNumber: string;
  readonly incidentDate: string;
  readonly claimed: Money;
}

/** Kinds whose total is a cost the claim may be for. */
export const costedKinds: readonly DocumentKind[] = ['receipt', 'estimate', 'medical_bill', 'other'];
/** Kinds that only exist because of the loss, so cannot be older than it. */
const afterLossKinds: readonly DocumentKind[] = ['estimate', 'medical_bill', 'police_report'];

/** Document amounts are in hundredths; the claim is in the currency's own minor unit. */
export const minorPerCent = (currency: string) => 10 ** (minorUnitDigits(currency) - 2);

export function reconcileDocuments(claim: ClaimFactsForDocuments, documents: readonly DocumentFacts[]): { flags: Flag[]; version: string } {
  const flags: Flag[] = [];
  const flag = (code: string, severity: FlagSeverity, message: string, doc: DocumentFacts | null, evidence: (Evidence | undefined)[]) =>
    flags.push({
      code,
      severity,
      message,
      documentId: doc?.documentId ?? null,
      evidence: doc ? evidence.filter((e): e is Evidence => e !== undefined).map((e) => ({ ...e, documentId: doc.documentId })) : [],
    });

  for (const doc of documents) {
    if (!doc.readable) {
      flag('DOCUMENT_UNREADABLE', 'medium', `${doc.fileName} could not be read: ${doc.problem ?? 'unknown problem'}.`, doc, []);
      continue;
    }
    const { fields } = doc;
    if (fields.policyNumber && normalizeId(fields.policyNumber.value) !== normalizeId(claim.policyNumber)) {
      flag(
        'POLICY_NUMBER_MISMATCH',
        fields.policyNumber.confidence >= 0.6 ? 'high' : 'medium',
        `${doc.fileName} names policy ${fields.policyNumber.value}, not ${claim.policyNumber}.`,
        doc,
        [fields.policyNumber.evidence],
      );
    }
    if (fields.date) {
      if (fields.date.value > doc.receivedOn) {
        flag(
          'DOCUMENT_DATED_IN_FUTURE',
          'high',
          `${doc.fileName} is dated ${fields.date.value}, after it was received (${doc.receivedOn}).`,
          doc,
          [fields.date.evidence],
        );
      } else if (fields.date.value < claim.incidentDate && afterLossKinds.includes(doc.kind)) {
        flag(
          'DOCUMENT_PREDATES_INCIDENT',
          'medium',
          `${doc.fileName} (${doc.kind.replace('_', ' ')}) is dated ${fields.date.value}, before the incident on ${claim.incidentDate}.`,
          doc,
          [fields.date.evidence],
        );
      } else if (fields.date.value < claim.incidentDate && doc.kind === 'receipt') {
        flag(
          'RECEIPT_PREDATES_INCIDENT',
          'low',
          `${doc.fileName} is dated ${fields.date.value}, before the incident on ${claim.incidentDate}: a proof of purchase, or a cost that is not this loss.`,
          doc,
          [fields.date.evidence],
        );
      }
    }
    const total = fields.total;
    if (total?.value.currency && total.value.currency !== claim.claimed.currency) {
      flag(
        'DOCUMENT_CURRENCY_DIFFERS',
        'medium',
        `${doc.fileName} is in ${total.value.currency}; the claim is in ${claim.claimed.currency}, so its total cannot be compared.`,
        doc,
        [total.evidence],
      );
    }
  }

  // The amount claimed against the costs the documents show, where they show any in the claim currency.
  const costed = documents.filter(
    (d) =>
      d.readable &&
      costedKinds.includes(d.kind) &&
      d.fields.total &&
      (d.fields.total.value.currency ?? claim.claimed.currency) === claim.claimed.currency,
  );
  if (costed.length > 0) {
    const scale = minorPerCent(claim.claimed.currency);
    const documented = costed.reduce((sum, d) => sum + Math.round(d.fields.total!.value.cents * scale), 0);
    const documentedMoney: Money = { minor: documented, currency: claim.claimed.currency };
    const tolerance = amountTolerance(documented, scale);
    const evidence = costed.flatMap((d) => [{ ...d.fields.total!.evidence, documentId: d.documentId }]);
    const sure = costed.every((d) => d.fields.total!.confidence >= 0.5);
    const across = `${costed.length} document${costed.length === 1 ? '' : 's'}`;
    if (claim.claimed.minor > documented + tolerance) {
      flags.push({
        code: 'AMOUNT_EXCEEDS_DOCUMENTS',
        severity: sure ? 'high' : 'medium',
        message: `The claimed ${displayAmount(claim.claimed)} is more than the documents show (${displayAmount(documentedMoney)} across ${across}).`,
        documentId: costed.length === 1 ? costed[0]!.documentId : null,
        evidence,
      });
    } else if (claim.claimed.minor < documented - tolerance) {
      flags.push({
        code: 'AMOUNT_BELOW_DOCUMENTS',
        severity: 'info',
        message: `The claimed ${displayAmount(claim.claimed)} is less than the documents show (${displayAmount(documentedMoney)} across ${across}).`,
        documentId: costed.length === 1 ? costed[0]!.documentId : null,
        evidence,
      });
    }
  }
  return { flags, version: reconciliationRulesVersion };
}

function normalizeId(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * How far a claimed amount may be from what the documents show before it is flagged: 1% of the
 * documented amount, and never less than one major unit (1.00 of the currency; `scale` minor units per
 * hundredth), so that rounding to the nearest 5 cents or a till's rounding line is not a discrepancy.
 */
export function amountTolerance(documentedMinor: number, scale = 1): number {
  return Math.max(Math.round(documentedMinor * 0.01), 100 * scale);
}
