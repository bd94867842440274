// Motorcycle partial casco, rated with the Wasa tariff (rating-factors.ts, tariff.ts): the shipped
// product and the default of an application that names none.
import { parseAmount } from '../../../shared/money.ts';
import type { Reason } from '../../../shared/decision.ts';
import { defineProduct } from '../product.ts';
import { ratingCell } from './rating-factors.ts';
import { riskPremium, type TariffArtefact } from './tariff.ts';

export interface MotorcycleRisk {
  readonly zone: number;
  readonly vehicleClass: number;
  readonly vehicleYear: number;
  readonly vehicleValueMinor: number;
  readonly registration: string;
  readonly bonusClass: number;
  readonly licenceYears: number;
  readonly priorClaims: number;
  readonly [field: string]: unknown;
}

export interface MotorcycleFacts {
  readonly applicantAge: number;
  readonly licenceYears: number;
  readonly priorClaims: number;
  readonly vehicleValueMinor: number;
  readonly vehicleClass: number;
  readonly [fact: string]: number;
}

const currency = 'SEK';
/** A person must look: the engine neither accepts nor declines these. */
const referral = { maxVehicleValueMinor: 300_000_00, youngRiderAge: 21, powerfulClassFrom: 6 };
const minLicenceYears = 0;

const vehicleAgeYears = (risk: MotorcycleRisk, startDate: string) => Math.max(0, Number(startDate.slice(0, 4)) - risk.vehicleYear);

export const motorcycleProduct = defineProduct<MotorcycleRisk, MotorcycleFacts, TariffArtefact>({
  code: 'MC-PARTIAL-CASCO',
  version: 'mc-product@1.0.0',
  name: 'Motorcycle partial casco',
  lineOfBusiness: 'motor',
  currency,
  eligibility: { minAge: 18, maxAge: 90, maxPriorClaims: 3 },
  loadingPerPriorClaim: 0.15,
  expenseRatio: 0.25,
  minimumPremiumMinor: 600_00,
  cover: [
    { peril: 'theft', limit: 'insured-value', deductibleMinor: 1_000_00 },
    { peril: 'fire', limit: 'insured-value', deductibleMinor: 1_000_00 },
    { peril: 'collision', limit: 'insured-value', deductibleMinor: 2_000_00 },
    { peril: 'third_party_liability', limit: 5_000_000_00, deductibleMinor: 0 },
  ],
  // Declared facts are priced at once, as on comparison sites; documents sent are verified, and a product
  // that requires them lists their kinds here (a missing one refers the application).
  evidence: { required: [] },
  maxAiLoading: 0.5,
  underwriterAuthority: { maxInsuredValueMinor: 500_000_00 },
  tariffFile: 'models/pricing-tariff.json',

  schemaName: 'MotorcycleApplication',
  applicationFields: (z) =>
    z
      .object({
        vehicle: z
          .object({
            registration: z
              .string()
              .trim()
              .regex(/^[A-Z0-9 -]{2,12}$/i, 'must be a registration like ABC 123'),
            year: z.number().int().min(1900).max(2100),
            class: z.number().int().min(1).max(7).describe('EV ratio class 1-7 (power to weight)'),
            value: z.object({ amount: z.union([z.string(), z.number()]), currency: z.literal(currency) }).strict(),
          })
          .strict(),
        zone: z.number().int().min(1).max(7).describe('Geographic zone 1 (city centres) to 7 (Gotland)'),
        bonusClass: z.number().int().min(1).max(7),
        licenceYears: z.number().int().min(0).max(80),
        priorClaims: z.number().int().min(0).max(50).describe('Claims in the last three years'),
      })
      .strict(),

  readRisk(fields) {
    const f = fields as {
      vehicle: { registration: string; year: number; class: number; value: { amount: string | number } };
      zone: number;
      bonusClass: number;
      licenceYears: number;
      priorClaims: number;
    };
    const value = parseAmount(f.vehicle.value.amount, currency);
    if (!value.ok) return { ok: false, code: 'INVALID_AMOUNT', problem: `vehicle.value: ${value.problem}` };
    return {
      ok: true,
      risk: {
        zone: f.zone,
        vehicleClass: f.vehicle.class,
        vehicleYear: f.vehicle.year,
        vehicleValueMinor: value.money.minor,
        registration: f.vehicle.registration.toUpperCase(),
        bonusClass: f.bonusClass,
        licenceYears: f.licenceYears,
        priorClaims: f.priorClaims,
      },
    };
  },

  insuredValueMinor: (risk) => risk.vehicleValueMinor,
  insuredValueOfFacts: (facts) => facts.vehicleValueMinor,

  rate(tariff, risk, { applicantAge, startDate }) {
    const cell = ratingCell({
      zone: risk.zone,
      vehicleClass: risk.vehicleClass,
      vehicleAgeYears: vehicleAgeYears(risk, startDate),
      bonusClass: risk.bonusClass,
      ownerAgeYears: applicantAge,
    });
    // The tariff is in SEK per year, as the product is.
    const premium = riskPremium(tariff, cell);
    return {
      facts: {
        applicantAge,
        licenceYears: risk.licenceYears,
        priorClaims: risk.priorClaims,
        vehicleValueMinor: risk.vehicleValueMinor,
        vehicleClass: risk.vehicleClass,
      },
      cell,
      riskPremiumMinor: Math.round(premium.premium * 100),
      tariffVersion: tariff.version,
      relativities: premium.relativities,
    };
  },

  declines(facts) {
    return facts.licenceYears < minLicenceYears
      ? [{ code: 'NO_LICENCE', message: 'The applicant has no valid licence for this vehicle.' }]
      : [];
  },

  referrals(facts) {
    const reasons: Reason[] = [];
    if (facts.vehicleValueMinor > referral.maxVehicleValueMinor)
      reasons.push({ code: 'HIGH_VALUE_VEHICLE', message: 'The vehicle is worth more than the engine may accept alone.' });
    if (facts.applicantAge < referral.youngRiderAge && facts.vehicleClass >= referral.powerfulClassFrom) {
      reasons.push({
        code: 'YOUNG_RIDER_POWERFUL_VEHICLE',
        message: `A rider under ${referral.youngRiderAge} on a class ${facts.vehicleClass} vehicle needs an underwriter.`,
      });
    }
    return reasons;
  },

  declaredObject: (risk) => ({ registration: risk.registration, priorClaims: risk.priorClaims }),

  brief: (risk, { applicantAge, startDate }) => ({
    applicantAge,
    licenceYears: risk.licenceYears,
    priorClaims: risk.priorClaims,
    vehicleValue: risk.vehicleValueMinor / 100,
    vehicleClass: risk.vehicleClass,
    vehicleAgeYears: vehicleAgeYears(risk, startDate),
    zone: risk.zone,
  }),

  insuredObject: (risk) => `Vehicle: ${risk.registration}, ${risk.vehicleYear}, class ${risk.vehicleClass}`,
  summary: (risk) => `motorcycle, class ${risk.vehicleClass}, zone ${risk.zone}`,
});
