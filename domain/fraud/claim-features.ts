// A claim's own facts mapped onto the fraud model's columns. Only what a claim in this engine really
// supplies is filled in; everything else stays unknown and is averaged out by the model.
import type { FraudFeatureName, FraudFeatureValues } from './model.ts';

export interface ClaimFraudFacts {
  readonly lineOfBusiness: string;
  readonly peril: string;
  /** ISO dates. */
  readonly incidentDate: string;
  readonly reportedOn: string;
  readonly policyStart: string;
  readonly deductible: { readonly minor: number; readonly currency: string } | null;
  /** The claimant's claims before this one, on any policy. */
  readonly earlierClaims: number;
  /** Documents sent with the claim, and added later (supplements). */
  readonly documentsAtIntake: number;
  readonly documentsAddedLater: number;
  readonly policeReport: boolean;
}

/** Columns no claim here can supply: the model averages over them. */
export const unavailableFromClaims: readonly FraudFeatureName[] = [
  'Make',
  'AccidentArea',
  'Sex',
  'MaritalStatus',
  'Age',
  'Fault',
  'PolicyType',
  'VehicleCategory',
  'VehiclePrice',
  'DriverRating',
  'AgeOfVehicle',
  'AgeOfPolicyHolder',
  'WitnessPresent',
  'AgentType',
  'AddressChange_Claim',
  'NumberOfCars',
];

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const date = (iso: string) => new Date(`${iso}T00:00:00Z`);
export const daysBetween = (from: string, to: string) => Math.round((date(to).getTime() - date(from).getTime()) / 86_400_000);

function daysBand(days: number): string {
  if (days <= 0) return 'none';
  if (days <= 7) return '1 to 7';
  if (days <= 15) return '8 to 15';
  if (days <= 30) return '15 to 30';
  return 'more than 30';
}

function countBand(n: number, bands: readonly [number, string][], otherwise: string): string {
  for (const [max, label] of bands) if (n <= max) return label;
  return otherwise;
}

/** The model learned from motor claims; other lines are scored by the rules alone. */
export function modelApplies(facts: ClaimFraudFacts): boolean {
  return facts.lineOfBusiness === 'motor';
}

export function claimFeatureValues(facts: ClaimFraudFacts): FraudFeatureValues {
  const incident = date(facts.incidentDate);
  const reported = date(facts.reportedOn);
  const basePolicy = facts.peril === 'collision' ? 'Collision' : facts.peril === 'liability' ? 'Liability' : 'All Perils';
  return {
    Month: months[incident.getUTCMonth()]!,
    WeekOfMonth: String(Math.ceil(incident.getUTCDate() / 7)),
    DayOfWeek: days[incident.getUTCDay()]!,
    MonthClaimed: months[reported.getUTCMonth()]!,
    WeekOfMonthClaimed: String(Math.ceil(reported.getUTCDate() / 7)),
    DayOfWeekClaimed: days[reported.getUTCDay()]!,
    BasePolicy: basePolicy,
    // The training data's deductibles are US dollars; another currency's number would mean something else.
    ...(facts.deductible?.currency === 'USD' ? { Deductible: String(Math.round(facts.deductible.minor / 100)) } : {}),
    Days_Policy_Accident: daysBand(daysBetween(facts.policyStart, facts.incidentDate)),
    Days_Policy_Claim: daysBand(daysBetween(facts.policyStart, facts.reportedOn)),
    PastNumberOfClaims: countBand(
      facts.earlierClaims,
      [
        [0, 'none'],
        [1, '1'],
        [4, '2 to 4'],
      ],
      'more than 4',
    ),
    NumberOfSuppliments: countBand(
      facts.documentsAddedLater,
      [
        [0, 'none'],
        [2, '1 to 2'],
        [5, '3 to 5'],
      ],
      'more than 5',
    ),
    PoliceReportFiled: facts.policeReport ? 'Yes' : 'No',
  };
}
