// Numbers as people say them ("twelve hundred and fifty", "two thousand twenty six", "oh seven"), in the
// words the recognizer's grammars allow. Pure: shared by the grammars, their parsers and the evaluation.

export const unitWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;
export const teenWords = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
export const tensWords = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;

const values = new Map<string, number>([
  ...unitWords.map((w, i) => [w, i] as const),
  ['oh', 0],
  ...teenWords.map((w, i) => [w, 10 + i] as const),
  ...tensWords.flatMap((w, i) => (w ? [[w, i * 10] as const] : [])),
]);

/** A cardinal number from its words ("one thousand two hundred and fifty" -> 1250); null if not one. */
export function parseCardinal(words: readonly string[]): number | null {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const word of words) {
    if (word === 'and' || word === 'a') continue;
    const v = values.get(word);
    if (v !== undefined) {
      current += v;
      seen = true;
    } else if (word === 'hundred') {
      current = (current || 1) * 100;
      seen = true;
    } else if (word === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
      seen = true;
    } else {
      return null;
    }
  }
  return seen ? total + current : null;
}

/** Words for 0..999,999 the way a caller would say an amount. */
export function sayCardinal(n: number): string {
  if (n < 10) return unitWords[n]!;
  if (n < 20) return teenWords[n - 10]!;
  if (n < 100) return `${tensWords[Math.floor(n / 10)]}${n % 10 ? ` ${unitWords[n % 10]}` : ''}`;
  if (n < 1000) return `${unitWords[Math.floor(n / 100)]} hundred${n % 100 ? ` and ${sayCardinal(n % 100)}` : ''}`;
  return `${sayCardinal(Math.floor(n / 1000))} thousand${n % 1000 ? `${n % 1000 < 100 ? ' and' : ''} ${sayCardinal(n % 1000)}` : ''}`;
}

/** A year as said in English: 2026 -> "twenty twenty six", 2005 -> "two thousand and five". */
export function sayYear(year: number): string {
  const century = Math.floor(year / 100);
  const rest = year % 100;
  if (rest === 0) return `${sayCardinal(century)} hundred`;
  if (year >= 2000 && year < 2010) return `two thousand and ${sayCardinal(rest)}`;
  return `${sayCardinal(century)} ${rest < 10 ? `oh ${sayCardinal(rest)}` : sayCardinal(rest)}`;
}

/** A year from its words: "twenty twenty six", "two thousand and five", "two thousand twenty six". */
export function parseYear(words: readonly string[]): number | null {
  if (words.length === 0) return null;
  if (words.includes('thousand')) return parseCardinal(words);
  // "twenty twenty six": the century, then the rest.
  const first = values.get(words[0]!);
  if (first === undefined || first < 10) return null;
  const rest = parseCardinal(words.slice(1).filter((w) => w !== 'oh'));
  if (rest === null || rest >= 100) return null;
  return first * 100 + rest;
}

export const ordinalWords = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
  'twenty first',
  'twenty second',
  'twenty third',
  'twenty fourth',
  'twenty fifth',
  'twenty sixth',
  'twenty seventh',
  'twenty eighth',
  'twenty ninth',
  'thirtieth',
  'thirty first',
] as const;

/** The day of the month from an ordinal's words ("twenty first" -> 21); null if not one. */
export function parseOrdinal(words: readonly string[]): number | null {
  const index = ordinalWords.indexOf(words.join(' ') as (typeof ordinalWords)[number]);
  return index >= 0 ? index + 1 : null;
}
