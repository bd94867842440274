// A second line of business that exists only in the test suite: home contents insurance in EUR, with a
// small tariff of its own (tariff.json). It is one module and its tariff; nothing outside this folder
// names it (test/api/second-product.test.ts checks that), which is the point: a product is data and
// functions the workflow, the activities, the API and the policy document read from the registry.
import { parseAmount } from '../../../domain/shared/money.ts';
import type { Reason } from '../../../domain/shared/decision.ts';
import { defineProduct } from '../../../domain/underwriting/products/product.ts';
import { registerProduct } from '../../../domain/underwriting/products/registry.ts';

export interface HomeContentsRisk {
  readonly sumInsuredMinor: number;
  readonly zone: number;
  readonly dwelling: 'apartment' | 'house';
  readonly alarm: boolean;
  readonly priorClaims: number;
  readonly [field: string]: unknown;
}

interface HomeContentsFacts {
  readonly applicantAge: number;
  readonly priorClaims: number;
  readonly sumInsuredMinor: number;
  readonly house: number;
  readonly alarm: number;
  readonly [fact: string]: number;
}

interface HomeContentsTariff {
  readonly version: string;
  readonly perThousandMinor: number;
  readonly zone: Readonly<Record<string, number>>;
  readonly dwelling: Readonly<Record<string, number>>;
  readonly alarm: Readonly<Record<string, number>>;
}

const currency = 'EUR';
const referAbove = 100_000_00;
const houseWithoutAlarmAbove = 50_000_00;

export const homeContentsProduct = registerProduct(
  defineProduct<HomeContentsRisk, HomeContentsFacts, HomeContentsTariff>({
    code: 'HOME-CONTENTS-TEST',
    version: 'home-contents-test@1.0.0',
    name: 'Home contents',
    lineOfBusiness: 'home',
    currency,
    eligibility: { minAge: 18, maxAge: 110, maxPriorClaims: 4 },
    loadingPerPriorClaim: 0.2,
    expenseRatio: 0.3,
    minimumPremiumMinor: 60_00,
    cover: [
      { peril: 'fire', limit: 'insured-value', deductibleMinor: 150_00 },
      { peril: 'water_damage', limit: 'insured-value', deductibleMinor: 150_00 },
      { peril: 'theft', limit: 'insured-value', deductibleMinor: 150_00 },
      { peril: 'burglary', limit: 'insured-value', deductibleMinor: 150_00 },
      { peril: 'liability', limit: 1_000_000_00, deductibleMinor: 0 },
    ],
    evidence: { required: [] },
    maxAiLoading: 0.3,
    underwriterAuthority: { maxInsuredValueMinor: 150_000_00 },
    tariffFile: 'test/products/home-contents/tariff.json',

    schemaName: 'HomeContentsApplication',
    applicationFields: (z) =>
      z
        .object({
          contents: z
            .object({
              sumInsured: z.object({ amount: z.union([z.string(), z.number()]), currency: z.literal(currency) }).strict(),
              dwelling: z.enum(['apartment', 'house']),
              alarm: z.boolean().describe('A monitored burglar alarm'),
            })
            .strict(),
          zone: z.number().int().min(1).max(5).describe('Postcode risk zone 1 (highest) to 5'),
          priorClaims: z.number().int().min(0).max(50).describe('Home claims in the last three years'),
        })
        .strict(),

    readRisk(fields) {
      const f = fields as {
        contents: { sumInsured: { amount: string | number }; dwelling: 'apartment' | 'house'; alarm: boolean };
        zone: number;
        priorClaims: number;
      };
      const sum = parseAmount(f.contents.sumInsured.amount, currency);
      if (!sum.ok) return { ok: false, code: 'INVALID_AMOUNT', problem: `contents.sumInsured: ${sum.problem}` };
      return {
        ok: true,
        risk: {
          sumInsuredMinor: sum.money.minor,
          zone: f.zone,
          dwelling: f.contents.dwelling,
          alarm: f.contents.alarm,
          priorClaims: f.priorClaims,
        },
      };
    },

    insuredValueMinor: (risk) => risk.sumInsuredMinor,
    insuredValueOfFacts: (facts) => facts.sumInsuredMinor,

    rate(tariff, risk, { applicantAge }) {
      const cell = { zone: String(risk.zone), dwelling: risk.dwelling, alarm: risk.alarm ? 'yes' : 'no' };
      const relativities = { zone: tariff.zone[cell.zone]!, dwelling: tariff.dwelling[cell.dwelling]!, alarm: tariff.alarm[cell.alarm]! };
      const factor = relativities.zone * relativities.dwelling * relativities.alarm;
      return {
        facts: {
          applicantAge,
          priorClaims: risk.priorClaims,
          sumInsuredMinor: risk.sumInsuredMinor,
          house: risk.dwelling === 'house' ? 1 : 0,
          alarm: risk.alarm ? 1 : 0,
        },
        cell,
        riskPremiumMinor: Math.round((risk.sumInsuredMinor / 1_000_00) * tariff.perThousandMinor * factor),
        tariffVersion: tariff.version,
        relativities,
      };
    },

    declines: () => [],

    referrals(facts) {
      const reasons: Reason[] = [];
      if (facts.sumInsuredMinor > referAbove)
        reasons.push({ code: 'HIGH_VALUE_CONTENTS', message: 'The contents are worth more than the engine may accept alone.' });
      else if (facts.house === 1 && facts.alarm === 0 && facts.sumInsuredMinor > houseWithoutAlarmAbove)
        reasons.push({ code: 'HOUSE_WITHOUT_ALARM', message: 'Valuable contents in a house without an alarm need an underwriter.' });
      return reasons;
    },

    declaredObject: (risk) => ({ registration: null, priorClaims: risk.priorClaims }),
    brief: (risk, { applicantAge }) => ({
      applicantAge,
      priorClaims: risk.priorClaims,
      sumInsured: risk.sumInsuredMinor / 100,
      zone: risk.zone,
      dwelling: risk.dwelling,
      alarm: risk.alarm,
    }),
    insuredObject: (risk) => `Home contents: ${risk.dwelling}, zone ${risk.zone}, ${risk.alarm ? 'with' : 'without'} an alarm`,
    summary: (risk) => `home contents, ${risk.dwelling}, zone ${risk.zone}`,
  }),
);
