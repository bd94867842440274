// Amounts as printed: 1,234.56 | 1.234,56 | 1 234,56 | 1234.56 | RM 9.00 | RM9.00 | $ 9 | EUR 12,50 | 9.00-.
// A "$" marks an amount but names no one currency (currency.ts decides with the policy's).

export interface AmountMatch {
  /** In hundredths of the major unit (documents rarely print a third decimal). */
  readonly cents: number;
  readonly text: string;
  /** Position in the searched string. */
  readonly index: number;
  /** True when the number had a decimal part, which is how most amounts are printed. */
  readonly hasDecimals: boolean;
  /** ISO code of a currency sign or code printed next to it, if it names one currency. */
  readonly currency: string | null;
  /** A currency sign or code is printed next to it (a "$" names no one currency, but marks an amount). */
  readonly marked: boolean;
}

const currencyMarks: readonly [RegExp, string][] = [
  [/^(?:RM|MYR)$/i, 'MYR'],
  [/^(?:€|EUR|EURO)$/i, 'EUR'],
  [/^(?:£|GBP)$/i, 'GBP'],
  [/^(?:US\$|USD)$/i, 'USD'],
  [/^(?:S\$|SGD)$/i, 'SGD'],
  [/^(?:CHF)$/i, 'CHF'],
  [/^(?:JPY|¥)$/i, 'JPY'],
];

export function currencyOf(mark: string): string | null {
  for (const [re, code] of currencyMarks) if (re.test(mark)) return code;
  return null;
}

// A number with optional thousands groups and an optional 1-2 digit decimal part; the separators are
// told apart by position (the last separator followed by exactly two digits, or one, is the decimal).
// OCR sometimes puts a space after the decimal point ("20. 00"); two digits after it still count.
// Malaysian tills glue the ringgit sign to the number ("RM9.90").
const numberPattern =
  /(?:(?<![\w.,])|(?<=(?<![A-Za-z])RM))(\d{1,3}(?:([.,\s'])\d{3})+|\d+)(?:([.,])(?: (?=\d{2}(?!\d)))?(\d{1,2}))?(?![\d%]|[.,]\d|\s?%)/g;
const markBefore = /(RM|MYR|EUR|EURO|GBP|USD|SGD|CHF|JPY|US\$|S\$|[$€£¥])\s*$/i;
const markAfter = /^\s*(RM|MYR|EUR|GBP|USD|SGD|CHF|JPY|€|£)/i;

export function findAmounts(text: string): AmountMatch[] {
  const found: AmountMatch[] = [];
  for (const m of text.matchAll(numberPattern)) {
    const [whole, integerPart = '', groupSeparator, decimalSeparator, decimals] = m;
    if (groupSeparator !== undefined && decimalSeparator === groupSeparator) continue; // 1,234,56 is not a number
    if (groupSeparator === ' ' && decimals === undefined) continue; // "10 000" is too often two numbers
    const integer = Number(integerPart.replace(/[.,\s']/g, ''));
    if (!Number.isSafeInteger(integer)) continue;
    const cents = integer * 100 + (decimals ? Number(decimals.padEnd(2, '0')) : 0);
    const index = m.index;
    const before = markBefore.exec(text.slice(Math.max(0, index - 6), index));
    const after = markAfter.exec(text.slice(index + whole.length, index + whole.length + 6));
    const mark = before?.[1] ?? after?.[1];
    found.push({
      cents,
      text: whole,
      index,
      hasDecimals: decimals !== undefined,
      currency: mark ? currencyOf(mark) : null,
      marked: mark !== undefined,
    });
  }
  return found;
}

/** A single amount from a field's value ("$8.20", "1.234,56", "9"), or null. */
export function parseAmountText(text: string): AmountMatch | null {
  const amounts = findAmounts(text.trim());
  return amounts.length === 1 ? amounts[0]! : null;
}
