// The offline provider: reads a statement with the same rules that read documents (amounts and dates as
// printed) and a small vocabulary of perils. No key, no network, deterministic.
import { findAmounts } from '../domain/documents/amounts.ts';
import { findDates } from '../domain/documents/dates.ts';
import type { Peril } from '../domain/perils.ts';
import type { StatementFields } from '../domain/statement.ts';
import type { AiProvider } from './provider.ts';

const perilWords: [Peril, RegExp][] = [
  ['collision', /\b(collid|crash|rear-?ended|hit (a|another|the) (car|vehicle)|accident)/i],
  ['glass', /\b(windscreen|windshield|glass)\b/i],
  ['burglary', /\b(burglar|break-?in|broke in)/i],
  ['theft', /\b(stolen|theft|stole)\b/i],
  ['water_damage', /\b(leak|flood|burst pipe|water damage)/i],
  ['fire', /\b(fire|burn(ed|t)?)\b/i],
  ['storm', /\b(storm|hail|gale|wind)\b/i],
  ['vandalism', /\b(vandal|keyed|graffiti)/i],
];

export function createOfflineProvider(options: { dateOrder?: 'DMY' | 'MDY' } = {}): AiProvider {
  return {
    name: 'offline',
    model: 'rules@1',
    readStatement(statement) {
      const policy = /\b([A-Z]{2,4})[\s-]?(\d{3,8})\b/.exec(statement.toUpperCase());
      // A sum of money is printed with a currency or with cents; a bare number may be a year or a count.
      const amount = findAmounts(statement)
        .filter((a) => a.currency !== null || a.hasDecimals)
        .sort((a, b) => b.cents - a.cents)[0];
      const date = findDates(statement, options.dateOrder ?? 'DMY')[0];
      const fields: StatementFields = {
        policyNumber: policy ? `${policy[1]}-${policy[2]}` : null,
        incidentDate: date?.iso ?? null,
        peril: perilWords.find(([, re]) => re.test(statement))?.[0] ?? null,
        amount: amount ? { amount: (amount.cents / 100).toFixed(2), currency: amount.currency } : null,
        summary: statement.replace(/\s+/g, ' ').trim().slice(0, 300),
      };
      return Promise.resolve({ value: fields, provider: 'offline', model: 'rules@1' });
    },
  };
}
