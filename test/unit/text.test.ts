import { describe, expect, it } from 'vitest';
import { findUnstorableText, unstorableText } from '../../domain/shared/text.ts';

describe('text the record can keep', () => {
  it('refuses NUL and lone surrogates, and keeps everything else (emoji pairs, other scripts, controls)', () => {
    expect(unstorableText('a\u0000b')).toBe('contains a NUL character (U+0000)');
    expect(unstorableText('\uDC00 alone')).toBe('contains a lone UTF-16 surrogate, which is not a character');
    expect(unstorableText('\uD83D\uDE97 Åsa, 東京, tab\there')).toBeNull();
  });

  it('finds the first bad string anywhere in a body, with its path, field names included', () => {
    expect(findUnstorableText({ applicant: { name: 'ok', tags: ['fine', 'bad\u0000'] } })).toEqual({
      path: 'applicant.tags[1]',
      problem: 'contains a NUL character (U+0000)',
    });
    expect(findUnstorableText({ 'we\u0000ird': 1 })?.path).toBe('we\u0000ird');
    expect(findUnstorableText({ a: 1, b: null, c: [true, { d: 'fine' }] })).toBeNull();
    expect(findUnstorableText('\uD800')).toEqual({
      path: '(value)',
      problem: 'contains a lone UTF-16 surrogate, which is not a character',
    });
  });
});
