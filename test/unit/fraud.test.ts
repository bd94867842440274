// Fraud checks without Temporal: the red-flag rules, a claim's facts as model features, the one score
// with its band and ranked reasons, and the boosted trees themselves.
import { describe, expect, it } from 'vitest';
import { claimFeatureValues, type ClaimFraudFacts } from '../../domain/fraud/claim-features.ts';
import { fraudFeatures, scoreWithModel } from '../../domain/fraud/model.ts';
import { fraudRuleHits, type FraudRuleFacts } from '../../domain/fraud/rules.ts';
import { defaultFraudBands, scoreFraud } from '../../domain/fraud/score.ts';
import { auc, explainGbdt, precisionAtRecall, trainGbdt } from '../../domain/shared/gbdt.ts';
import { loadFraudModel } from '../../activities/claims/fraud.ts';

const quiet: FraudRuleFacts = {
  incidentDate: '2026-10-01',
  reportedOn: '2026-10-02',
  policyStart: '2026-01-01',
  claimed: { minor: 120_000, currency: 'EUR' },
  claimsInLastYear: 0,
  approvalThresholds: [{ minor: 1_000_000, currency: 'EUR' }],
  flags: [],
  reusedDocuments: [],
  sharedBankAccountWith: [],
  sharedContactWith: [],
};

describe('red-flag rules', () => {
  it('finds nothing on an ordinary claim', () => {
    expect(fraudRuleHits(quiet)).toEqual([]);
  });
  it('names each published red flag, strongest first', () => {
    const hits = fraudRuleHits({
      ...quiet,
      policyStart: '2026-09-27',
      reportedOn: '2026-12-15',
      claimed: { minor: 990_000, currency: 'EUR' },
      claimsInLastYear: 4,
      flags: [{ code: 'AMOUNT_EXCEEDS_DOCUMENTS', severity: 'medium', message: '', documentId: null, evidence: [] }],
      reusedDocuments: [{ claimId: 'CLM-A', how: 'same-file' }],
      sharedBankAccountWith: ['cust-9'],
      sharedContactWith: ['cust-9'],
    });
    expect(hits.map((h) => h.code)).toEqual([
      'DOCUMENT_REUSED',
      'BANK_ACCOUNT_SHARED',
      'LOSS_SOON_AFTER_INCEPTION',
      'SEVERAL_RECENT_CLAIMS',
      'DOCUMENTS_CONTRADICT_CLAIM',
      'CONTACT_SHARED',
      'JUST_UNDER_THRESHOLD',
      'LATE_REPORTING',
    ]);
    expect(hits.find((h) => h.code === 'LOSS_SOON_AFTER_INCEPTION')?.message).toBe('The loss happened 4 days after the policy started.');
    expect(hits.find((h) => h.code === 'JUST_UNDER_THRESHOLD')?.message).toContain('EUR 10,000.00');
  });
  it('tells a reused text from a reused file, and ignores low-severity document flags', () => {
    const hits = fraudRuleHits({
      ...quiet,
      reusedDocuments: [{ claimId: 'CLM-B', how: 'same-text' }],
      flags: [{ code: 'RECEIPT_PREDATES_INCIDENT', severity: 'low', message: '', documentId: null, evidence: [] }],
    });
    expect(hits.map((h) => h.code)).toEqual(['DOCUMENT_TEXT_REUSED']);
  });
});

const motor: ClaimFraudFacts = {
  lineOfBusiness: 'motor',
  peril: 'collision',
  incidentDate: '2026-11-20',
  reportedOn: '2026-11-23',
  policyStart: '2026-11-10',
  deductible: { minor: 40_000, currency: 'USD' },
  earlierClaims: 3,
  documentsAtIntake: 1,
  documentsAddedLater: 2,
  policeReport: false,
};

describe('claim facts as model features', () => {
  it('maps dates, cover, history and documents onto the training columns, and nothing else', () => {
    expect(claimFeatureValues(motor)).toEqual({
      Month: 'Nov',
      WeekOfMonth: '3',
      DayOfWeek: 'Friday',
      MonthClaimed: 'Nov',
      WeekOfMonthClaimed: '4',
      DayOfWeekClaimed: 'Monday',
      BasePolicy: 'Collision',
      Deductible: '400',
      Days_Policy_Accident: '8 to 15',
      Days_Policy_Claim: '8 to 15',
      PastNumberOfClaims: '2 to 4',
      NumberOfSuppliments: '1 to 2',
      PoliceReportFiled: 'No',
    });
    expect(claimFeatureValues({ ...motor, deductible: { minor: 40_000, currency: 'EUR' } }).Deductible).toBeUndefined();
  });
});

