// The spoken claim reference (domain/claims/reference.ts): nine digits with Damm's check digit.
import { describe, expect, it } from 'vitest';
import { claimReference, displayReference, parseReference, spokenReference } from '../../domain/claims/reference.ts';

describe('claim reference', () => {
  it('is nine digits that check, told in three groups of three', () => {
    const reference = claimReference(1);
    expect(reference).toMatch(/^\d{9}$/);
    expect(parseReference(reference)).toBe(reference);
    expect(displayReference(reference)).toMatch(/^\d{3} \d{3} \d{3}$/);
    expect(spokenReference('481205937')).toBe('4 8 1, 2 0 5, 9 3 7');
    // Typed with separators, it is the same reference.
    expect(parseReference(displayReference(reference))).toBe(reference);
    expect(parseReference(displayReference(reference).replace(/ /g, '-'))).toBe(reference);
  });

  it('never gives two claims the same reference, nor neighbours neighbouring ones', () => {
    const seen = new Set<string>();
    for (let n = 1; n <= 20_000; n++) seen.add(claimReference(n));
    expect(seen.size).toBe(20_000);
    expect(Math.abs(Number(claimReference(2).slice(0, 8)) - Number(claimReference(1).slice(0, 8)))).toBeGreaterThan(1_000);
  });

  it('refuses every single wrong digit and every swap of two neighbouring digits', () => {
    for (let n = 1; n <= 300; n++) {
      const reference = claimReference(n * 7_919);
      for (let i = 0; i < 9; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === reference[i]) continue;
          expect(parseReference(`${reference.slice(0, i)}${d}${reference.slice(i + 1)}`)).toBeNull();
        }
        if (i < 8 && reference[i] !== reference[i + 1]) {
          const swapped = `${reference.slice(0, i)}${reference[i + 1]}${reference[i]}${reference.slice(i + 2)}`;
          expect(parseReference(swapped)).toBeNull();
        }
      }
    }
    expect(parseReference('12345678')).toBeNull();
    expect(parseReference('CLM-01J')).toBeNull();
  });
});
