// `npm run eval:underwriting`: runs the underwriting decision (product rules + the committed tariff) over
// real policyholders (Wasa's motorcycle policies, ../shared/data/ohlsson-mc/train.csv or --data CSV) and
// prints decision rates and premiums by the protected attributes the data holds, gender and age band,
// with the disparate-impact ratio (each group's rate of straight-through acceptance over the highest
// group's; below 0.80 fails the four-fifths rule), in the manner of Colorado SB21-169 testing. Figures
// only: an unfair rule or model shows here before release.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ratingCell, wasaRiskFacts } from '../domain/underwriting/products/motorcycle/rating-factors.ts';
import { riskPremium, type TariffArtefact } from '../domain/underwriting/products/motorcycle/tariff.ts';
import { decideApplication, type UnderwritingOutcome } from '../domain/underwriting/decide.ts';
import { motorcycleProduct } from '../domain/underwriting/products/motorcycle/product.ts';
import { readCsv } from '../engines/ml/csv.ts';
import { projectRoot } from '../platform/tools.ts';

const { values } = parseArgs({
  options: { data: { type: 'string', default: path.join(projectRoot, '..', 'shared', 'data', 'ohlsson-mc', 'train.csv') } },
});
const file = path.resolve(values.data);
if (!existsSync(file)) {
  console.log(`SKIPPED: no policyholders at ${file}. Pass --data CSV (ohlsson-mc columns).`);
  process.exit(0);
}
const tariff = JSON.parse(readFileSync(path.join(projectRoot, 'models', 'pricing-tariff.json'), 'utf8')) as TariffArtefact;
const rows = readCsv(file);

// What the data does not hold is fixed and said: vehicle value (a mid-range bike), licence years (since 18),
// and recent claims (the claims in the period observed stand in for claims in the last three years).
const outcomes: { gender: string; ageBand: string; outcome: UnderwritingOutcome; premiumMinor: number | null }[] = rows.map((r) => {
  const facts = wasaRiskFacts(r);
  const cell = ratingCell(facts);
  const premium = Math.round(riskPremium(tariff, cell).premium * 100);
  const decision = decideApplication(
    motorcycleProduct,
    {
      applicantAge: facts.ownerAgeYears,
      licenceYears: Math.max(0, facts.ownerAgeYears - 18),
      priorClaims: Number(r.antskad),
      vehicleValueMinor: 80_000_00,
      vehicleClass: facts.vehicleClass,
    },
    premium,
  );
  return {
    gender: r.kon === 'K' ? 'female' : 'male',
    ageBand: cell.ownerAge,
    outcome: decision.outcome,
    premiumMinor: decision.premiumMinor,
  };
});

const kinds: UnderwritingOutcome[] = ['ACCEPT', 'ACCEPT_RATED', 'REFER', 'PROPOSE_DECLINE'];
const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`.padStart(6);
function report(title: string, key: (o: (typeof outcomes)[number]) => string) {
  const groups = new Map<string, typeof outcomes>();
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
  const rate = (g: typeof outcomes) => g.filter((o) => o.outcome === 'ACCEPT' || o.outcome === 'ACCEPT_RATED').length / g.length;
  const best = Math.max(...[...groups.values()].map(rate));
  console.log(`\nBy ${title}:`);
  console.log(
    `  ${'group'.padEnd(10)} ${'n'.padStart(6)}  ${kinds.map((k) => k.padStart(17)).join('')}  ${'mean premium'.padStart(13)}  impact ratio`,
  );
  for (const [name, g] of [...groups.entries()].sort()) {
    const priced = g.filter((o) => o.premiumMinor !== null);
    const mean = priced.reduce((s, o) => s + o.premiumMinor!, 0) / Math.max(1, priced.length) / 100;
    const ratio = rate(g) / best;
    console.log(
      `  ${name.padEnd(10)} ${String(g.length).padStart(6)}  ${kinds.map((k) => pct(g.filter((o) => o.outcome === k).length, g.length).padStart(17)).join('')}  ${`SEK ${mean.toFixed(0)}`.padStart(13)}  ${ratio.toFixed(3)}${ratio < 0.8 ? '  below 0.80' : ''}`,
    );
  }
}

console.log(
  `Underwriting decisions (${motorcycleProduct.version}, ${tariff.version}) for ${outcomes.length} policyholders from ${path.basename(file)}`,
);
console.log(
  `Overall: ${kinds.map((k) => `${k} ${pct(outcomes.filter((o) => o.outcome === k).length, outcomes.length).trim()}`).join(', ')}`,
);
report('gender (not a rating factor)', (o) => o.gender);
report('owner age band (a rating factor and an eligibility rule)', (o) => o.ageBand);
console.log("\nImpact ratio: the group's rate of acceptance without a person, over the highest group's.");