describe('fraud score', () => {
  it('is the model estimate moved by the red flags, banded, with at least three reasons', () => {
    const model = {
      version: 'm@1',
      weight: 1,
      probability: 0.06,
      contributions: [
        { feature: 'PastNumberOfClaims' as const, value: '2 to 4', logOdds: 0.3 },
        { feature: 'BasePolicy' as const, value: 'Collision', logOdds: 0.1 },
        { feature: 'Month' as const, value: 'Nov', logOdds: -0.2 },
      ],
    };
    const low = scoreFraud({ model, rules: [], rulesVersion: 'r@1', bands: defaultFraudBands });
    expect(low).toMatchObject({ score: 6, band: 'low', modelVersion: 'm@1' });
    expect(low.reasons.map((r) => r.code)).toEqual(['MODEL_PASTNUMBEROFCLAIMS', 'MODEL_BASEPOLICY', 'MODEL_MONTH']);
    const high = scoreFraud({
      model,
      rules: fraudRuleHits({ ...quiet, reusedDocuments: [{ claimId: 'X', how: 'same-file' }] }),
      rulesVersion: 'r@1',
      bands: defaultFraudBands,
    });
    expect(high).toMatchObject({ score: 44, band: 'medium' }); // odds 0.06/0.94 x e^2.5
    expect(high.reasons[0]).toMatchObject({ code: 'DOCUMENT_REUSED', logOdds: 2.5 });
    const higher = scoreFraud({
      model,
      rules: fraudRuleHits({ ...quiet, reusedDocuments: [{ claimId: 'X', how: 'same-file' }], sharedBankAccountWith: ['c'] }),
      rulesVersion: 'r@1',
      bands: defaultFraudBands,
    });
    expect(higher.band).toBe('high');
  });
  it('scores a line the model never learned from the prior and the rules alone', () => {
    const home = scoreFraud({ model: null, rules: [], rulesVersion: 'r@1', bands: { medium: 5, high: 50 } });
    expect(home).toMatchObject({ score: 6, band: 'medium', modelVersion: null, modelProbability: null, reasons: [] });
  });
});

describe('boosted trees', () => {
  // y depends on feature 0 (strongly) and feature 1 (weakly); feature 2 is noise.
  const rows: number[][] = [];
  const labels: number[] = [];
  let seed = 1;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 3000; i++) {
    const row = [Math.floor(rand() * 4), Math.floor(rand() * 3), Math.floor(rand() * 5)];
    const p = 0.03 + 0.25 * (row[0] === 3 ? 1 : 0) + 0.05 * row[1]!;
    rows.push(row);
    labels.push(rand() < p ? 1 : 0);
  }
  const model = trainGbdt(rows, labels, [4, 3, 5], {
    trees: 60,
    depth: 2,
    learningRate: 0.1,
    lambda: 1,
    minChildWeight: 1,
    subsample: 0.8,
    colsample: 1,
    seed: 3,
  });

  it('learns the signal and explains it by the feature that carries it', () => {
    const scores = rows.map((r) => explainGbdt(model, r, 3).margin);
    expect(auc(scores, labels)).toBeGreaterThan(0.7);
    const risky = explainGbdt(model, [3, 2, 0], 3);
    const safe = explainGbdt(model, [0, 0, 0], 3);
    expect(risky.probability).toBeGreaterThan(0.25);
    expect(safe.probability).toBeLessThan(0.08);
    expect(Math.abs(risky.contributions[0]!)).toBeGreaterThan(Math.abs(risky.contributions[2]!));
  });
  it('averages over an unknown feature rather than guessing it', () => {
    const unknown = explainGbdt(model, [undefined, 1, 2], 3).probability;
    const each = [0, 1, 2, 3].map((f) => explainGbdt(model, [f, 1, 2], 3).probability);
    expect(unknown).toBeGreaterThan(Math.min(...each));
    expect(unknown).toBeLessThan(Math.max(...each));
    expect(explainGbdt(model, [undefined, 1, 2], 3).contributions[0]).toBe(0);
  });
  it('measures AUC and precision at a recall exactly', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([1, 1, 1], [0, 1, 0])).toBe(0.5);
    expect(precisionAtRecall([0.9, 0.8, 0.7, 0.6, 0.5], [1, 0, 1, 0, 1], 0.6)).toEqual({ precision: 2 / 3, threshold: 0.7 });
  });
});

describe('the committed model', () => {
  const artefact = loadFraudModel();
  it('covers every feature it was trained on and scores a claim with ranked contributions', () => {
    expect(Object.keys(artefact.categories).sort()).toEqual(fraudFeatures.map((f) => f.name).sort());
    expect(artefact.crossValidation.auc).toBeGreaterThan(0.5);
    const scored = scoreWithModel(artefact, claimFeatureValues(motor));
    expect(scored.probability).toBeGreaterThan(0);
    expect(scored.probability).toBeLessThan(1);
    expect(scored.contributions.length).toBe(Object.keys(claimFeatureValues(motor)).length);
    const logOdds = scored.contributions.map((c) => c.logOdds);
    expect([...logOdds].sort((a, b) => b - a)).toEqual(logOdds);
  });
});

describe('model weight', () => {
  it('shrinks a model that knows little about claims toward the prior', () => {
    const contributions = [
      { feature: 'Month' as const, value: 'Nov', logOdds: -1 },
      { feature: 'BasePolicy' as const, value: 'Collision', logOdds: -0.5 },
      { feature: 'DayOfWeek' as const, value: 'Monday', logOdds: -0.2 },
    ];
    const sure = scoreFraud({
      model: { version: 'm', weight: 1, probability: 0.005, contributions },
      rules: [],
      rulesVersion: 'r',
      bands: defaultFraudBands,
    });
    const shrunk = scoreFraud({
      model: { version: 'm', weight: 0.3, probability: 0.005, contributions },
      rules: [],
      rulesVersion: 'r',
      bands: defaultFraudBands,
    });
    const ignored = scoreFraud({
      model: { version: 'm', weight: 0, probability: 0.005, contributions },
      rules: [],
      rulesVersion: 'r',
      bands: defaultFraudBands,
    });
    expect([sure.score, shrunk.score, ignored.score]).toEqual([1, 3, 6]);
    expect(shrunk.reasons[0]).toMatchObject({ code: 'MODEL_DAYOFWEEK', logOdds: -0.06 });
  });
});
