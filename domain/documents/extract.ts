// What a claim needs from a document: its kind, and the fields decisions use (total, date, issuer,
// policy number, claimant, vehicle), each with a confidence (0-1) and the evidence (page, box, text) an
// adjuster can check. Rules over the text and its layout; OCR errors are expected and voted away where
// a document repeats itself (receipts print their total several times).
import { editDistance } from '../edit-distance.ts';
import { findAmounts, type AmountMatch } from './amounts.ts';
import { classifyDocument, type DocumentKind } from './classify.ts';
import { findCurrencyMarks, type CurrencyMarks } from './currency.ts';
import { findDates, type DateOrder } from './dates.ts';
import type { Box, DocumentText, Line, PageText } from './layout.ts';

export const extractionRulesVersion = 'extraction-rules@1.3.0';

export interface Evidence {
  readonly page: number;
  readonly box: Box;
  readonly text: string;
}

export interface Field<T> {
  readonly value: T;
  /** 0-1: how sure the rules and the OCR are together. */
  readonly confidence: number;
  readonly evidence: Evidence;
}

export interface DocumentAmount {
  /** Hundredths of the major unit. */
  readonly cents: number;
  /** ISO code printed with it or elsewhere on the document; null when the document names none. */
  readonly currency: string | null;
  /** All the document prints about its currency, for establishing it against the policy's (currency.ts). */
  readonly marks?: CurrencyMarks;
}

export interface ExtractedFields {
  readonly total?: Field<DocumentAmount>;
  /** ISO date. */
  readonly date?: Field<string>;
  readonly issuer?: Field<string>;
  readonly policyNumber?: Field<string>;
  readonly claimantName?: Field<string>;
  readonly vehicleRegistration?: Field<string>;
  readonly vin?: Field<string>;
  /** ISO date: ID documents and driving licences. */
  readonly dateOfBirth?: Field<string>;
  /** Claims a previous insurer records for the holder: claims-history letters. */
  readonly claimCount?: Field<number>;
}

export interface DocumentExtraction {
  readonly kind: DocumentKind;
  readonly kindConfidence: number;
  readonly fields: ExtractedFields;
  /** Amounts with cents printed anywhere on it: none says a photo or a letter, not a bill whose total was missed. */
  readonly amountsPrinted: number;
  readonly version: string;
}

export interface ExtractionOptions {
  /** How to read 03/04/2018; day first unless the documents come from month-first countries. */
  readonly dateOrder?: DateOrder;
}

interface PlacedLine {
  readonly page: PageText;
  readonly line: Line;
  /** Upper-case, OCR look-alikes in words folded (0->O, 1->I, 5->S): for keyword matching only. */
  readonly key: string;
  /** 0 at the top of the page, 1 at the bottom. */
  readonly position: number;
}

function keyText(text: string): string {
  return text
    .toUpperCase()
    .replace(/(?<=[A-Z])[0](?=[A-Z])|(?<=[A-Z])0\b|\b0(?=[A-Z]{2})/g, 'O')
    .replace(/(?<=[A-Z])[1|!](?=[A-Z])/g, 'I')
    .replace(/(?<=[A-Z])5(?=[A-Z])|\b5(?=[A-Z]{2})/g, 'S')
    .replace(/\s+/g, ' ')
    .replace(/\b[A-Z]{5,}\b/g, nearestKeyword);
}

/**
 * The words the total rules key on, and words a misreading could be taken for but must stay themselves
 * (a service CHARGE is not CHANGE). OCR of thermal print drops or swaps a letter: "TATAL", "CHANG",
 * "REUNDING".
 */
const keywords = ['TOTAL', 'CHANGE', 'CHARGE', 'ROUNDING', 'ROUNDED', 'AMOUNT', 'SUBTOTAL', 'INCLUSIVE', 'EXCLUDING', 'EXCLUSIVE', 'INCLUDING', 'ADJUSTMENT', 'SUMMARY', 'DISCOUNT', 'PAYABLE', 'SERVICE'];

