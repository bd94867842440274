// What a caller reporting a claim is asked, in order: each slot has a grammar (JSGF: what the offline
// recognizer listens for), a parser from the words heard to a value, a read-back, and a keypad (DTMF)
// form for when speech fails. Pure: used by the voice-intake workflow and by `npm run eval:voice`.
import { findAmounts } from '../documents/amounts.ts';
import { findDates } from '../documents/dates.ts';
import { perilNames, type Peril } from '../shared/perils.ts';
import { dateGrammar, dateWithoutYear, isoDate, months, parseSpokenDate } from './spoken-dates.ts';
import { ordinalWords, parseCardinal, sayCardinal, teenWords, tensWords, unitWords } from './spoken-numbers.ts';

export { months } from './spoken-dates.ts';

export const slotNames = ['policyNumber', 'incidentDate', 'incidentType', 'amount', 'description'] as const;
export type SlotName = (typeof slotNames)[number];

export interface SlotContext {
  /** The call's date (ISO): "yesterday" and dates without a year are read against it. */
  readonly today: string;
  /** Policy numbers are this prefix and what the caller spells after it. */
  readonly policyPrefix: string;
  /**
   * True only for calls begun before callers' own phrasings were read (the workflow's patch says): their
   * answers are read as they were then, so that a call in progress replays as it ran.
   */
  readonly legacyPhrasings?: boolean;
}

/**
 * Spoken forms of each peril a caller may name; a peril's keypad number is its place here (1-based).
 * A `Record` over every peril: a new peril does not compile until it has its spoken forms.
 */
export const perilPhrases: Readonly<Record<Peril, readonly string[]>> = {
  theft: ['theft', 'it was stolen', 'stolen', 'someone stole it', 'somebody stole it', 'it got stolen', 'my car was stolen'],
  fire: ['fire', 'a fire', 'it burned', 'it caught fire'],
  collision: [
    'collision',
    'a collision',
    'a crash',
    'an accident',
    'a car accident',
    'crash',
    'accident',
    'someone hit me',
    'somebody hit me',
    'someone crashed into me',
    'somebody crashed into me',
    'someone drove into me',
    'a car hit me',
  ],
  water_damage: ['water damage', 'a flood', 'flood', 'a leak', 'a burst pipe', 'a pipe burst'],
  storm: ['storm', 'a storm', 'storm damage', 'hail', 'hail damage'],
  glass: ['glass', 'broken glass', 'a broken windscreen', 'windscreen', 'a cracked windscreen'],
  burglary: ['burglary', 'a burglary', 'a break in', 'break in', 'someone broke in', 'somebody broke in'],
  vandalism: ['vandalism', 'vandals', 'someone keyed my car'],
  liability: ['liability', 'someone was hurt', 'someone got hurt', 'someone was injured'],
  third_party_liability: ['third party liability', 'third party', 'damage to another car', 'i hit another car'],
  accidental_damage: ['accidental damage', 'i dropped it', 'it was dropped', 'i broke it'],
};

/** The perils in keypad order. */
export const keypadPerils = Object.keys(perilPhrases) as Peril[];

const perilSaid = (matches: (phrase: string) => boolean): Peril | null =>
  keypadPerils.find((peril) => perilPhrases[peril].some(matches)) ?? null;

const yesWords = ['yes', 'yeah', 'yep', 'correct', 'that is right', "that's right", 'right', 'yes please', 'yes that is right'];
const noWords = ['no', 'nope', 'wrong', 'that is wrong', "that's wrong", 'no that is wrong', 'incorrect'];

