// What a claim needs from a document: its kind, and the fields decisions use (total, date, issuer,
// policy number, claimant, vehicle), each with a confidence (0-1) and the evidence (page, box, text) an
// adjuster can check. Rules over the text and its layout; OCR errors are expected and voted away where
// a document repeats itself (receipts print their total several times).
// Each field's rules live in fields/; this module names the rules' version and puts a document's fields
// together.
import { findAmounts } from './amounts.ts';
import { classifyDocument } from './classify.ts';
import type { DocumentText } from './layout.ts';
import { extractDate } from './fields/date.ts';
import type { DocumentExtraction, ExtractedFields, ExtractionOptions } from './fields/field.ts';
import {
  extractClaimantName,
  extractClaimCount,
  extractDateOfBirth,
  extractPolicyNumber,
  extractVehicleRegistration,
  extractVin,
} from './fields/identifiers.ts';
import { extractIssuer } from './fields/issuer.ts';
import { issuerBySelector } from './fields/issuer-selector.ts';
import { placeLines } from './fields/lines.ts';
import { chooseByVote, extractTotal } from './fields/total.ts';
import { chooseBySelector } from './fields/total-selector.ts';

export type { DocumentAmount, DocumentExtraction, Evidence, ExtractedFields, ExtractionOptions, Field } from './fields/field.ts';
export { vinCheckDigitValid } from './fields/identifiers.ts';

export const extractionRulesVersion = 'extraction-rules@1.6.0';

export function extractDocument(doc: DocumentText, options: ExtractionOptions = {}): DocumentExtraction {
  const lines = placeLines(doc);
  const { kind, confidence } = classifyDocument(lines.map((p) => p.key).join('\n'));
  const fields: { -readonly [K in keyof ExtractedFields]: ExtractedFields[K] } = {};
  const { selectors = {} } = options;
  const total = extractTotal(lines, selectors.total ? chooseBySelector(selectors.total) : chooseByVote);
  if (total && kind !== 'id_document') fields.total = total;
  const date = extractDate(lines, options.dateOrder ?? 'DMY');
  if (date) fields.date = date;
  const issuer = selectors.issuer ? issuerBySelector(lines, selectors.issuer) : extractIssuer(lines);
  if (issuer) fields.issuer = issuer;
  const policyNumber = extractPolicyNumber(lines);
  if (policyNumber) fields.policyNumber = policyNumber;
  const claimantName = extractClaimantName(lines);
  if (claimantName) fields.claimantName = claimantName;
  const vehicleRegistration = extractVehicleRegistration(lines);
  if (vehicleRegistration) fields.vehicleRegistration = vehicleRegistration;
  const vin = extractVin(lines);
  if (vin) fields.vin = vin;
  const dateOfBirth = extractDateOfBirth(lines, options.dateOrder ?? 'DMY');
  if (dateOfBirth) fields.dateOfBirth = dateOfBirth;
  const claimCount = kind === 'claims_history' ? extractClaimCount(lines) : undefined;
  if (claimCount) fields.claimCount = claimCount;
  const amountsPrinted = lines.reduce((n, p) => n + findAmounts(p.line.text).filter((a) => a.hasDecimals).length, 0);
  // The version names the trained selectors too: they decide which total and issuer are read.
  const version = [extractionRulesVersion, selectors.total?.version, selectors.issuer?.version].filter(Boolean).join('+');
  return { kind, kindConfidence: confidence, fields, amountsPrinted, version };
}
