// Dates as printed: 25/12/2018 | 25-12-18 | 25.12.2018 | 2018-12-25 | 25 Dec 2018 | Dec 25, 2018 |
// 25DEC2018. Numeric dates are read day first (as most of the world writes them) unless only the
// other order is a real date, or the caller says the document is month-first (the United States).

export type DateOrder = 'DMY' | 'MDY';

export interface DateMatch {
  /** ISO 8601 calendar date. */
  readonly iso: string;
  readonly text: string;
  readonly index: number;
  /** False when day and month could be swapped and the order was assumed. */
  readonly unambiguous: boolean;
  /** True when OCR damage (a lost separator, an impossible year digit) was undone to read it. */
  readonly repaired: boolean;
}

const months: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  januari: 1,
  februari: 2,
  mac: 3,
  mei: 5,
  julai: 7,
  ogos: 8,
  okt: 10,
  dis: 12,
};
const monthName =
  '(jan(?:uary|uari)?|feb(?:ruary|ruari)?|mar(?:ch)?|mac|apr(?:il)?|may|mei|june?|july?|julai|aug(?:ust)?|ogos|sep(?:t(?:ember)?)?|oct(?:ober)?|okt|nov(?:ember)?|dec(?:ember)?|dis)';

function valid(year: number, month: number, day: number): boolean {
  if (year < 1950 || year > 2099 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

const patterns: {
  re: RegExp;
  read: (m: RegExpMatchArray, order: DateOrder) => { y: number; m: number; d: number; sure: boolean } | null;
}[] = [
  {
    // 2018-12-25, 2018/12/25, 2018.12.25
    re: /(?<!\d)(\d{4})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{1,2})(?!\d)/g,
    read: (m) => ({ y: Number(m[1]), m: Number(m[3]), d: Number(m[4]), sure: true }),
  },
  {
    // 25/12/2018, 12/25/2018, 25-12-18, 25.12.2018
    re: /(?<!\d)(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?!\d)/g,
    read: (m, order) => {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const y = fullYear(m[4]!);
      const dmy = valid(y, b, a);
      const mdy = valid(y, a, b);
      if (dmy && mdy)
        return a === b ? { y, m: a, d: a, sure: true } : order === 'DMY' ? { y, m: b, d: a, sure: false } : { y, m: a, d: b, sure: false };
      if (dmy) return { y, m: b, d: a, sure: true };
      if (mdy) return { y, m: a, d: b, sure: true };
      return null;
    },
  },
  {
    // 25 Dec 2018, 25-Dec-18, 25DEC2018, 25 December, 2018
    re: new RegExp(`(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?[\\s\\-/.]*${monthName}[\\s\\-/.,]*(\\d{4}|\\d{2})(?!\\d)`, 'gi'),
    read: (m) => ({
      y: fullYear(m[3]!),
      m: months[m[2]!.toLowerCase().slice(0, m[2]!.toLowerCase().startsWith('sept') ? 4 : 3)] ?? months[m[2]!.toLowerCase()] ?? 0,
      d: Number(m[1]),
      sure: true,
    }),
  },
  {
    // Dec 25, 2018 / December 25 2018
    re: new RegExp(`${monthName}\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?,?\\s*(\\d{4})(?!\\d)`, 'gi'),
    read: (m) => ({
      y: Number(m[3]),
      m: months[m[1]!.toLowerCase().slice(0, 3)] ?? months[m[1]!.toLowerCase()] ?? 0,
      d: Number(m[2]),
      sure: true,
    }),
  },
];

// OCR damage that still leaves one reading: a separator lost (1003/2018) or read as 0 after a date
// label (120202018). These matches are marked as repaired.
const repairs: { re: RegExp; read: (m: RegExpMatchArray) => { y: number; m: number; d: number } | null }[] = [
  { re: /(?<!\d)(\d{2})(\d{2})\s?[/.-]\s?(\d{4})(?!\d)/g, read: (m) => ({ d: Number(m[1]), m: Number(m[2]), y: Number(m[3]) }) },
  { re: /(?<!\d)(\d{2})\s?[/.-]\s?(\d{2})(\d{4})(?!\d)/g, read: (m) => ({ d: Number(m[1]), m: Number(m[2]), y: Number(m[3]) }) },
  {
    re: /(?:DATE|DATA|DELE|TARIKH)\W{0,3}(\d{8,10})(?!\d)/gi,
    read: (m) => {
      const digits = m[1]!;
      const options =
        digits.length === 8
          ? [[0, 2, 4]]
          : digits.length === 9
            ? [
                [0, 3, 5],
                [0, 2, 5],
              ]
            : [[0, 3, 6]];
      for (const [d, mo, y] of options as [number, number, number][]) {
        const day = Number(digits.slice(d, d + 2));
        const month = Number(digits.slice(mo, mo + 2));
        const year = Number(digits.slice(y, y + 4));
        if (valid(year, month, day)) return { d: day, m: month, y: year };
      }
      return null;
    },
  },
];

/** A four-digit year no document has, with one digit OCR commonly confuses, turned into one it could have. */
function repairYear(year: number): number {
  if (valid(year, 1, 1)) return year;
  const text = String(year);
  const lookalikes: Record<string, string> = { '6': '0', '8': '0', '9': '0', '7': '1', '5': '1', '3': '0' };
  for (let i = 0; i < text.length; i++) {
    const swap = lookalikes[text[i]!];
    if (!swap) continue;
    const candidate = Number(text.slice(0, i) + swap + text.slice(i + 1));
    if (candidate >= 1990 && candidate <= 2099) return candidate;
  }
  return year;
}

export function findDates(text: string, order: DateOrder = 'DMY'): DateMatch[] {
  const found: DateMatch[] = [];
  const overlaps = (index: number, length: number) => found.some((f) => index < f.index + f.text.length && f.index < index + length);
  for (const { re, read } of patterns) {
    for (const m of text.matchAll(re)) {
      const parts = read(m, order);
      if (!parts) continue;
      const year = parts.y >= 1000 ? repairYear(parts.y) : parts.y;
      if (!valid(year, parts.m, parts.d)) continue;
      // A shorter pattern inside a longer match already taken (2018-12-25 also contains 18-12-25).
      if (overlaps(m.index, m[0].length)) continue;
      found.push({
        iso: iso(year, parts.m, parts.d),
        text: m[0],
        index: m.index,
        unambiguous: parts.sure && year === parts.y,
        repaired: year !== parts.y,
      });
    }
  }
  for (const { re, read } of repairs) {
    for (const m of text.matchAll(re)) {
      const parts = read(m);
      if (!parts || !valid(parts.y, parts.m, parts.d) || overlaps(m.index, m[0].length)) continue;
      found.push({ iso: iso(parts.y, parts.m, parts.d), text: m[0], index: m.index, unambiguous: false, repaired: true });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** A single date from a field's value, or null. */
export function parseDateText(text: string, order: DateOrder = 'DMY'): DateMatch | null {
  const dates = findDates(text, order);
  return dates.length >= 1 ? dates[0]! : null;
}