const alt = (items: readonly string[]) => items.join(' | ');
/** Currency names callers add to an amount ("fifty ringgit", "four hundred euros"): heard, and set aside. */
const currencyNames = ['euros', 'euro', 'dollars', 'pounds', 'kronor', 'krona', 'crowns', 'ringgit', 'francs', 'swiss francs', 'yen'];
const digitRule = `<digit> = ${alt([...unitWords, 'oh'])};`;
const numberRules = [
  `<unit> = ${alt(unitWords.slice(1))};`,
  `<teen> = ${alt(teenWords)};`,
  `<ten> = ${alt(tensWords.filter(Boolean))};`,
  '<below100> = <unit> | <teen> | <ten> [<unit>];',
  '<below1000> = <below100> | <unit> hundred [[and] <below100>] | <below100> hundred [[and] <below100>];',
  '<number> = <below1000> | <below1000> thousand [[and] <below1000>];',
];

export const grammars: Record<Exclude<SlotName, 'description'> | 'confirm', string> = {
  // Policy numbers are the prefix and digits (what a keypad can enter too); letters in the grammar cost
  // more digits misheard than they would ever recognize.
  policyNumber: [
    '#JSGF V1.0;',
    'grammar policy;',
    'public <policy> = [my policy number is | it is | the policy number is] [p o l] <digit> <digit> <digit> [<digit>] [<digit>] [<digit>] [<digit>] [<digit>] [<digit>] [<digit>];',
    digitRule,
  ].join('\n'),
  incidentDate: dateGrammar(numberRules.slice(0, 4)),
  incidentType: [
    '#JSGF V1.0;',
    'grammar peril;',
    'public <peril> = [it was] <what>;',
    `<what> = ${alt(Object.values(perilPhrases).flat())};`,
  ].join('\n'),
  amount: [
    '#JSGF V1.0;',
    'grammar amount;',
    "public <amount> = [about | around | roughly | maybe | it is about | it's about | it is | it's] <number> [<currency>] [and <below100> (cents | pence | sen)];",
    `<currency> = ${alt(currencyNames)};`,
    ...numberRules,
  ].join('\n'),
  confirm: ['#JSGF V1.0;', 'grammar confirm;', `public <answer> = ${alt([...yesWords, ...noWords])};`].join('\n'),
};

export type SlotValue = string;

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

/** Words the grammars use that the recognizer's dictionary lacks, with their pronunciations (ARPAbet). */
export const extraPronunciations: readonly [string, string][] = [['windscreen', 'W IH N D S K R IY N']];

/** The slot's value from what the recognizer heard; null when the words do not make one. */
export function parseSpoken(slot: Exclude<SlotName, 'description'>, text: string, context: SlotContext): SlotValue | null {
  const w = words(text);
  if (w.length === 0) return null;
  switch (slot) {
    case 'policyNumber': {
      const filler = new Set(['my', 'policy', 'number', 'is', 'it', 'the', 'dash']);
      let rest = w.filter((x) => !filler.has(x));
      if (rest.slice(0, 3).join(' ') === 'p o l') rest = rest.slice(3);
      const chars = rest.map((x) =>
        x === 'oh' ? '0' : (unitWords as readonly string[]).includes(x) ? String(unitWords.indexOf(x as (typeof unitWords)[number])) : null,
      );
      if (chars.some((c) => c === null) || chars.length < 3) return null;
      return `${context.policyPrefix}${chars.join('')}`;
    }
    case 'incidentDate':
      return parseSpokenDate(w, context.today, context.legacyPhrasings === true);
    case 'incidentType': {
      // "It was" may come before anything; the phrases are compared without it too ("it caught fire").
      const bare = (words: readonly string[]) => words.filter((x) => !['it', 'was'].includes(x)).join(' ');
      const said = bare(w);
      return perilSaid((phrase) => (context.legacyPhrasings ? phrase : bare(phrase.split(' '))) === said);
    }
    case 'amount': {
      const filler = new Set(
        context.legacyPhrasings
          ? ['about', 'around', 'roughly', 'it', 'is', 'euros', 'euro', 'dollars', 'pounds', 'kronor', 'crowns']
          : ['about', 'around', 'roughly', 'maybe', 'it', 'is', "it's", ...currencyNames.flatMap((c) => c.split(' '))],
      );
      const cut = w.findIndex(
        (x, i) =>
          x === 'and' &&
          ['cents', 'pence', 'sen'].includes(w[w.length - 1]!) &&
          i > 0 &&
          !['hundred', 'thousand'].includes(w[i - 1]!) &&
          parseCardinal(w.slice(i + 1, -1)) !== null,
      );
      const main = (cut >= 0 ? w.slice(0, cut) : w).filter((x) => !filler.has(x));
      const whole = parseCardinal(main);
      if (whole === null) return null;
      const cents = cut >= 0 ? parseCardinal(w.slice(cut + 1, -1)) : 0;
      if (cents === null || cents > 99) return null;
      return `${whole}.${String(cents).padStart(2, '0')}`;
    }
  }
}

