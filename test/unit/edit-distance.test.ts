import { describe, expect, it } from 'vitest';
import { editDistance } from '../../domain/shared/edit-distance.ts';

describe('edit distance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('TOTAL', 'TOTAL')).toBe(0);
    expect(editDistance('TATAL', 'TOTAL')).toBe(1);
    expect(editDistance('CHANG', 'CHANGE')).toBe(1);
    expect(editDistance('REUNDLNG', 'ROUNDING')).toBe(2);
    expect(editDistance('', 'ABC')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('compares word lists word by word', () => {
    expect(editDistance(['one', 'two', 'three'], ['one', 'too', 'three', 'four'])).toBe(2);
  });

  it('stops early past a limit, answering limit + 1', () => {
    expect(editDistance('SUBTOTAL', 'DISCOUNT', 1)).toBe(2);
    expect(editDistance('CHARGE', 'CHANGE', 1)).toBe(1);
  });
});
