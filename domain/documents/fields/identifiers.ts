// Identifiers and facts found after a label: policy number, claimant, vehicle registration, VIN (with its
// check digit), date of birth, and the number of claims a claims-history letter records.
import { findDates, type DateOrder } from '../dates.ts';
import type { Field } from './field.ts';
import { evidence, ocrCertainty, round2, type PlacedLine } from './lines.ts';

/** The first value after a label (on its line or the next) that `accept` takes. */
function labelled(
  lines: PlacedLine[],
  label: RegExp,
  value: RegExp,
  certainty: number,
  accept: (v: string) => boolean = () => true,
): Field<string> | undefined {
  for (let i = 0; i < lines.length; i++) {
    const p = lines[i]!;
    const m = label.exec(p.key);
    if (!m) continue;
    const rest = p.line.text.slice(m.index + m[0].length).replace(/^[\s:.#-]+/, '');
    const found = value.exec(rest) ?? (lines[i + 1] ? value.exec(lines[i + 1]!.line.text.trim()) : null);
    if (found?.[1] && accept(found[1].trim())) {
      const at = value.exec(rest) ? p : lines[i + 1]!;
      return { value: found[1].trim(), confidence: round2(certainty * ocrCertainty(at)), evidence: evidence(at) };
    }
  }
  return undefined;
}

export function extractPolicyNumber(lines: PlacedLine[]): Field<string> | undefined {
  const byLabel = labelled(lines, /POLICY\s*(?:NO\.?|NUMBER|NUM|#|REF(?:ERENCE)?)?\s*[:.#]?/, /^([A-Z]{2,5}-?\d{3,}[A-Z0-9-]*)/i, 0.95);
  if (byLabel) return { ...byLabel, value: byLabel.value.toUpperCase() };
  for (const p of lines) {
    const m = /\b(POL-?\d{3,})\b/i.exec(p.line.text);
    if (m?.[1]) return { value: m[1].toUpperCase(), confidence: round2(0.7 * ocrCertainty(p)), evidence: evidence(p) };
  }
  return undefined;
}

export function extractClaimantName(lines: PlacedLine[]): Field<string> | undefined {
  return labelled(
    lines,
    /\b(?:CLAIMANT|INSURED|POLICY\s*HOLDER|POLICYHOLDER|PATIENT|FULL\s*NAME|REGISTERED\s*(?:KEEPER|OWNER)|LICEN[CS]E\s*HOLDER)\s*(?:NAME)?\s*[:.]?|\bNAME\s*[:.]/,
    /^([A-Za-z][A-Za-z'’.-]+(?:\s+[A-Za-z][A-Za-z'’.-]+){1,4})/,
    0.85,
  );
}

export function extractVehicleRegistration(lines: PlacedLine[]): Field<string> | undefined {
  const field = labelled(
    lines,
    /\b(?:VEHICLE\s*)?(?:REG(?:ISTRATION)?\.?\s*(?:NO\.?|NUMBER|MARK|PLATE)?|PLATE\s*(?:NO\.?|NUMBER)?|LICEN[CS]E\s*PLATE|VEHICLE\s*NO\.?)\s*[:.]?/,
    /^([A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,4})?)\b/i,
    0.85,
    (v) => /\d/.test(v) && /[A-Z]/i.test(v),
  );
  return field && { ...field, value: field.value.toUpperCase() };
}

const vinWeights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const vinValues: Record<string, number> = Object.fromEntries(
  [...'ABCDEFGHJKLMNPRSTUVWXYZ'].map((c, i) => [c, [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9][i]!]),
);

/** ISO 3779 check digit (position 9), mandatory in North America, common elsewhere. */
export function vinCheckDigitValid(vin: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i]!;
    sum += (/\d/.test(c) ? Number(c) : (vinValues[c] ?? 0)) * vinWeights[i]!;
  }
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return vin[8] === check;
}

/**
 * VINs never contain I, O or Q, so OCR's versions of 1 and 0 can be put back; a stray extra character
 * is dropped when that makes the check digit right. Returns the VIN and whether its check digit holds.
 */
