// In which currency a document's amounts are. Only what the document prints counts: a code or a sign
// that names one currency (RM, €, EUR), a word (ringgit, euro), a sign shared by several currencies
// ($, kr), and the country its address and tax numbers place it in. The policy's currency is the prior
// that a shared sign or the country may confirm; a bare number never establishes a currency.

/** Signs that several currencies print: they say which family, the policy's currency may say which one. */
export const currencyFamilies = {
  dollar: ['USD', 'SGD', 'AUD', 'CAD', 'NZD', 'HKD', 'BND'],
  krona: ['SEK', 'NOK', 'DKK', 'ISK'],
} as const;
export type CurrencyFamily = keyof typeof currencyFamilies;

/** What a document prints about its money, found by the extraction rules. */
export interface CurrencyMarks {
  /** An ISO code that the document names, by code, by its own sign or by its name; the most printed one. */
  readonly printed: string | null;
  /** Signs that name a family, not one currency. */
  readonly families: readonly CurrencyFamily[];
  /** ISO 3166 country the document's company forms, address or tax numbers place it in, if they agree. */
  readonly country: string | null;
}

export const noCurrencyMarks: CurrencyMarks = { printed: null, families: [], country: null };

/** The currency each country's shops and workshops print their amounts in. */
const countryCurrency: Readonly<Record<string, string>> = {
  MY: 'MYR',
  SG: 'SGD',
  DE: 'EUR',
  FR: 'EUR',
  NL: 'EUR',
  SE: 'SEK',
  GB: 'GBP',
  US: 'USD',
};

const countryCues: readonly [string, RegExp][] = [
  [
    'MY',
    /\bSDN\.?\s*BHD\b|\bBHD\b|\bMALAYSIA\b|\.COM\.MY\b|\bSELANGOR\b|\bJOHOR\b|KUALA\s*LUMPUR|\bPULAU\s*PINANG\b|\bPENANG\b|\bPERAK\b|\bKEDAH\b|\bMELAKA\b|\bPAHANG\b|\bSABAH\b|\bSARAWAK\b|NEGERI\s*SEMBILAN|\bPUTRAJAYA\b|\bJALAN\b|\bJLN\.?\s|\bTAMAN\b|\bGST\s*ID\b|\bCUKAI\b/,
  ],
  ['SG', /\bSINGAPORE\b|\bPTE\.?\s*LTD\b|\.COM\.SG\b|\bGST\s*REG(?:ISTRATION)?\s*NO\b/],
  ['DE', /\bGMBH\b|\bMWST\b|\bUST-?ID|\bDEUTSCHLAND\b|\bSTRASSE\b|STRAßE/],
  ['FR', /\bTVA\b|\bSIRET\b|\bFRANCE\b/],
  ['NL', /\bBTW\b|\bNEDERLAND\b|\bB\.V\.\s/],
  ['SE', /\bMOMS\b|\bSVERIGE\b|\bORG\.?\s*NR\b/],
];

/** Codes and words that name one currency: printed once, they say it. */
const namedCurrencies: readonly [RegExp, string][] = [
  [/\bRM\b|\bMYR\b|\bRINGGIT\b|RM(?=\s?\d)/, 'MYR'],
  [/\bEUR\b|\bEUROS?\b/, 'EUR'],
  [/\bGBP\b|\bPOUNDS?\s+STERLING\b/, 'GBP'],
  [/\bUSD\b/, 'USD'],
  [/\bSGD\b/, 'SGD'],
  [/\bSEK\b|\bKRONOR\b/, 'SEK'],
  [/\bCHF\b/, 'CHF'],
  [/\bJPY\b/, 'JPY'],
];
/**
 * Signs of one currency. OCR of thermal print turns a Y into ¥, an E into € or £, a 5 and a $ into S$:
 * a sign counts only when it is printed on two lines or more, and not against the shop's country.
 */
const currencySigns: readonly [RegExp, string][] = [
  [/€/, 'EUR'],
  [/£/, 'GBP'],
  [/US\$/, 'USD'],
  [/(?<!U)S\$/, 'SGD'],
  [/¥/, 'JPY'],
];

/**
 * Reads a document's currency marks from its lines. A code counts once per line it is printed on, a sign
 * from its second line on; the currency printed on most lines is the document's (none on a tie).
 */
export function findCurrencyMarks(lines: readonly string[]): CurrencyMarks {
  const codes = new Map<string, number>();
  const signs = new Map<string, number>();
  const countries = new Map<string, number>();
  const families = new Set<CurrencyFamily>();
  for (const raw of lines) {
    const text = raw.toUpperCase();
    for (const [re, code] of namedCurrencies) if (re.test(text)) codes.set(code, (codes.get(code) ?? 0) + 1);
    for (const [re, code] of currencySigns) if (re.test(text)) signs.set(code, (signs.get(code) ?? 0) + 1);
    // A dollar sign that is not part of US$ or S$ (those name one currency).
    if (/(?<![A-Z])\$/.test(text.replace(/U?S\$/g, ''))) families.add('dollar');
    if (/\d\s?KR\b|\bKR\.?\s?\d/.test(text)) families.add('krona');
    for (const [country, re] of countryCues) if (re.test(text)) countries.set(country, (countries.get(country) ?? 0) + 1);
  }
  const country = mostCommon(countries);
  // A sign against the country the shop is in is taken for noise; a code is not.
  const againstCountry = (code: string) => country !== null && countryCurrency[country] !== undefined && countryCurrency[country] !== code;
  for (const [code, lines] of signs) if (lines >= 2 && !againstCountry(code)) codes.set(code, (codes.get(code) ?? 0) + lines);
  return { printed: mostCommon(codes), families: [...families], country };
}

function mostCommon(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let most = 0;
  let tie = false;
  for (const [key, n] of counts) {
    if (n > most) [best, most, tie] = [key, n, false];
    else if (n === most) tie = true;
  }
  return tie ? null : best;
}

export interface EstablishedCurrency {
  readonly currency: string;
  /** What established it, for the adjuster: the document printed it, or its sign or country confirmed the prior. */
  readonly basis: 'printed' | 'sign' | 'country';
}

/**
 * The currency of a document's amounts given what it prints and the policy's currency as the prior; null
 * when the document does not establish one. A printed code wins even against the prior (the amount is in
 * another currency); a shared sign or the country only ever confirms the prior.
 */
export function establishCurrency(marks: CurrencyMarks, prior: string): EstablishedCurrency | null {
  if (marks.printed) return { currency: marks.printed, basis: 'printed' };
  const countryAgrees = marks.country !== null && countryCurrency[marks.country] === prior;
  const inFamily = marks.families.some((f) => (currencyFamilies[f] as readonly string[]).includes(prior));
  if (inFamily) return { currency: prior, basis: 'sign' };
  // A shop in the policy's country prints its own money, with no sign or with a generic "$" (Malaysian
  // tills often print "$" for ringgit); a krona sign would say the amount is from elsewhere.
  if (countryAgrees && marks.families.every((f) => f === 'dollar')) return { currency: prior, basis: 'country' };
  return null;
}
