// Money is carried as integer minor units with its ISO 4217 currency: no floating point ever touches an
// amount that may be paid.

export interface Money {
  /** Integer amount in the currency's minor unit (cents for EUR). */
  readonly minor: number;
  /** ISO 4217 alphabetic code. */
  readonly currency: string;
}

const zeroDecimal = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const threeDecimal = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export function minorUnitDigits(currency: string): number {
  if (zeroDecimal.has(currency)) return 0;
  if (threeDecimal.has(currency)) return 3;
  return 2;
}

export const currencyPattern = /^[A-Z]{3}$/;

/**
 * ISO 4217 codes of the currencies in use, from the runtime's ICU data (162 in Node 24; no funds, metals or
 * test codes such as XXX): three capital letters alone do not make a currency.
 */
const currenciesInUse: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return currencyPattern.test(code) && currenciesInUse.has(code);
}

export type ParsedAmount = { ok: true; money: Money } | { ok: false; problem: string };

/**
 * Parses a decimal amount ("1250", "1250.5", "1250.50", or a JS number with no more decimals than the
 * currency allows) into minor units, exactly.
 */
export function parseAmount(amount: string | number, currency: string): ParsedAmount {
  if (!isCurrencyCode(currency)) return { ok: false, problem: `'${currency}' is not an ISO 4217 currency code` };
  const digits = minorUnitDigits(currency);
  const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  if (text === undefined) return { ok: false, problem: 'amount must be a finite number' };
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(text);
  if (!match) return { ok: false, problem: `'${String(amount)}' is not a plain decimal amount like 1250.00` };
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) {
    return { ok: false, problem: `${currency} amounts have at most ${digits} decimal places` };
  }
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, problem: 'amount is too large' };
  return { ok: true, money: { minor, currency } };
}

function numberToPlainString(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // toString gives the shortest round-tripping form, so 0.1 stays "0.1", and never exponent form below 1e21.
  return value.toString();
}

/** "1250.00" for { minor: 125000, currency: 'EUR' }. */
export function formatAmount(money: Money): string {
  const digits = minorUnitDigits(money.currency);
  const sign = money.minor < 0 ? '-' : '';
  const abs = Math.abs(money.minor);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}

/** "EUR 1,250.00": for summaries and letters, never parsed back. */
export function displayAmount(money: Money): string {
  const [whole = '0', fraction] = formatAmount(money).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${money.currency} ${fraction === undefined ? grouped : `${grouped}.${fraction}`}`;
}

/** Major units as a float, for the `ClaimAmount` search attribute only (filtering, not accounting). */
export function toMajorUnits(money: Money): number {
  return money.minor / 10 ** minorUnitDigits(money.currency);
}
