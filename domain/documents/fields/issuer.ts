// Who issued the document: the company named at the top of its first page.
import type { Field } from './field.ts';
import { evidence, ocrCertainty, round2, type PlacedLine } from './lines.ts';

// "SDN BHD" is the suffix OCR misreads most ("SON BHD", "SDN BND"): it is matched in those forms too.
export const companySuffix =
  /\b(?:S[DO]N\.?\s*B[HN]D|BHD|S\/B|ENTERPRISE|TRADING|LTD|LIMITED|INC|LLC|L\.?L\.?P|GMBH|PLC|CORP(?:ORATION)?|CO\.|COMPANY|RESTAURANTS?|RESTORAN|MARKET|MART|HARDWARE|STATIONERY|GARAGE|CLINIC|KLINIK|HOSPITAL|MOTORS?|PHARMACY|BAKERY|CAFE|STORE|SUPERMARKET|HOLDINGS|SERVICES?|AUTO|WORKSHOP|PERNIAGAAN|KEDAI)\b/;
export const notIssuer =
  /\bTEL\b|\bFAX\b|\bPHONE\b|\bEMAIL\b|WWW\.|HTTP|\bGST\b|\bREG\b|\bNO\s*[:.]|\bJALAN\b|\bJLN\b|\bTAMAN\b|\bSTREET\b|\bROAD\b|\bAVENUE\b|\bLOT\b|\bINVOICE\b|\bRECEIPT\b|\bCASH\s*BILL|\bDATE\b|\bTAX\b|\bWELCOME\b|\bTHANK/;
/** A line that is a suffix and nothing more ("SDN BHD" wrapped onto its own line). */
export const suffixOnly = /^\W*(?:S[DO]N\.?\s*B[HN]D|BHD|S\/B|LTD|LIMITED|INC|LLC|GMBH|PLC)\W*$/;

/** A registration number after the name, "(126926-H)" or "519537-X)", and whatever follows its bracket. */
const registrationAfterName =
  /(?<=[A-Za-z).])\s*\(?\s*(?:CO\.?\s*)?(?:REG\.?\s*(?:NO\.?)?\s*:?\s*)?[A-Z]{0,3}\d{5,}\s*-?\s*[A-Z]?\s*(?:\).*|\s\(.*)?$/;
/**
 * After a company suffix, a shorter registration number too ("SDN BHD (8199K)"): a suffix ends a
 * company's name, so digits with a check letter after it are its number, not part of the name.
 */
const registrationAfterSuffix = /(?<=\b(?:S[DO]N\.?\s*B[HN]D|BHD|S\/B)\.?)\s*\(?\s*\d{3,}\s*-?\s*[A-Z]\b.*$/i;

/** Adjacent lines: the second starts within about a line's height below the first. */
function adjacent(a: PlacedLine, b: PlacedLine): boolean {
  const height = Math.max(1, a.line.box.y1 - a.line.box.y0);
  return a.page === b.page && b.line.box.y0 - a.line.box.y1 < height * 0.8;
}

/**
 * The company's name as printed, with what OCR adds or confuses taken away: specks at the margins, the
 * registration number printed after the name ("AEON CO. (M) BHD (126926-H)") and what follows it, the
 * suffix and an ampersand misread.
 */
export function cleanName(text: string): string {
  return (
    text
      .replace(/\s+/g, ' ')
      .replace(/(?<=[a-z])I(?=[a-z])/g, 'l')
      .replace(/\bS[O0]N(?=\.?\s*BHD\b)/gi, 'SDN')
      .replace(/\b(SDN\.?\s*)BND\b/gi, '$1BHD')
      // "S/B" (Sendirian Berhad) read with a 5 for the S or a D or 8 for the B, at the end of a name.
      .replace(/(?<=[A-Za-z] )[S5]\/[BD8](?=\W*(?:\(|\d{5,}|$))/g, 'S/B')
      .replace(registrationAfterName, '')
      .replace(registrationAfterSuffix, '')
      // PP-OCR reads an ampersand between capitalised words as a lone G.
      .replace(/(?<=\b[A-Z]{2,}) G (?=[A-Z]{2,}\b)/g, ' & ')
      .replace(/^[^A-Za-z0-9(]+|[^A-Za-z0-9).]+$/g, '')
      .trim()
  );
}

/** The issuer by the rules: the first line near the top with a company suffix, else the first plausible name. */
export function issuerByRules(lines: PlacedLine[]): { value: string; chosen: PlacedLine; suffix: boolean } | undefined {
  const top = lines.filter((p) => p.page.page === 1 && p.position < 0.35);
  const plausible = (p: PlacedLine) => {
    const letters = p.line.text.replace(/[^A-Za-z]/g, '').length;
    return letters >= 4 && letters / Math.max(1, p.line.text.replace(/\s/g, '').length) > 0.6 && !notIssuer.test(p.key);
  };
  // A line written all in small letters at the top of a printed receipt is handwriting read, not the
  // letterhead (receipts print names in capitals or in title case).
  const printed = (p: PlacedLine) => /[A-Z]/.test(p.line.text);
  const withSuffix = top.find(
    (p, i) =>
      companySuffix.test(p.key) &&
      !/\bTEL\b|\bFAX\b|\bNO\s*[:.]/.test(p.key) &&
      (!suffixOnly.test(p.key) || (i > 0 && adjacent(top[i - 1]!, p))),
  );
  const chosen = withSuffix ?? top.find((p) => plausible(p) && printed(p)) ?? top.find(plausible);
  if (!chosen) return undefined;
  const at = top.indexOf(chosen);
  let text = chosen.line.text;
  // A name wrapped onto two lines: the suffix alone on the second, or a first line ending in "&".
  if (suffixOnly.test(chosen.key) && at > 0) text = `${top[at - 1]!.line.text} ${text}`;
  const next = top[at + 1];
  if (next && adjacent(chosen, next) && (suffixOnly.test(next.key) || (/(?:&|\bAND)\s*$/i.test(text) && plausible(next))))
    text = `${text} ${next.line.text}`;
  return { value: cleanName(text), chosen, suffix: withSuffix !== undefined };
}

export function extractIssuer(lines: PlacedLine[]): Field<string> | undefined {
  const found = issuerByRules(lines);
  return (
    found && {
      value: found.value,
      confidence: round2((found.suffix ? 0.8 : 0.45) * ocrCertainty(found.chosen)),
      evidence: evidence(found.chosen),
    }
  );
}
