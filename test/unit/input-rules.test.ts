import { describe, expect, it } from 'vitest';
import { isCurrencyCode, parseAmount } from '../../domain/shared/money.ts';
import { findUnstorableText, unstorableText } from '../../domain/shared/text.ts';
import { implausibleApplication } from '../../domain/underwriting/plausibility.ts';

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

describe('input rules', () => {
  it('knows a currency in use from three capital letters', () => {
    expect(['EUR', 'MYR', 'SEK', 'JPY', 'KWD'].every(isCurrencyCode)).toBe(true);
    expect(['XYZ', 'XXX', 'eur', 'EURO'].some(isCurrencyCode)).toBe(false);
    expect(parseAmount('10.00', 'XYZ')).toEqual({ ok: false, problem: "'XYZ' is not an ISO 4217 currency code" });
  });

  it('finds what makes an application implausible', () => {
    const ok = { dateOfBirth: '1976-05-02', startDate: '2026-12-02', insuredValueMinor: 85_000_00 };
    expect(implausibleApplication(ok, '2026-12-02')).toBeNull();
    expect(implausibleApplication({ ...ok, startDate: '2027-12-02' }, '2026-12-02')).toBeNull();
    expect(implausibleApplication({ ...ok, startDate: '2027-12-03' }, '2026-12-02')?.code).toBe('START_DATE_OUT_OF_RANGE');
    expect(implausibleApplication({ ...ok, startDate: '2026-12-01' }, '2026-12-02')?.code).toBe('START_DATE_OUT_OF_RANGE');
    expect(implausibleApplication({ ...ok, dateOfBirth: '2026-12-03' }, '2026-12-02')?.code).toBe('IMPLAUSIBLE_DATE_OF_BIRTH');
    expect(implausibleApplication({ ...ok, dateOfBirth: '1906-12-01' }, '2026-12-02')?.code).toBe('IMPLAUSIBLE_DATE_OF_BIRTH');
    expect(implausibleApplication({ ...ok, insuredValueMinor: 0 }, '2026-12-02')?.code).toBe('INVALID_AMOUNT');
  });
});
