import { describe, expect, it } from 'vitest';
import { loadFieldSelectors, readReceiptFieldsArtefact } from '../../activities/documents/index.ts';
import { extractDocument, extractionRulesVersion } from '../../domain/documents/extract.ts';
import { issuerCandidates, issuerFeatureBins, issuerFeatureNames, issuerFeatures } from '../../domain/documents/fields/issuer-selector.ts';
import { placeLines } from '../../domain/documents/fields/lines.ts';
import { readTotalCandidates } from '../../domain/documents/fields/total.ts';
import { chooseBySelector, totalFeatureBins, totalFeatureNames, totalFeatures } from '../../domain/documents/fields/total-selector.ts';
import type { GbdtModel } from '../../domain/shared/gbdt.ts';
import { crossValidateSelector, prepareFields } from '../../engines/ml/receipt-fields-training.ts';
import { linesDocument as doc } from '../support/documents.ts';

const receipt = doc([
  'ACME HARDWARE SDN BHD',
  'NO 12 JALAN MAJU 40000 SHAH ALAM',
  'TEL 03-5511 2233',
  'HAMMER 1 10.00',
  'SUB TOTAL 10.00',
  'GST 6% 0.60',
  'TOTAL 10.60',
  'CASH 20.00',
  'CHANGE 9.40',
]);
const artefact = readReceiptFieldsArtefact();

describe('the total selector', () => {
  const reading = readTotalCandidates(placeLines(receipt));

  it('describes every candidate by codes within its features bins', () => {
    const rows = totalFeatures(reading);
    expect(rows).toHaveLength(reading.candidates.length);
    for (const row of rows) row.forEach((code, f) => expect(code).toBeLessThan(totalFeatureBins[totalFeatureNames[f]!]!));
    expect(reading.candidates.map((c) => c.cents)).toEqual(expect.arrayContaining([1060, 1000]));
  });

  it('chooses what its model rates most probable, with that probability as the confidence', () => {
    // One stump: candidates that no arithmetic voted for are unlikely.
    const arithmetic = totalFeatureNames.indexOf('source:arithmetic');
    const stump: GbdtModel = {
      baseScore: 0,
      trees: [{ feature: arithmetic, threshold: 0, cover: 2, value: 0, left: { cover: 1, value: -3 }, right: { cover: 1, value: 3 } }],
    };
    const choice = chooseBySelector({ version: 'stump', model: stump })(reading);
    expect(choice?.chosen.sources.has('arithmetic')).toBe(true);
    expect(choice?.confidence).toBeCloseTo(1 / (1 + Math.exp(-3)), 2);
  });
});

describe('the issuer selector', () => {
  it('offers the top lines alone and wrapped together, each described within its bins', () => {
    const lines = placeLines(receipt);
    const { candidates, top } = issuerCandidates(lines);
    expect(candidates.map((c) => c.name)).toContain('ACME HARDWARE SDN BHD');
    expect(candidates.some((c) => c.lines.length === 2)).toBe(true);
    for (const row of issuerFeatures(lines, candidates, top))
      row.forEach((code, f) => expect(code).toBeLessThan(issuerFeatureBins[issuerFeatureNames[f]!]!));
  });
});

describe('the shipped selectors (models/receipt-fields.json)', () => {
  it('were trained on the features the code computes now', () => {
    // A feature added, removed or reordered without `npm run train:receipts` would feed the models wrong codes.
    expect(artefact.total.features).toEqual(totalFeatureNames);
    expect(artefact.issuer.features).toEqual(issuerFeatureNames);
    expect(artefact.total.folds).toHaveLength(5);
    expect(artefact.issuer.folds).toHaveLength(5);
  });

  it('read a plain receipt right and name themselves in the extraction version', () => {
    const selectors = loadFieldSelectors(artefact.engine)!;
    const read = extractDocument(receipt, { selectors });
    expect(read.fields.total?.value.cents).toBe(1060);
    expect(read.fields.total?.confidence).toBeGreaterThan(0.5);
    expect(read.fields.issuer?.value).toBe('ACME HARDWARE SDN BHD');
    expect(read.version).toBe(`${extractionRulesVersion}+${artefact.total.version}+${artefact.issuer.version}`);
  });

  it('are not used for another engine, whose readings they were not calibrated on', () => {
    expect(loadFieldSelectors('tesseract.js@7')).toBeUndefined();
  });
});

describe('training', () => {
  it('scores every receipt by the fold model that did not see it', () => {
    const receipts = Array.from({ length: 10 }, (_, i) => ({
      id: String(i).padStart(3, '0'),
      fold: i % 5,
      text: receipt,
      totalCents: 1060,
      company: 'ACMEHARDWARESDNBHD',
    }));
    const fields = prepareFields(receipts, (s) => s.toUpperCase().replace(/[^A-Z0-9]/g, ''));
    const cv = crossValidateSelector(fields.total, 5, {
      trees: 5,
      depth: 2,
      learningRate: 0.3,
      lambda: 1,
      minChildWeight: 1,
      subsample: 1,
      colsample: 1,
      seed: 1,
    });
    expect(cv.models).toHaveLength(5);
    expect(cv.choices.map((c) => c.fold)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(cv.choices.every((c) => c.chosen?.value === '1060')).toBe(true);
  });
});
