// The total paid, voted for by every line that states it and by the arithmetic receipts print.
import { findAmounts, type AmountMatch } from '../amounts.ts';
import { findCurrencyMarks, type CurrencyMarks } from '../currency.ts';
import type { Box, PageText } from '../layout.ts';
import type { DocumentAmount, Field } from './field.ts';
import { amountsOf, evidence, ocrCertainty, round2, type PlacedLine } from './lines.ts';

// The tax a total includes ("(Total included GST @ 6% : 1.42)") is printed as a note in brackets or
// with its rate; "Total incl. GST 25.15" is the total itself.
const excludedTotal =
  /SUB\s*-?\s*TOTAL|TOTAL\s*\(?\s*(?:QTY|QUANTITY|ITEMS?|NO\.? OF|GST|TAX|VAT|SST|DISC|DISCOUNT|SAV(?:ING|E)S?|EXCL|EXCLUSIVE|EXCLUDING|POINTS?|WEIGHT|UNITS?|PCS|BEFORE)|TOTAL\s*SALES?\s*\(?\s*EXCL|\bQTY\b.*\bTOTAL|GST\s*SUMMARY|\bTAX\s*TOTAL|TOTAL\s*\(?\s*EXCL|ITEM\s*COUNT|^\W*\(\s*TOTAL\s*INCLUDED?\s*(?:GST|SST|TAX|VAT)|TOTAL\s*INCLUDED\s*(?:GST|SST|TAX|VAT)\s*@/;
const strongTotal =
  /ROUND(?:ED|ING)?\s*(?:TOTAL|AMOUNT)|TOTAL\s*ROUND|GRAND\s*TOTAL|NETT?\s*(?:TOTAL|AMOUNT|AMT)\b|TOTAL\s*(?:AMOUNT|AMT)?\s*(?:DUE|PAYABLE)|AMOUNT\s*(?:DUE|PAYABLE)|BALANCE\s*DUE|TOTAL\s*(?:SALES?\s*)?\(?\s*INCL|TOTAL\s*[:.]?\s*\(?\s*(?:RM|MYR|EUR|USD|GBP|\$|€|£)|TOTAL\s*AMOUNT|TOTAL\s*PAYABLE|TOTAL\s*SALES|AMOUNT\s*INCL|JUMLAH\s*(?:BESAR|BAYARAN)|(?:IN)?CLUSIV\w*\s*(?:OF\s*)?(?:GST|SST|TAX|VAT)/;
const plainTotal = /\bTOTAL\b|\bT[O0]TAL\b|\bTOTA[L1I]\b|\bTOTL\b|\bJUMLAH\b|\bAMOUNT\b|\bAMT\b|^\W*TL\b|^\W*DUE\b/;
const paymentLine =
  /\bCASH\b(?!\s*(?:BILL|SALES?\b))|TENDER|\bPAID\b|PAYMENT|\bVISA\b|MASTER\s*CARD|CREDIT\s*CARD|DEBIT|\bCARD\b|E-?WALLET|BOOST|GRAB\s*PAY/;
const changeLine = /\b[CS]HANGE\b|\bBAKI\b|\bCHG\b/;
const nonAmountLine =
  /\bTEL\b|\bFAX\b|\bPHONE\b|\b(?:GST|SST|TAX|VAT)\s*(?:REG|[I1]D|N[OE0]\b|N[OE0]\.|#)|\bREG\.?\s*NO|\bINVOICE\s*NO|\bBILL\s*NO|\bDOC(?:UMENT)?\s*NO|\bRECEIPT\s*NO|\bCASHIER\b|\bTABLE\b|\bPAX\b/;

/** Amounts printed on the line, or at the same height to its right (OCR may split a row in two). */
function amountsNear(lines: PlacedLine[], index: number): { amount: AmountMatch; at: PlacedLine; box: Box }[] {
  const p = lines[index]!;
  const own = amountsOf(p);
  if (own.length > 0) return own;
  const { y0, y1, x1 } = p.line.box;
  const height = Math.max(1, y1 - y0);
  const sameRow = lines.filter(
    (q) =>
      q !== p &&
      q.page === p.page &&
      q.line.box.x0 >= x1 - height &&
      Math.abs((q.line.box.y0 + q.line.box.y1) / 2 - (y0 + y1) / 2) < height * 0.6,
  );
  const right = sameRow.flatMap(amountsOf);
  if (right.length > 0) return right;
  const below = lines[index + 1];
  if (
    below &&
    below.page === p.page &&
    below.line.box.y0 - y1 < height * 1.2 &&
    !/[A-Z]{3,}/.test(below.key.replace(/\b(?:RM|MYR|EUR|USD|GBP|SGD)\b/g, ''))
  ) {
    return amountsOf(below);
  }
  return [];
}

const preTaxLine =
  /SUB\s*-?\s*TOTAL|TOTAL\s*(?:SALES?\s*)?\(?\s*EXCL|EXCLUD(?:ING|ED)\s*(?:GST|TAX|SST)|TOTAL\s*BEFORE|NET\s*OF\s*(?:GST|TAX)/;
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

export interface AmountSighting {
  readonly cents: number;
  readonly at: PlacedLine;
  readonly box: Box;
  readonly amount: AmountMatch;
}

/** One amount the total could be, with the evidence behind it. */
export interface TotalCandidate {
  readonly cents: number;
  /** The vote: the weights of the independent readings behind this amount. */
  readonly score: number;
  /** Which kinds of reading voted for it: total, total-plain, payment, subtotal, arithmetic, ... */
  readonly sources: ReadonlySet<string>;
  /** Where the amount itself is printed; absent for an amount only the arithmetic derives. */
  readonly printedAt: AmountSighting | undefined;
  /** What an adjuster is shown: where it is printed, else the total line it was derived beside. */
  readonly evidenceAt: AmountSighting | undefined;
}

/** What the document says about its total: the candidates and what else it prints. */
export interface TotalReading {
  readonly candidates: readonly TotalCandidate[];
  /** Every amount printed with its cents, in hundredths. */
  readonly decimals: readonly number[];
  /** Whether a rounding adjustment is printed. */
  readonly rounding: boolean;
  readonly marks: CurrencyMarks;
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
 * The amounts the total could be. Every line that states a total, a payment, change, a pre-tax
 * subtotal, tax or rounding contributes: totals vote for their amount; the arithmetic receipts print
 * (cash less change, subtotal plus tax, total plus rounding) derives further candidates. An amount
 * several independent readings agree on scores highest, which outvotes single OCR misreadings of a digit
 * or a decimal point.
 */
export function readTotalCandidates(lines: PlacedLine[]): TotalReading {
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
      if (text.startsWith('5') && text.length >= 3)
        vote(t.cents - 5 * 10 ** (text.length - 1), 0.8 * (totals.includes(t) ? 2 : 1), 'dollar-as-5');
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
  // Where such an amount is printed, lowest on the page, is the evidence shown for it.
  const printedAt = (cents: number): AmountSighting | undefined => {
    for (let i = lines.length - 1; i >= 0; i--) {
      const found = amountsOf(lines[i]!).find((a) => a.amount.cents === cents && a.amount.hasDecimals);
      if (found) return { cents, at: found.at, box: found.box, amount: found.amount };
    }
    return undefined;
  };
  for (const [cents, weight] of derived)
    vote(cents, weight + (printed.has(cents) ? 1 : 0), 'arithmetic', printed.has(cents) ? printedAt(cents) : undefined);
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

  // The document's currency, from all it prints (currency.ts); a sign beside the total alone may be OCR noise.
  const marks = findCurrencyMarks(lines.map((p) => p.line.text));
  const decimals = everyAmount.filter((a) => a.hasDecimals).map((a) => a.cents);
  const candidates: TotalCandidate[] = [...votes].map(([cents, entry]) => ({
    cents,
    score: entry.score,
    sources: entry.sources,
    // Evidence for a derived amount: the line it is printed on if any, else the best total line.
    printedAt: entry.sighting,
    evidenceAt: entry.sighting ?? totals[0] ?? payments[0],
  }));
  return { candidates: candidates.filter((c) => c.evidenceAt !== undefined), decimals, rounding: rounding !== undefined, marks };
}

/** Where a candidate is printed in reading order (page, then height on it); -1 for one only derived. */
export const printedOrder = (c: TotalCandidate) => (c.printedAt ? c.printedAt.at.page.page * 1e6 + c.printedAt.box.y0 : -1);

/** Which candidate is the total, and how sure that is (0-1). */
export type TotalChoice = (reading: TotalReading) => { chosen: TotalCandidate; confidence: number } | undefined;

/** The total by the vote alone: the rules' choice, and the choice where no trained selector is given. */
export const chooseByVote: TotalChoice = (reading) => {
  // On a tie, the amount printed lowest on the page: receipts end with the amount finally paid.
  const lowest = printedOrder;
  let chosen: TotalCandidate | undefined;
  for (const c of reading.candidates)
    if (!chosen || c.score > chosen.score || (c.score === chosen.score && lowest(c) > lowest(chosen))) chosen = c;
  if (!chosen) return undefined;
  // Every amount the document prints is this one (one item, its total): the items sum to it, which is
  // the arithmetic confirming it, and there is nothing else it could be confused with.
  const sole = reading.decimals.length > 0 && reading.decimals.every((c) => c === chosen.cents);
  // A strong total line alone is 3 points; confirmed by the arithmetic, 4.5 or more: certain.
  return { chosen, confidence: round2(Math.min(1, (chosen.score + (sole ? 1.5 : 0)) / 4.5) * ocrCertainty(chosen.evidenceAt!.at)) };
};

/**
 * The total paid: the candidate `choose` picks (a trained selector, total-selector.ts, or the vote's
 * winner), else the largest amount printed, as a guess.
 */
export function extractTotal(lines: PlacedLine[], choose: TotalChoice = chooseByVote): Field<DocumentAmount> | undefined {
  const reading = readTotalCandidates(lines);
  const choice = choose(reading);
  if (choice) {
    const { chosen, confidence } = choice;
    const at = chosen.evidenceAt!;
    return {
      value: { cents: chosen.cents, currency: reading.marks.printed, marks: reading.marks },
      confidence,
      evidence: evidence(at.at, chosen.printedAt ? at.box : at.at.line.box),
    };
  }
  const currency = reading.marks.printed;
  const marks = reading.marks;
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
