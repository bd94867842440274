// A loss date as callers say it: "the fourteenth of November twenty twenty six", "November fourteenth",
// and the relative forms people use more often than either: "yesterday", "last night", "two days ago",
// "a week ago", "on Monday", "last Friday". Losses are in the past: a date without a year is the last one
// on or before today, a weekday the last such day.
import { addDays } from '../shared/calendar.ts';
import { ordinalWords, parseCardinal, parseOrdinal, parseYear } from './spoken-numbers.ts';

export const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

/** In the order of Date's getUTCDay. */
export const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const alt = (items: readonly string[]) => items.join(' | ');

/** The JSGF rules of a date; `numberRules` gives <unit>, <teen>, <ten> and <below100>. */
export function dateGrammar(numberRules: readonly string[]): string {
  return [
    '#JSGF V1.0;',
    'grammar date;',
    'public <date> = [it was | it happened] [on] (<dayfirst> | <monthfirst> | <relative>);',
    '<dayfirst> = [the] <ordinal> [of] <month> [<year>];',
    '<monthfirst> = <month> [the] <ordinal> [<year>];',
    '<relative> = today | this morning | earlier today | tonight | yesterday | last night | the day before yesterday | <below100> days ago | a week ago | [last] <weekday>;',
    `<ordinal> = ${alt(ordinalWords)};`,
    `<month> = ${alt(months)};`,
    `<weekday> = ${alt(weekdays)};`,
    '<year> = twenty <below100> | two thousand [and] <below100> | twenty oh <unit>;',
    ...numberRules,
  ].join('\n');
}

function isoDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** Without a year, the last such date on or before today (losses are in the past). */
export function dateWithoutYear(month: number, day: number, today: string): string | null {
  const year = Number(today.slice(0, 4));
  const thisYear = isoDate(year, month, day);
  return thisYear && thisYear <= today ? thisYear : isoDate(year - 1, month, day);
}

export { isoDate };

const relative: Readonly<Record<string, number>> = {
  today: 0,
  'this morning': 0,
  'earlier today': 0,
  tonight: 0,
  yesterday: -1,
  'last night': -1,
  'day before yesterday': -2,
  'a week ago': -7,
};

/** Read before callers' own phrasings were (slots.ts, `legacyPhrasings`). */
const legacyRelative = new Set(['today', 'yesterday', 'day before yesterday']);

/** The date the words say (filler such as "it was", "on", "the", "of" left out), or null. */
export function parseSpokenDate(said: readonly string[], today: string, legacy = false): string | null {
  const text = said.filter((x) => !['it', 'was', 'happened', 'on', 'the', 'of'].includes(x));
  const phrase = text.join(' ');
  if (phrase in relative && (!legacy || legacyRelative.has(phrase))) return addDays(today, relative[phrase]!);
  if (legacy) return absoluteDate(text, today);
  if (text.length >= 3 && text.at(-2) === 'days' && text.at(-1) === 'ago') {
    const n = parseCardinal(text.slice(0, -2));
    return n !== null && n >= 1 && n <= 60 ? addDays(today, -n) : null;
  }
  const weekday = weekdays.indexOf(text.at(-1) as (typeof weekdays)[number]);
  if (weekday >= 0 && (text.length === 1 || (text.length === 2 && text[0] === 'last'))) {
    // "Monday": the last Monday on or before today; "last Monday": the last one before today.
    const back = (new Date(`${today}T00:00:00Z`).getUTCDay() - weekday + 7) % 7;
    return addDays(today, -(back === 0 && text.length === 2 ? 7 : back));
  }
  return absoluteDate(text, today);
}

/** A month with its day ("fourteenth november", "november the fourteenth"), and a year if said. */
function absoluteDate(text: readonly string[], today: string): string | null {
  const m = text.findIndex((x) => (months as readonly string[]).includes(x));
  if (m < 0) return null;
  const month = months.indexOf(text[m] as (typeof months)[number]) + 1;
  // Day first ("fourteenth november ...") or month first ("november fourteenth ...").
  const before = text.slice(0, m);
  const after = text.slice(m + 1);
  let day: number | null = null;
  let yearWords: string[] = [];
  if (before.length > 0) {
    day = parseOrdinal(before);
    yearWords = after;
  } else {
    for (const n of [2, 1]) {
      const d = parseOrdinal(after.slice(0, n));
      if (d) {
        day = d;
        yearWords = after.slice(n);
        break;
      }
    }
  }
  if (!day) return null;
  if (yearWords.length === 0) return dateWithoutYear(month, day, today);
  const year = parseYear(yearWords);
  return year ? isoDate(year, month, day) : null;
}
