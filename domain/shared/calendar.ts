// Calendar days as ISO dates (YYYY-MM-DD), counted in UTC so no time zone moves a day.

/** The ISO date `days` after (or, negative, before) `isoDate`. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
