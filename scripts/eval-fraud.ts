// `npm run eval:fraud`: AUC and precision at recall 0.80 of the fraud model, by 5-fold cross-validation
// on the training split; `-- --test CSV` scores the committed model on another labelled file of the
// same columns instead. Figures only: nothing is asserted.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unavailableFromClaims } from '../domain/fraud/claim-features.ts';
import type { FraudModelArtefact } from '../domain/fraud/model.ts';
import { readCsv } from '../engines/ml/csv.ts';
import { crossValidate, evaluate, label, scoreRows } from '../engines/ml/fraud-training.ts';
import { defaultParams } from '../domain/shared/gbdt.ts';
import { projectRoot } from '../platform/tools.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(projectRoot, '..', 'shared', 'data', 'fraud-oracle', 'train.csv') },
    test: { type: 'string' },
    folds: { type: 'string', default: '5' },
  },
});

const print = (what: string, e: { auc: number; precisionAtRecall80: number; rows: number; positives: number }) =>
  console.log(
    `${what}: ${e.rows} claims, ${e.positives} fraud | AUC ${e.auc.toFixed(3)} | precision at recall 0.80: ${e.precisionAtRecall80.toFixed(3)}`,
  );

if (values.test) {
  const file = path.resolve(values.test);
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    process.exit(2);
  }
  const artefact = JSON.parse(readFileSync(path.join(projectRoot, 'models', 'fraud-model.json'), 'utf8')) as FraudModelArtefact;
  const rows = readCsv(file);
  const t0 = performance.now();
  const scores = scoreRows(artefact, rows);
  const ms = performance.now() - t0;
  print(
    `${artefact.version} on ${path.basename(file)}`,
    evaluate(
      scores,
      rows.map((r) => Number(r[label])),
    ),
  );
  console.log(`scoring: ${((1000 * ms) / rows.length).toFixed(1)} µs per claim`);
} else {
  const file = path.resolve(values.data);
  if (!existsSync(file)) {
    console.log(`SKIPPED: no labelled claims at ${file}. Pass --data CSV, or --test CSV to score the committed model.`);
    process.exit(0);
  }
  const rows = readCsv(file);
  const folds = Number(values.folds);
  const t0 = performance.now();
  const cv = crossValidate(rows, folds, defaultParams);
  print(`${folds}-fold cross-validation on ${path.basename(file)}`, cv);
  console.log(`AUC per fold: ${cv.perFold.map((a) => a.toFixed(3)).join(', ')} | ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // What the model can do on this engine's claims, which cannot supply every column.
  print('  the same, knowing only what a claim here supplies', crossValidate(rows, folds, defaultParams, unavailableFromClaims));
  console.log('targets: AUC >= 0.85, precision >= 0.30 at recall 0.80');
}