function repairVin(token: string): { vin: string; checked: boolean } | null {
  const mapped = token.replace(/[OQ]/g, '0').replace(/I/g, '1');
  if (mapped.length === 17) return /^[A-HJ-NPR-Z0-9]{17}$/.test(mapped) ? { vin: mapped, checked: vinCheckDigitValid(mapped) } : null;
  if (token.length === 18) {
    for (let i = 0; i < token.length; i++) {
      const candidate = (token.slice(0, i) + token.slice(i + 1)).replace(/[OQ]/g, '0').replace(/I/g, '1');
      if (/^[A-HJ-NPR-Z0-9]{17}$/.test(candidate) && vinCheckDigitValid(candidate)) return { vin: candidate, checked: true };
    }
  }
  return null;
}

export function extractVin(lines: PlacedLine[]): Field<string> | undefined {
  for (const p of lines) {
    const labelledVin = /\bVIN\b|CHASSIS|FRAME/.test(p.key);
    for (const m of p.line.text.toUpperCase().matchAll(/\b([A-Z0-9]{17,18})\b/g)) {
      const repaired = repairVin(m[1]!);
      if (!repaired || !/\d/.test(repaired.vin) || !/[A-Z]/.test(repaired.vin)) continue;
      if (!labelledVin && !repaired.checked) continue;
      return { value: repaired.vin, confidence: round2((repaired.checked ? 0.95 : 0.7) * ocrCertainty(p)), evidence: evidence(p) };
    }
  }
  return undefined;
}

export function extractDateOfBirth(lines: PlacedLine[], order: DateOrder): Field<string> | undefined {
  for (let i = 0; i < lines.length; i++) {
    const p = lines[i]!;
    const label = /DATE\s*OF\s*BIRTH|\bDOB\b|\bBORN\b/.exec(p.key);
    if (!label) continue;
    // The date follows the label on its line, or is the first date on the next.
    const sameLine = findDates(p.line.text.slice(label.index + label[0].length), order)[0];
    const at = sameLine ? p : lines[i + 1];
    const found = sameLine ?? (at ? findDates(at.line.text, order)[0] : undefined);
    if (found && at)
      return { value: found.iso, confidence: round2((found.repaired ? 0.6 : 0.9) * ocrCertainty(at)), evidence: evidence(at) };
  }
  return undefined;
}

const countWords: Record<string, number> = { NO: 0, NONE: 0, ZERO: 0, ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5, SIX: 6 };

export function extractClaimCount(lines: PlacedLine[]): Field<number> | undefined {
  for (const p of lines) {
    // "Number of claims: 2", "Claims in the last 3 years: none", "Claims made: 0".
    const labelled =
      /(?:NUMBER\s*OF\s*CLAIMS|CLAIMS\s*(?:MADE|RECORDED|NOTIFIED)|CLAIMS\s*(?:IN|DURING)\s*THE\s*(?:LAST|PAST)\s*\w+\s*YEARS?|TOTAL\s*CLAIMS)[^:\dA-Z]*[:]?\s*(\d{1,2}|[A-Z]+)\b/.exec(
        p.key,
      );
    const value = labelled ? (/^\d+$/.test(labelled[1]!) ? Number(labelled[1]) : countWords[labelled[1]!]) : undefined;
    if (value !== undefined) return { value, confidence: round2(0.9 * ocrCertainty(p)), evidence: evidence(p) };
    // "No claims have been made", "There were no claims during this period".
    if (
      /\bNO\s*CLAIMS\s*(?:HAVE\s*BEEN|WERE|WAS)?\s*(?:MADE|RECORDED|NOTIFIED|DURING|IN\s*THE)/.test(p.key) ||
      /THERE\s*(?:HAVE\s*BEEN|WERE)\s*NO\s*CLAIMS/.test(p.key)
    ) {
      return { value: 0, confidence: round2(0.8 * ocrCertainty(p)), evidence: evidence(p) };
    }
  }
  return undefined;
}
