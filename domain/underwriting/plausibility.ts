// What an application must be before anyone prices it: a person alive today, cover that starts from today
// and within a year (no backdating, no booking a decade ahead), something of value to insure. The rules
// (decide.ts) then judge the risk; these only refuse what cannot be a real application.

export interface ApplicationDates {
  readonly dateOfBirth: string;
  readonly startDate: string;
  readonly insuredValueMinor: number;
}

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const addYears = (iso: string, years: number) => `${String(Number(iso.slice(0, 4)) + years).padStart(4, '0')}${iso.slice(4)}`;

/** The first thing that makes the application implausible, with a stable code, or null. `today` is ISO. */
export function implausibleApplication(a: ApplicationDates, today: string): { readonly code: string; readonly message: string } | null {
  if (a.dateOfBirth > today)
    return { code: 'IMPLAUSIBLE_DATE_OF_BIRTH', message: `applicant.dateOfBirth ${a.dateOfBirth} is in the future.` };
  if (a.dateOfBirth < addYears(today, -120))
    return {
      code: 'IMPLAUSIBLE_DATE_OF_BIRTH',
      message: `applicant.dateOfBirth ${a.dateOfBirth} would make the applicant older than 120.`,
    };
  if (a.startDate < today)
    return { code: 'START_DATE_OUT_OF_RANGE', message: `startDate ${a.startDate} is in the past; cover cannot be backdated.` };
  if (a.startDate > addDays(today, 365))
    return { code: 'START_DATE_OUT_OF_RANGE', message: `startDate ${a.startDate} is more than a year ahead; apply nearer the time.` };
  if (!(a.insuredValueMinor > 0)) return { code: 'INVALID_AMOUNT', message: 'What is insured must be worth more than zero.' };
  return null;
}