/** A word within one edit (two for eight letters or more) of exactly one keyword becomes that keyword. */
function nearestKeyword(word: string): string {
  if (keywords.includes(word)) return word;
  const allowed = word.length >= 8 ? 2 : 1;
  let found: string | undefined;
  for (const k of keywords) {
    if (Math.abs(k.length - word.length) > allowed || editDistance(word, k, allowed) > allowed) continue;
    if (found !== undefined) return word;
    found = k;
  }
  return found ?? word;
}

function placeLines(doc: DocumentText): PlacedLine[] {
  return doc.pages.flatMap((page) =>
    page.lines.map((line) => ({ page, line, key: keyText(line.text), position: page.height > 0 ? line.box.y0 / page.height : 0 })),
  );
}

const evidence = (p: PlacedLine, box: Box = p.line.box): Evidence => ({ page: p.page.page, box, text: p.line.text });
const ocrCertainty = (p: PlacedLine) => Math.max(0.2, Math.min(1, p.line.confidence / 100));
const round2 = (n: number) => Math.round(n * 100) / 100;

// ---- total ---------------------------------------------------------------------------------------

const excludedTotal =
  /SUB\s*-?\s*TOTAL|TOTAL\s*\(?\s*(?:QTY|QUANTITY|ITEMS?|NO\.? OF|GST|TAX|VAT|SST|DISC|DISCOUNT|SAV(?:ING|E)S?|EXCL|EXCLUSIVE|EXCLUDING|POINTS?|WEIGHT|UNITS?|PCS|BEFORE)|TOTAL\s*SALES?\s*\(?\s*EXCL|\bQTY\b.*\bTOTAL|GST\s*SUMMARY|\bTAX\s*TOTAL|TOTAL\s*\(?\s*EXCL|ITEM\s*COUNT/;
const strongTotal =
  /ROUND(?:ED|ING)?\s*(?:TOTAL|AMOUNT)|TOTAL\s*ROUND|GRAND\s*TOTAL|NETT?\s*(?:TOTAL|AMOUNT)|TOTAL\s*(?:AMOUNT|AMT)?\s*(?:DUE|PAYABLE)|AMOUNT\s*(?:DUE|PAYABLE)|BALANCE\s*DUE|TOTAL\s*(?:SALES?\s*)?\(?\s*INCL|TOTAL\s*[:.]?\s*\(?\s*(?:RM|MYR|EUR|USD|GBP|\$|€|£)|TOTAL\s*AMOUNT|TOTAL\s*PAYABLE|TOTAL\s*SALES|AMOUNT\s*INCL|JUMLAH\s*(?:BESAR|BAYARAN)|(?:IN)?CLUSIV\w*\s*(?:OF\s*)?(?:GST|SST|TAX|VAT)/;
const plainTotal = /\bTOTAL\b|\bT[O0]TAL\b|\bTOTA[L1I]\b|\bJUMLAH\b|\bAMOUNT\b|\bAMT\b|^\W*TL\b/;
const paymentLine = /\bCASH\b(?!\s*(?:BILL|SALES?\b))|TENDER|\bPAID\b|PAYMENT|\bVISA\b|MASTER\s*CARD|CREDIT\s*CARD|DEBIT|\bCARD\b|E-?WALLET|BOOST|GRAB\s*PAY/;
const changeLine = /\b[CS]HANGE\b|\bBAKI\b|\bCHG\b/;
const nonAmountLine = /\bTEL\b|\bFAX\b|\bPHONE\b|\b(?:GST|SST|TAX|VAT)\s*(?:REG|[I1]D|N[OE0]\b|N[OE0]\.|#)|\bREG\.?\s*NO|\bINVOICE\s*NO|\bBILL\s*NO|\bDOC(?:UMENT)?\s*NO|\bRECEIPT\s*NO|\bCASHIER\b|\bTABLE\b|\bPAX\b/;

/** Amounts printed on the line, or at the same height to its right (OCR may split a row in two). */
function amountsNear(lines: PlacedLine[], index: number): { amount: AmountMatch; at: PlacedLine; box: Box }[] {
  const p = lines[index]!;
  const own = amountsOf(p);
  if (own.length > 0) return own;
  const { y0, y1, x1 } = p.line.box;
  const height = Math.max(1, y1 - y0);
  const sameRow = lines.filter(
    (q) => q !== p && q.page === p.page && q.line.box.x0 >= x1 - height && Math.abs((q.line.box.y0 + q.line.box.y1) / 2 - (y0 + y1) / 2) < height * 0.6,
  );
  const right = sameRow.flatMap(amountsOf);
  if (right.length > 0) return right;
  const below = lines[index + 1];
  if (below && below.page === p.page && below.line.box.y0 - y1 < height * 1.2 && !/[A-Z]{3,}/.test(below.key.replace(/\b(?:RM|MYR|EUR|USD|GBP|SGD)\b/g, ''))) {
    return amountsOf(below);
  }
  return [];
}

function amountsOf(p: PlacedLine): { amount: AmountMatch; at: PlacedLine; box: Box }[] {
  return findAmounts(p.line.text).map((amount) => ({ amount, at: p, box: wordBoxAt(p.line, amount.index, amount.text.length) }));
}

/** The box of the words covering characters [start, start+length) of the line's text. */
function wordBoxAt(line: Line, start: number, length: number): Box {
  let offset = 0;
  const covered = line.words.filter((w) => {
    const from = line.text.indexOf(w.text, offset);
    const to = from + w.text.length;
    if (from >= 0) offset = to;
    return from >= 0 && from < start + length && to > start;
  });
  if (covered.length === 0) return line.box;
  return {
    x0: Math.min(...covered.map((w) => w.box.x0)),
    y0: Math.min(...covered.map((w) => w.box.y0)),
    x1: Math.max(...covered.map((w) => w.box.x1)),
    y1: Math.max(...covered.map((w) => w.box.y1)),
  };
}

const preTaxLine = /SUB\s*-?\s*TOTAL|TOTAL\s*(?:SALES?\s*)?\(?\s*EXCL|EXCLUD(?:ING|ED)\s*(?:GST|TAX|SST)|TOTAL\s*BEFORE|NET\s*OF\s*(?:GST|TAX)/;
const taxLine = /(?:TOTAL\s*)?(?:GST|SST|VAT|TAX)(?:\s*(?:@|\d+\s*%|AMOUNT|\(RM\)))?|SERVICE\s*(?:CHARGE|TAX)/;
const roundingLine = /ROUND(?:ING|ED)?\s*(?:ADJ(?:USTMENT)?)?/;
/** Heads the table of tax by rate printed under the total; its "TOTAL" is the tax table's, not the bill's. */
const taxSummaryHeading = /(?:GST|SST|VAT|TAX)\s*SUMMARY/;

/** Same number of digits, one of them different: how OCR misreads a printed amount most often. */
function oneDigitApart(a: number, b: number): boolean {
  const x = String(a);
  const y = String(b);
  if (x.length !== y.length || x === y) return false;
  let differences = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differences++;
  return differences === 1;
}

interface AmountSighting {
  readonly cents: number;
  readonly at: PlacedLine;
  readonly box: Box;
  readonly amount: AmountMatch;
}

/**
 * The amount a line reports: the last one on it, or beside it, or (for a label alone) just below it.
 * A trailing zero is a tax or discount column ("Total 80.91 0.00"), not what the line reports.
 */
function reportedAmount(lines: PlacedLine[], index: number): AmountSighting | undefined {
  const near = amountsNear(lines, index);
  const last = near.filter((a) => a.amount.cents > 0).at(-1) ?? near.at(-1);
  return last ? { cents: last.amount.cents, at: last.at, box: last.box, amount: last.amount } : undefined;
}

/**
 * The total paid. Every line that states a total, a payment, change, a pre-tax subtotal, tax or
 * rounding contributes: totals vote for their amount; the arithmetic receipts print (cash less change,
 * subtotal plus tax, total plus rounding) derives further candidates. An amount several independent
 * readings agree on wins, which outvotes single OCR misreadings of a digit or a decimal point.
 */
function extractTotal(lines: PlacedLine[]): Field<DocumentAmount> | undefined {
  const votes = new Map<number, { score: number; sources: Set<string>; sighting: AmountSighting | undefined; weight: number }>();
  const vote = (cents: number, weight: number, source: string, sighting?: AmountSighting) => {
    if (cents <= 0 || !Number.isSafeInteger(cents)) return;
    const entry = votes.get(cents) ?? { score: 0, sources: new Set<string>(), sighting: undefined, weight: -1 };
    // One vote per kind of evidence: the same total printed twice counts once more, not without limit.
    entry.score += entry.sources.has(source) ? weight * 0.5 : weight;
    entry.sources.add(source);
    if (sighting && weight > entry.weight) {
      entry.sighting = sighting;
      entry.weight = weight;
    }
    votes.set(cents, entry);
  };

  const totals: AmountSighting[] = [];
  const payments: AmountSighting[] = [];
  let change: number | undefined;
  let preTax: number | undefined;
  let tax = 0;
  let taxRead = false;
  let rounding: { cents: number; signed: boolean; at: PlacedLine } | undefined;
  let inTaxSummary: PageText | undefined;

  lines.forEach((p, i) => {
    if (taxSummaryHeading.test(p.key)) inTaxSummary = p.page;
    if (nonAmountLine.test(p.key)) return;
    // Within the tax summary only an unmistakable total or a payment still speaks for the bill (some
    // invoices print the summary before "Amount due").
    if (inTaxSummary === p.page && !strongTotal.test(p.key) && !paymentLine.test(p.key) && !changeLine.test(p.key)) return;
    const seen = reportedAmount(lines, i);
    if (!seen) return;
    const decimalsDropped = !seen.amount.hasDecimals && !seen.amount.marked && seen.cents >= 10_000;
    // A tax is printed with its cents; a lone small whole number beside "GST" is a rate or a speck.
    const taxReading = seen.amount.hasDecimals || decimalsDropped;
    if (roundingLine.test(p.key) && !strongTotal.test(p.key.replace(roundingLine, ''))) {
      const cents = decimalsDropped ? seen.cents / 100 : seen.cents;
      // Rounding is printed as "-0.02", "(0.02)" or, on some tills, without a sign at all.
      const negative = /-\s*[\d.,]+\s*$|\(\s*[\d.,]+\s*\)|-\s*0/.test(p.line.text);
      if (cents <= 10) rounding = { cents: negative ? -cents : cents, signed: negative || cents === 0 || /\+/.test(p.line.text), at: p };
      return;
    }
    if (changeLine.test(p.key)) {
      change = seen.cents;
      return;
    }
    if (preTaxLine.test(p.key)) {
      preTax = decimalsDropped ? seen.cents / 100 : seen.cents;
      vote(preTax, 0.5, 'subtotal', seen);
      return;
    }
    if (excludedTotal.test(p.key)) {
      if (taxLine.test(p.key) && taxReading) {
        tax += decimalsDropped ? seen.cents / 100 : seen.cents;
        taxRead = true;
      }
      return;
    }
    // "Total (inclusive of GST)" names the tax but is the total.
    if (taxLine.test(p.key) && !plainTotal.test(p.key.replace(taxLine, '')) && !strongTotal.test(p.key)) {
      if (taxReading) {
        tax += decimalsDropped ? seen.cents / 100 : seen.cents;
        taxRead = true;
      }
      return;
    }
    const weight = strongTotal.test(p.key) ? 3 : plainTotal.test(p.key) ? 2 : paymentLine.test(p.key) ? 1 : 0;
    if (weight === 0) return;
    const source = weight === 1 ? 'payment' : weight === 3 ? 'total' : 'total-plain';
    const list = weight === 1 ? payments : totals;
    if (seen.amount.hasDecimals) {
      vote(seen.cents, weight, source, seen);
      list.push(seen);
      return;
    }
    // A whole number on a total line: either it is whole, or OCR dropped its decimal point (8091 for
    // 80.91). Both readings are candidates; the arithmetic and the other lines decide.
    vote(seen.cents, weight * 0.3, source, seen);
    list.push(seen);
    if (seen.cents >= 10_000) {
      const dropped = { ...seen, cents: seen.cents / 100 };
      vote(dropped.cents, weight * 0.5, source, dropped);
      list.push(dropped);
    }
  });

  // "$8.20" is often read as "58.20": on a document priced in dollars, a total starting with 5 also
  // counts for the amount without it.
  if (lines.some((p) => /\$/.test(p.line.text))) {
    for (const t of [...totals, ...payments]) {
      const text = t.amount.text.replace(/[^\d]/g, '');
      if (text.startsWith('5') && text.length >= 3) vote(t.cents - 5 * 10 ** (text.length - 1), 0.8 * (totals.includes(t) ? 2 : 1), 'dollar-as-5');
    }
  }
  const derived = new Map<number, number>();
  if (change !== undefined && change > 0) {
    for (const paid of payments) if (paid.cents > change) derived.set(paid.cents - change, 2.5);
  }
  // A tax larger than the goods it is charged on is a misread (or a registration number).
  if (preTax !== undefined && tax > preTax * 0.5) {
    tax = 0;
    taxRead = false;
  }
  const roundings = rounding === undefined ? [] : rounding.signed ? [rounding.cents] : [rounding.cents, -rounding.cents];
  // Subtotal, tax and rounding read separately and added up: three readings behind one amount.
  const sums = new Set<number>();
  // The subtotal alone is no second reading of the total: only a tax line read beside it makes a sum.
  if (preTax !== undefined && taxRead) {
    const base = preTax + tax;
    derived.set(base, Math.max(derived.get(base) ?? 0, 1));
    sums.add(base);
    for (const r of roundings) {
      derived.set(base + r, Math.max(derived.get(base + r) ?? 0, 2));
      sums.add(base + r);
    }
  }
  // Arithmetic that lands on an amount printed elsewhere on the document (an item, a payment) is two
  // independent readings agreeing.
  const everyAmount = lines.flatMap((p) => findAmounts(p.line.text));
  const printed = new Set(everyAmount.map((a) => a.cents));
  for (const [cents, weight] of derived) vote(cents, weight + (printed.has(cents) ? 1 : 0), 'arithmetic');
  // Change of 0.00 says the payment was the total exactly: a second word for the payment's amount, but
  // still the one reading of it.
  if (change === 0) for (const paid of payments) if (paid.amount.hasDecimals) vote(paid.cents, 1, 'exact-payment');
  // A sum one digit away from a printed total: the total's digit was misread, or the sum's. The total
  // lends it half its weight, so a sum agreeing with a misread total outweighs the misreading alone.
  const totalCents = new Set(totals.map((t) => t.cents));
  for (const cents of sums) {
    for (const t of totalCents) if (oneDigitApart(cents, t)) vote(cents, 0.5 * (votes.get(t)?.score ?? 0), 'total-misread');
  }
  if (rounding !== undefined && rounding.cents !== 0) {
    // Only a total printed before the rounding line is the unrounded one.
    const roundingAt = lines.indexOf(rounding.at);
    for (const t of totals) {
      if (lines.indexOf(t.at) > roundingAt) continue;
      for (const r of roundings) vote(t.cents + r, 1.5, 'total-rounded');
    }
  }

  // On a tie, the amount printed lowest on the page: receipts end with the amount finally paid.
  const lowest = (s: AmountSighting | undefined) => (s ? s.at.page.page * 1e6 + s.box.y0 : -1);
  let winner: { cents: number; score: number; sighting: AmountSighting | undefined } | undefined;
  for (const [cents, entry] of votes) {
    if (!winner || entry.score > winner.score || (entry.score === winner.score && lowest(entry.sighting) > lowest(winner.sighting))) {
      winner = { cents, ...entry };
    }
  }
  // The document's currency, from all it prints (currency.ts); a sign beside the total alone may be OCR noise.
  const marks = findCurrencyMarks(lines.map((p) => p.line.text));
  const currency = marks.printed;
  if (winner) {
    // Evidence for a derived amount: the line it is printed on if any, else the best total line.
    const sighting = winner.sighting ?? totals[0] ?? payments[0];
    if (sighting) {
      // Every amount the document prints is this one (one item, its total): the items sum to it, which is
      // the arithmetic confirming it, and there is nothing else it could be confused with.
      const decimals = everyAmount.filter((a) => a.hasDecimals).map((a) => a.cents);
      const sole = decimals.length > 0 && decimals.every((c) => c === winner.cents);
      return {
        value: { cents: winner.cents, currency, marks },
        // A strong total line alone is 3 points; confirmed by the arithmetic, 4.5 or more: certain.
        confidence: round2(Math.min(1, (winner.score + (sole ? 1.5 : 0)) / 4.5) * ocrCertainty(sighting.at)),
        evidence: evidence(sighting.at, winner.sighting ? sighting.box : sighting.at.line.box),
      };
    }
  }
  // No line says "total": the largest amount with decimals, not a payment or change line, is a guess.
  let largest: { amount: AmountMatch; at: PlacedLine; box: Box } | undefined;
  lines.forEach((p) => {
    if (paymentLine.test(p.key) || changeLine.test(p.key) || nonAmountLine.test(p.key)) return;
    for (const a of amountsOf(p)) if (a.amount.hasDecimals && (!largest || a.amount.cents > largest.amount.cents)) largest = a;
  });
  if (!largest) return undefined;
  return {
    value: { cents: largest.amount.cents, currency, marks },
    confidence: round2(0.3 * ocrCertainty(largest.at)),
    evidence: evidence(largest.at, largest.box),
  };
}

// ---- date ----------------------------------------------------------------------------------------

const dateLabel = /\bDATE\b|\bDATED\b|\bTARIKH\b|\bDT\b|\bISSUED\b|\bINVOICE\s*DATE|\bDATE\s*OF\s*(?:LOSS|INCIDENT|ACCIDENT|ISSUE)/;
const timeOfDay = /^\s*[,@-]?\s*(?:[01]?\d|2[0-3])\s?(?::|\.\s?[0-5]\d)/;
const otherDate = /EXPIR|\bEXP\b|VALID|BIRTH|\bDOB\b|\bDUE\b|PRINTED|MANUFACTUR/;

function extractDate(lines: PlacedLine[], order: DateOrder): Field<string> | undefined {
  let best: { score: number; iso: string; at: PlacedLine; box: Box } | undefined;
  const counts = new Map<string, number>();
  const candidates: { iso: string; at: PlacedLine; box: Box; base: number }[] = [];
  for (const p of lines) {
    if (otherDate.test(p.key)) continue;
    for (const d of findDates(p.line.text, order)) {
      counts.set(d.iso, (counts.get(d.iso) ?? 0) + 1);
      const after = p.line.text.slice(d.index + d.text.length);
      const before = p.line.text.slice(0, d.index);
      const base =
        (dateLabel.test(p.key) ? 2 : 0) +
        (d.unambiguous ? 0.5 : 0) +
        (1 - p.position) * 0.5 +
        (p.page.page === 1 ? 0.25 : 0) -
        (d.repaired ? 0.75 : 0) +
        // Tills print the date with the time of sale; digits glued to letters are a code or a number.
        (timeOfDay.test(after) ? 0.75 : 0) -
        (/[A-Za-z]$/.test(before) ? 0.75 : 0);
      candidates.push({ iso: d.iso, at: p, box: wordBoxAt(p.line, d.index, d.text.length), base });
    }
  }
  for (const c of candidates) {
    const score = c.base + ((counts.get(c.iso) ?? 1) - 1) * 0.5;
    if (!best || score > best.score) best = { score, iso: c.iso, at: c.at, box: c.box };
  }
  if (!best) return undefined;
  const certainty = Math.min(1, 0.5 + best.score / 4);
  return { value: best.iso, confidence: round2(certainty * ocrCertainty(best.at)), evidence: evidence(best.at, best.box) };
}

// ---- issuer --------------------------------------------------------------------------------------

const companySuffix =
  /\b(?:SDN\.?\s*BHD|BHD|S\/B|ENTERPRISE|TRADING|LTD|LIMITED|INC|LLC|L\.?L\.?P|GMBH|PLC|CORP(?:ORATION)?|CO\.|COMPANY|RESTAURANTS?|RESTORAN|MARKET|MART|HARDWARE|STATIONERY|GARAGE|CLINIC|KLINIK|HOSPITAL|MOTORS?|PHARMACY|BAKERY|CAFE|STORE|SUPERMARKET|HOLDINGS|SERVICES?|AUTO|WORKSHOP|PERNIAGAAN|KEDAI)\b/;
const notIssuer =
  /\bTEL\b|\bFAX\b|\bPHONE\b|\bEMAIL\b|WWW\.|HTTP|\bGST\b|\bREG\b|\bNO\s*[:.]|\bJALAN\b|\bJLN\b|\bTAMAN\b|\bSTREET\b|\bROAD\b|\bAVENUE\b|\bLOT\b|\bINVOICE\b|\bRECEIPT\b|\bCASH\s*BILL|\bDATE\b|\bTAX\b|\bWELCOME\b|\bTHANK/;

function extractIssuer(lines: PlacedLine[]): Field<string> | undefined {
  const top = lines.filter((p) => p.page.page === 1 && p.position < 0.35);
  const plausible = (p: PlacedLine) => {
    const letters = p.line.text.replace(/[^A-Za-z]/g, '').length;
    return letters >= 4 && letters / Math.max(1, p.line.text.replace(/\s/g, '').length) > 0.6 && !notIssuer.test(p.key);
  };
  const withSuffix = top.find((p) => companySuffix.test(p.key) && !/\bTEL\b|\bFAX\b|\bNO\s*[:.]/.test(p.key));
  const chosen = withSuffix ?? top.find(plausible);
  if (!chosen) return undefined;
  // OCR turns specks at the margin into leading or trailing punctuation.
  const value = chosen.line.text.replace(/\s+/g, ' ').replace(/^[^A-Za-z0-9(]+|[^A-Za-z0-9).]+$/g, '').trim();
  return { value, confidence: round2((withSuffix ? 0.8 : 0.45) * ocrCertainty(chosen)), evidence: evidence(chosen) };
}

// ---- identifiers ---------------------------------------------------------------------------------

/** The first value after a label (on its line or the next) that `accept` takes. */
function labelled(lines: PlacedLine[], label: RegExp, value: RegExp, certainty: number, accept: (v: string) => boolean = () => true): Field<string> | undefined {
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

function extractPolicyNumber(lines: PlacedLine[]): Field<string> | undefined {
  const byLabel = labelled(lines, /POLICY\s*(?:NO\.?|NUMBER|NUM|#|REF(?:ERENCE)?)?\s*[:.#]?/, /^([A-Z]{2,5}-?\d{3,}[A-Z0-9-]*)/i, 0.95);
  if (byLabel) return { ...byLabel, value: byLabel.value.toUpperCase() };
  for (const p of lines) {
    const m = /\b(POL-?\d{3,})\b/i.exec(p.line.text);
    if (m?.[1]) return { value: m[1].toUpperCase(), confidence: round2(0.7 * ocrCertainty(p)), evidence: evidence(p) };
  }
  return undefined;
}

function extractClaimantName(lines: PlacedLine[]): Field<string> | undefined {
  return labelled(
    lines,
    /\b(?:CLAIMANT|INSURED|POLICY\s*HOLDER|POLICYHOLDER|PATIENT|FULL\s*NAME|REGISTERED\s*(?:KEEPER|OWNER)|LICEN[CS]E\s*HOLDER)\s*(?:NAME)?\s*[:.]?|\bNAME\s*[:.]/,
    /^([A-Za-z][A-Za-z'’.-]+(?:\s+[A-Za-z][A-Za-z'’.-]+){1,4})/,
    0.85,
  );
}

function extractVehicleRegistration(lines: PlacedLine[]): Field<string> | undefined {
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

function extractVin(lines: PlacedLine[]): Field<string> | undefined {
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

function extractDateOfBirth(lines: PlacedLine[], order: DateOrder): Field<string> | undefined {
  for (let i = 0; i < lines.length; i++) {
    const p = lines[i]!;
    const label = /DATE\s*OF\s*BIRTH|\bDOB\b|\bBORN\b/.exec(p.key);
    if (!label) continue;
    // The date follows the label on its line, or is the first date on the next.
    const sameLine = findDates(p.line.text.slice(label.index + label[0].length), order)[0];
    const at = sameLine ? p : lines[i + 1];
    const found = sameLine ?? (at ? findDates(at.line.text, order)[0] : undefined);
    if (found && at) return { value: found.iso, confidence: round2((found.repaired ? 0.6 : 0.9) * ocrCertainty(at)), evidence: evidence(at) };
  }
  return undefined;
}

const countWords: Record<string, number> = { NO: 0, NONE: 0, ZERO: 0, ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5, SIX: 6 };

function extractClaimCount(lines: PlacedLine[]): Field<number> | undefined {
  for (const p of lines) {
    // "Number of claims: 2", "Claims in the last 3 years: none", "Claims made: 0".
    const labelled = /(?:NUMBER\s*OF\s*CLAIMS|CLAIMS\s*(?:MADE|RECORDED|NOTIFIED)|CLAIMS\s*(?:IN|DURING)\s*THE\s*(?:LAST|PAST)\s*\w+\s*YEARS?|TOTAL\s*CLAIMS)[^:\dA-Z]*[:]?\s*(\d{1,2}|[A-Z]+)\b/.exec(p.key);
    const value = labelled ? (/^\d+$/.test(labelled[1]!) ? Number(labelled[1]) : countWords[labelled[1]!]) : undefined;
    if (value !== undefined) return { value, confidence: round2(0.9 * ocrCertainty(p)), evidence: evidence(p) };
    // "No claims have been made", "There were no claims during this period".
    if (/\bNO\s*CLAIMS\s*(?:HAVE\s*BEEN|WERE|WAS)?\s*(?:MADE|RECORDED|NOTIFIED|DURING|IN\s*THE)/.test(p.key) || /THERE\s*(?:HAVE\s*BEEN|WERE)\s*NO\s*CLAIMS/.test(p.key)) {
      return { value: 0, confidence: round2(0.8 * ocrCertainty(p)), evidence: evidence(p) };
    }
  }
  return undefined;
}

// ---- document ------------------------------------------------------------------------------------

export function extractDocument(doc: DocumentText, options: ExtractionOptions = {}): DocumentExtraction {
  const lines = placeLines(doc);
  const { kind, confidence } = classifyDocument(lines.map((p) => p.key).join('\n'));
  const fields: { -readonly [K in keyof ExtractedFields]: ExtractedFields[K] } = {};
  const total = extractTotal(lines);
  if (total && kind !== 'id_document') fields.total = total;
  const date = extractDate(lines, options.dateOrder ?? 'DMY');
  if (date) fields.date = date;
  const issuer = extractIssuer(lines);
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
  return { kind, kindConfidence: confidence, fields, amountsPrinted, version: extractionRulesVersion };
}
