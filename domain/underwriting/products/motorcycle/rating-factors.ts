// Motorcycle rating factors as Ohlsson & Johansson group them (Non-Life Insurance Pricing with GLMs,
// 2010, the Wasa case study): geographic zone, vehicle class, vehicle age, bonus class, and owner age.
// The same grouping serves fitting (from the Wasa columns) and pricing an application.

export const ratingFactors = ['zone', 'vehicleClass', 'vehicleAge', 'bonusClass', 'ownerAge'] as const;
export type RatingFactor = (typeof ratingFactors)[number];
export type RatingCell = Record<RatingFactor, string>;

export const factorLevels: Record<RatingFactor, readonly string[]> = {
  zone: ['1', '2', '3', '4', '5', '6', '7'],
  vehicleClass: ['1', '2', '3', '4', '5', '6', '7'],
  vehicleAge: ['0-1', '2-4', '5+'],
  bonusClass: ['1-2', '3-4', '5-7'],
  ownerAge: ['0-24', '25-34', '35-44', '45-54', '55+'],
};

export interface RiskFacts {
  /** Wasa's zones: 1 central and semi-central parts of the three largest cities ... 7 Gotland. */
  readonly zone: number;
  /** EV ratio class 1-7 (engine power to vehicle weight). */
  readonly vehicleClass: number;
  readonly vehicleAgeYears: number;
  /** 1-7; one step up for each claim-free year. */
  readonly bonusClass: number;
  readonly ownerAgeYears: number;
}

const band = (value: number, bands: readonly [number, string][], last: string) => bands.find(([max]) => value <= max)?.[1] ?? last;

export function ratingCell(f: RiskFacts): RatingCell {
  return {
    zone: String(Math.min(7, Math.max(1, Math.round(f.zone)))),
    vehicleClass: String(Math.min(7, Math.max(1, Math.round(f.vehicleClass)))),
    vehicleAge: band(
      f.vehicleAgeYears,
      [
        [1, '0-1'],
        [4, '2-4'],
      ],
      '5+',
    ),
    bonusClass: band(
      f.bonusClass,
      [
        [2, '1-2'],
        [4, '3-4'],
      ],
      '5-7',
    ),
    ownerAge: band(
      f.ownerAgeYears,
      [
        [24, '0-24'],
        [34, '25-34'],
        [44, '35-44'],
        [54, '45-54'],
      ],
      '55+',
    ),
  };
}

/** A row of the Wasa table (agarald, zon, mcklass, fordald, bonuskl). */
export function wasaRiskFacts(row: Record<string, string>): RiskFacts {
  return {
    zone: Number(row.zon),
    vehicleClass: Number(row.mcklass),
    vehicleAgeYears: Number(row.fordald),
    bonusClass: Number(row.bonuskl),
    ownerAgeYears: Number(row.agarald),
  };
}
