// The claim reference a person can say and key in: nine digits, the last a check digit, told in three
// groups of three ("481 205 937"). A caller hears it at the end of a call and reads it out to an agent;
// a ULID spelled letter by letter is neither. The check digit is Damm's: it catches every single wrong
// digit and every swap of two neighbours, the mistakes people make saying or typing numbers.

/** Damm's quasigroup of order 10 (weakly totally anti-symmetric). */
const damm = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

function dammDigit(digits: string): number {
  let interim = 0;
  for (const d of digits) interim = damm[interim]![Number(d)]!;
  return interim;
}

const space = 100_000_000;

/**
 * The reference for the n-th claim (n from a database sequence): its number spread over the eight-digit
 * space by an affine bijection (so consecutive claims do not get consecutive references, and two claims
 * never share one), then the check digit.
 */
export function claimReference(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1 || n >= space) throw new RangeError(`claim reference number ${n} out of range`);
  const spread = Number((BigInt(n) * 48_271n + 12_345_679n) % BigInt(space));
  const body = String(spread).padStart(8, '0');
  return `${body}${dammDigit(body)}`;
}

/** Three groups of three, as it is printed and said. */
export function displayReference(reference: string): string {
  return reference.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
}

/** For speech: each digit a word's worth, the groups apart ("4 8 1, 2 0 5, 9 3 7"). */
export function spokenReference(reference: string): string {
  return displayReference(reference)
    .split(' ')
    .map((group) => group.split('').join(' '))
    .join(', ');
}

/**
 * A reference as a person types it (spaces, dashes or dots between the groups allowed), checked: the
 * nine digits when it is one, else null (wrong length, a wrong or swapped digit).
 */
export function parseReference(text: string): string | null {
  const digits = text.trim().replace(/[\s.-]/g, '');
  if (!/^\d{9}$/.test(digits)) return null;
  return dammDigit(digits) === 0 ? digits : null;
}
