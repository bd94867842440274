// `npm run eval:pricing`: cross-validated Poisson deviance of the frequency model and the premium
// relativities per rating factor; `-- --test CSV` scores the committed tariff on another file of the
// same columns and prints its total Poisson deviance. Figures only.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { factorLevels, ratingFactors } from '../domain/underwriting/products/motorcycle/rating-factors.ts';
import type { TariffArtefact } from '../domain/underwriting/products/motorcycle/tariff.ts';
import { readCsv } from '../engines/ml/csv.ts';
import { crossValidatedDeviance, fitTariff, frequencyDeviance, relativities, wasaPolicies } from '../engines/ml/pricing-training.ts';
import { projectRoot } from '../platform/tools.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(projectRoot, '..', 'shared', 'data', 'ohlsson-mc', 'train.csv') },
    test: { type: 'string' },
    folds: { type: 'string', default: '5' },
  },
});

if (values.test) {
  const file = path.resolve(values.test);
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    process.exit(2);
  }
  const tariff = JSON.parse(readFileSync(path.join(projectRoot, 'models', 'pricing-tariff.json'), 'utf8')) as TariffArtefact;
  const policies = wasaPolicies(readCsv(file));
  const insured = policies.filter((p) => p.exposure > 0);
  console.log(
    `${tariff.version} on ${path.basename(file)}: ${insured.length} policies with exposure, ${insured.reduce((s, p) => s + p.claims, 0)} claims | total Poisson deviance ${frequencyDeviance(tariff.frequency, policies).toFixed(1)}`,
  );
} else {
  const file = path.resolve(values.data);
  if (!existsSync(file)) {
    console.log(`SKIPPED: no policies at ${file}. Pass --data CSV, or --test CSV to score the committed tariff.`);
    process.exit(0);
  }
  const policies = wasaPolicies(readCsv(file));
  const folds = Number(values.folds);
  const cv = crossValidatedDeviance(policies, folds);
  console.log(
    `${folds}-fold cross-validated Poisson deviance (claim counts): ${cv.deviance.toFixed(1)}; at the overall rate: ${cv.nullDeviance.toFixed(1)}`,
  );
  console.log(`per fold: ${cv.perFold.map((d) => d.toFixed(1)).join(', ')}`);
  const fit = fitTariff(policies);
  const freq = relativities(fit.frequency);
  const sev = relativities(fit.severity);
  console.log('\nPremium relativities (frequency x severity), base level = 1:');
  for (const f of ratingFactors) {
    console.log(
      `  ${f.padEnd(13)} ${factorLevels[f].map((l) => `${l}: ${((freq[`${f}=${l}`] ?? 1) * (sev[`${f}=${l}`] ?? 1)).toFixed(2)}`).join('  ')}`,
    );
  }
}