/**
 * The slot's value from written text, as free-speech engines (OpenAI's transcription) write numbers,
 * dates and amounts: "POL-1001", "November 14th, 2026", "$1,250". Spoken words are tried first.
 */
export function parseAnswer(slot: Exclude<SlotName, 'description'>, text: string, context: SlotContext): SlotValue | null {
  const spoken = parseSpoken(slot, text, context);
  if (spoken !== null) return spoken;
  switch (slot) {
    case 'policyNumber': {
      const m = /(?:\bP\.?\s*O\.?\s*L\.?[\s-]*)?\b((?:\d[\s-]?){3,10})\b/i.exec(text);
      return m ? `${context.policyPrefix}${m[1]!.replace(/\D/g, '')}` : null;
    }
    case 'incidentDate': {
      const cleaned = text.replace(/(\d{1,2})(?:st|nd|rd|th)\b/gi, '$1').replace(/\bof\b/gi, ' ');
      const found = findDates(cleaned, 'DMY')[0];
      if (found || context.legacyPhrasings) return found?.iso ?? null;
      // Written without a year ("November 18th.", "the 5th of December"): the last such day, as said.
      const month = (name: string) => months.indexOf(name.toLowerCase() as (typeof months)[number]) + 1;
      const monthFirst = /\b([A-Za-z]+)\s+(\d{1,2})\b/.exec(cleaned);
      const dayFirst = /\b(\d{1,2})\s+([A-Za-z]+)\b/.exec(cleaned);
      if (monthFirst && month(monthFirst[1]!) > 0) return dateWithoutYear(month(monthFirst[1]!), Number(monthFirst[2]), context.today);
      if (dayFirst && month(dayFirst[2]!) > 0) return dateWithoutYear(month(dayFirst[2]!), Number(dayFirst[1]), context.today);
      return null;
    }
    case 'incidentType': {
      const said = ` ${words(text).join(' ')} `;
      return perilSaid((phrase) => said.includes(` ${phrase} `));
    }
    case 'amount': {
      const amount = findAmounts(text).sort((a, b) => b.cents - a.cents)[0] ?? null;
      const bare = amount ? null : /\b(\d{1,3}(?:,\d{3})+|\d+)\b/.exec(text);
      const cents = amount ? amount.cents : bare ? Number(bare[1]!.replace(/,/g, '')) * 100 : null;
      return cents === null ? null : `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    }
  }
}

/** The first dialogue's reading of a yes or no (voice-dialogue@1.0.0), kept for calls begun under it. */
export function parseConfirmation(text: string): boolean | null {
  const said = words(text).join(' ');
  if (yesWords.includes(said)) return true;
  if (noWords.includes(said)) return false;
  // Free speech: "Yes, that's right." / "No, it's wrong."
  const first = words(text)[0];
  if (first && ['yes', 'yeah', 'yep', 'correct'].includes(first)) return true;
  if (first && ['no', 'nope', 'wrong'].includes(first)) return false;
  return null;
}

/** The keypad form: digits, `*` for a decimal point in amounts; `#` ends the entry. */
export function parseKeypad(slot: Exclude<SlotName, 'description'>, digits: string, context: SlotContext): SlotValue | null {
  const d = digits.replace(/#$/, '');
  switch (slot) {
    case 'policyNumber':
      return /^\d{3,10}$/.test(d) ? `${context.policyPrefix}${d}` : null;
    case 'incidentDate': {
      const m = /^(\d{2})(\d{2})(\d{4})?$/.exec(d);
      if (!m) return null;
      const date = m[3] ? isoDate(Number(m[3]), Number(m[2]), Number(m[1])) : dateWithoutYear(Number(m[2]), Number(m[1]), context.today);
      return date && date <= context.today ? date : null;
    }
    case 'incidentType': {
      const n = Number(d);
      return /^\d{1,2}$/.test(d) && n >= 1 && n <= keypadPerils.length ? keypadPerils[n - 1]! : null;
    }
    case 'amount': {
      const m = /^(\d{1,7})(?:\*(\d{1,2}))?$/.exec(d);
      return m ? `${Number(m[1])}.${(m[2] ?? '0').padEnd(2, '0')}` : null;
    }
  }
}

export const keypadConfirmation = (digits: string): boolean | null =>
  digits.startsWith('1') ? true : digits.startsWith('2') ? false : null;

/** Whether a value is one the caller can mean (a loss date not in the future, an amount above zero). */
export function plausible(slot: Exclude<SlotName, 'description'>, value: SlotValue, context: SlotContext): boolean {
  if (slot === 'incidentDate') return value <= context.today;
  if (slot === 'amount') return Number(value) > 0;
  return true;
}

const spell = (s: string) => s.split('').join(' ');

/** How the value is read back for the caller to confirm. */
export function readBack(slot: Exclude<SlotName, 'description'>, value: SlotValue, currency: string): string {
  switch (slot) {
    case 'policyNumber':
      return `I heard policy ${spell(value.replace(/-/g, ''))}. Is that right?`;
    case 'incidentDate': {
      const [y, m, d] = value.split('-').map(Number) as [number, number, number];
      return `I heard the ${ordinalWords[d - 1]} of ${months[m - 1]} ${y}. Is that right?`;
    }
    case 'incidentType':
      return `I heard ${value.replace('_', ' ')}. Is that right?`;
    case 'amount': {
      const [whole, cents] = value.split('.') as [string, string];
      return `I heard ${sayCardinal(Number(whole))} ${currencyWords[currency] ?? currency}${cents !== '00' ? ` and ${sayCardinal(Number(cents))} cents` : ''}. Is that right?`;
    }
  }
}

export const currencyWords: Record<string, string> = {
  EUR: 'euros',
  USD: 'dollars',
  GBP: 'pounds',
  SEK: 'kronor',
  MYR: 'ringgit',
  CHF: 'Swiss francs',
  SGD: 'Singapore dollars',
  JPY: 'yen',
};

export function question(slot: SlotName, currency: string): string {
  switch (slot) {
    case 'policyNumber':
      return 'Please say your policy number, one digit at a time.';
    case 'incidentDate':
      return 'On what date did it happen?';
    case 'incidentType':
      return 'What happened? For example theft, fire, a collision, water damage, storm, glass, burglary or vandalism.';
    case 'amount':
      return `About how much is the loss, in ${currencyWords[currency] ?? currency}?`;
    case 'description':
      return 'Please describe what happened, in your own words. Stop talking when you are done.';
  }
}

export function keypadQuestion(slot: Exclude<SlotName, 'description'>, currency: string): string {
  switch (slot) {
    case 'policyNumber':
      return 'Please use your keypad: key in the digits of your policy number, then press hash.';
    case 'incidentDate':
      return 'Please use your keypad: key in the day, the month and the year, for example 1 4 1 1 2 0 2 6, then press hash.';
    case 'incidentType':
      return `Please use your keypad. ${keypadPerils.map((peril, i) => `For ${perilNames[peril]}, press ${i + 1}${i >= 9 ? ' then hash' : ''}.`).join(' ')}`;
    case 'amount':
      return `Please use your keypad: key in the amount in whole ${currencyWords[currency] ?? currency}, then press hash.`;
  }
}
