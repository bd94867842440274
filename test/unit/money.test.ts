import { describe, expect, it } from 'vitest';
import { displayAmount, formatAmount, parseAmount, toMajorUnits } from '../../domain/shared/money.ts';
import { checkReportedClaim } from '../../domain/claims/claim.ts';

describe('parseAmount', () => {
  it.each([
    ['1250.00', 'EUR', 125_000],
    ['1250', 'EUR', 125_000],
    ['1250.5', 'EUR', 125_050],
    ['0.01', 'USD', 1],
    [1250.5, 'EUR', 125_050],
    [0.1, 'EUR', 10],
    ['12000', 'JPY', 12_000],
    ['1.234', 'KWD', 1_234],
    ['1.50', 'JPY', undefined],
  ])('%s %s -> %s minor units', (amount, currency, minor) => {
    const parsed = parseAmount(amount, currency);
    if (minor === undefined) expect(parsed.ok).toBe(false);
    else expect(parsed).toEqual({ ok: true, money: { minor, currency } });
  });

  it('refuses more decimals than the currency has, naming the rule', () => {
    expect(parseAmount('10.001', 'EUR')).toEqual({ ok: false, problem: 'EUR amounts have at most 2 decimal places' });
  });

  it.each(['-5', '1e3', '1,250.00', ' ', 'abc', '12.', '.5', '99999999999999999'])('refuses %j', (amount) => {
    expect(parseAmount(amount, 'EUR').ok).toBe(false);
  });

  it('refuses non-finite numbers and bad currency codes', () => {
    expect(parseAmount(Number.NaN, 'EUR').ok).toBe(false);
    expect(parseAmount(Number.POSITIVE_INFINITY, 'EUR').ok).toBe(false);
    expect(parseAmount('10', 'eur').ok).toBe(false);
  });
});

describe('formatting', () => {
  it('formats minor units exactly', () => {
    expect(formatAmount({ minor: 125_050, currency: 'EUR' })).toBe('1250.50');
    expect(formatAmount({ minor: 5, currency: 'USD' })).toBe('0.05');
    expect(formatAmount({ minor: 12_000, currency: 'JPY' })).toBe('12000');
    expect(formatAmount({ minor: -150, currency: 'EUR' })).toBe('-1.50');
  });

  it('groups thousands for display', () => {
    expect(displayAmount({ minor: 123_456_789, currency: 'EUR' })).toBe('EUR 1,234,567.89');
    expect(displayAmount({ minor: 1_000_000, currency: 'JPY' })).toBe('JPY 1,000,000');
  });

  it('converts to major units for search attributes', () => {
    expect(toMajorUnits({ minor: 125_050, currency: 'EUR' })).toBe(1250.5);
  });
});

describe('a reported claim, by the one rule the API and voice intake share', () => {
  it('takes the amount in the currency’s own minor units and dates the report', () => {
    expect(checkReportedClaim({ amount: '1250.5', currency: 'EUR', incidentDate: '2026-11-30' }, '2026-12-02')).toEqual({
      ok: true,
      claimed: { minor: 125_050, currency: 'EUR' },
      reportedOn: '2026-12-02',
    });
    expect(checkReportedClaim({ amount: '1250', currency: 'JPY', incidentDate: '2026-12-03' }, '2026-12-02')).toEqual({
      ok: true,
      claimed: { minor: 1_250, currency: 'JPY' },
      reportedOn: '2026-12-03',
    });
  });
  it('refuses what cannot be a claim, naming the problem', () => {
    // Voice intake once stored this as 125,050 yen.
    expect(checkReportedClaim({ amount: '1250.50', currency: 'JPY', incidentDate: '2026-11-30' }, '2026-12-02')).toMatchObject({
      ok: false,
      code: 'INVALID_AMOUNT',
    });
    expect(checkReportedClaim({ amount: '0.00', currency: 'EUR', incidentDate: '2026-11-30' }, '2026-12-02')).toMatchObject({
      ok: false,
      code: 'INVALID_AMOUNT',
    });
    expect(checkReportedClaim({ amount: '10.00', currency: 'EUR', incidentDate: '2026-12-04' }, '2026-12-02')).toMatchObject({
      ok: false,
      code: 'INCIDENT_DATE_IN_FUTURE',
    });
  });
});
