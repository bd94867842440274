// The motorcycle tariff fit, pinned to a standard implementation: statsmodels 0.15 GLM on the individual
// policies (scripts/reference/pricing_glm.py, run once; its output is below). Agreement checks the IRLS,
// the aggregation to cells, the grouping and the base levels together. Also: the fit on small synthetic
// data recovers the rates it was generated with, and pricing a cell multiplies the relativities.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratingCell } from '../../domain/underwriting/products/motorcycle/rating-factors.ts';
import { riskPremium, type TariffArtefact } from '../../domain/underwriting/products/motorcycle/tariff.ts';
import { fitGlm } from '../../engines/ml/glm.ts';
import { readCsv } from '../../engines/ml/csv.ts';
import { baseLevels, fitTariff, wasaPolicies } from '../../engines/ml/pricing-training.ts';
import { projectRoot } from '../../platform/tools.ts';

const statsmodels = {
  base: { zone: '4', vehicleClass: '3', vehicleAge: '5+', bonusClass: '5-7', ownerAge: '45-54' },
  frequency: {
    intercept: -6.2137169608,
    'zone=1': 1.4903074972,
    'zone=2': 0.8754331308,
    'zone=3': 0.3649297188,
    'zone=5': -0.174261191,
    'zone=6': 0.2335935931,
    'zone=7': -0.0466593587,
    'vehicleClass=1': 0.3439689172,
    'vehicleClass=2': 0.5411021663,
    'vehicleClass=4': -0.1065850218,
    'vehicleClass=5': 0.4568655307,
    'vehicleClass=6': 1.0164232329,
    'vehicleClass=7': 0.4538625577,
    'vehicleAge=0-1': 1.2536305257,
    'vehicleAge=2-4': 0.645009673,
    'bonusClass=1-2': -0.2973344419,
    'bonusClass=3-4': -0.0637633043,
    'ownerAge=0-24': 2.0667672063,
    'ownerAge=25-34': 1.2866652002,
    'ownerAge=35-44': 0.2143117374,
    'ownerAge=55+': 0.0751991645,
  },
  severity: {
    intercept: 9.5218079217,
    'zone=1': 0.1842157483,
    'zone=2': 0.3301193698,
    'zone=3': -0.0061702984,
    'zone=5': -0.2104903119,
    'zone=6': -0.2564428707,
    'zone=7': -3.9678756936,
    'vehicleClass=1': -0.5797448271,
    'vehicleClass=2': -0.6627752947,
    'vehicleClass=4': -0.4081432273,
    'vehicleClass=5': -0.2789930702,
    'vehicleClass=6': 0.0158738824,
    'vehicleClass=7': -1.3040062334,
    'vehicleAge=0-1': 1.0296237794,
    'vehicleAge=2-4': 0.9230401348,
    'bonusClass=1-2': -0.1500582262,
    'bonusClass=3-4': 0.0775891242,
    'ownerAge=0-24': 0.112864592,
    'ownerAge=25-34': 0.4109601607,
    'ownerAge=35-44': 0.1632701361,
    'ownerAge=55+': -0.362925356,
  },
};

const data = path.join(projectRoot, '..', 'shared', 'data', 'ohlsson-mc', 'train.csv');
if (!existsSync(data)) console.warn(`SKIPPED: the pin against statsmodels needs ${data}`);

describe('motorcycle tariff', () => {
  it.skipIf(!existsSync(data))('agrees with statsmodels on every coefficient', () => {
    const policies = wasaPolicies(readCsv(data));
    expect(baseLevels(policies)).toEqual(Object.values(statsmodels.base));
    const fit = fitTariff(policies);
    for (const [model, reference] of [
      [fit.frequency, statsmodels.frequency],
      [fit.severity, statsmodels.severity],
    ] as const) {
      expect(model.names).toEqual(Object.keys(reference));
      model.coefficients.forEach((c, i) => expect(c, model.names[i]).toBeCloseTo(Object.values(reference)[i]!, 8));
    }
  });

  it('matches the committed artefact to the same coefficients', () => {
    const tariff = JSON.parse(readFileSync(path.join(projectRoot, 'models', 'pricing-tariff.json'), 'utf8')) as TariffArtefact;
    tariff.frequency.coefficients.forEach((c, i) =>
      expect(c, tariff.frequency.names[i]).toBeCloseTo(Object.values(statsmodels.frequency)[i]!, 8),
    );
    tariff.severity.coefficients.forEach((c, i) =>
      expect(c, tariff.severity.names[i]).toBeCloseTo(Object.values(statsmodels.severity)[i]!, 8),
    );
    // A young rider of a new, powerful bike in central Stockholm costs far more than the base cell.
    const base = riskPremium(tariff, ratingCell({ zone: 4, vehicleClass: 3, vehicleAgeYears: 8, bonusClass: 6, ownerAgeYears: 50 }));
    const risky = riskPremium(tariff, ratingCell({ zone: 1, vehicleClass: 6, vehicleAgeYears: 0, bonusClass: 1, ownerAgeYears: 20 }));
    expect(base.premium).toBeCloseTo(Math.exp(statsmodels.frequency.intercept + statsmodels.severity.intercept), 6);
    const product = Object.values(risky.relativities).reduce((a, b) => a * b, 1);
    expect(risky.premium / base.premium).toBeCloseTo(product, 6);
    expect(risky.premium).toBeGreaterThan(50 * base.premium);
  });

  it('recovers the rates synthetic data was made with', () => {
    // Two factors; the frequency of each cell is 0.1 x 2 (if a=y) x 0.5 (if b=y), with exposure 1000.
    const cells = ['n|n', 'y|n', 'n|y', 'y|y'].map((key) => {
      const [a, b] = key.split('|');
      const rate = 0.1 * (a === 'y' ? 2 : 1) * (b === 'y' ? 0.5 : 1);
      return { levels: [a!, b!], weight: 1000, response: rate * 1000 };
    });
    const fit = fitGlm(
      'poisson',
      cells,
      ['a', 'b'],
      [
        ['n', 'y'],
        ['n', 'y'],
      ],
      ['n', 'n'],
    );
    expect(fit.names).toEqual(['intercept', 'a=y', 'b=y']);
    expect(fit.coefficients.map((c) => Math.exp(c))).toEqual([expect.closeTo(0.1, 9), expect.closeTo(2, 9), expect.closeTo(0.5, 9)]);
    expect(fit.deviance).toBeCloseTo(0, 9);
  });
});
