// The offline provider: reads a statement with the same rules that read documents (amounts and dates as
// printed) and a small vocabulary of perils; assesses an application from the rules engine's result and
// the material facts an applicant may disclose in their own words. No key, no network, deterministic.
import { findAmounts } from '../../domain/documents/amounts.ts';
import { findDates } from '../../domain/documents/dates.ts';
import type { Peril } from '../../domain/shared/perils.ts';
import type { StatementFields } from '../../domain/shared/statement.ts';
import { instructionSentences } from '../../domain/shared/statement.ts';
import type { UnderwritingAssessment } from '../../domain/underwriting/assessment.ts';
import type { AiProvider } from './provider.ts';

// Facts that change a motor risk and that applicants disclose in free text; each sends the case to a
// person, who can price it (the rules cannot). Negations ("no modifications") are not disclosures.
const materialFacts: [string, RegExp, string][] = [
  [
    'MODIFIED_VEHICLE',
    /\b(modifi(ed|cations?)|tuned|remapped|aftermarket (exhaust|turbo)|performance (parts|exhaust))\b/i,
    'The vehicle is modified.',
  ],
  ['TRACK_OR_RACING_USE', /\b(track ?days?|racing|race track|circuit|competition)\b/i, 'The vehicle is used on tracks or in competitions.'],
  [
    'COMMERCIAL_USE',
    /\b(deliver(y|ies)|courier|for hire|commercial use|food delivery|uber|taxi)\b/i,
    'The vehicle is used for business or hire.',
  ],
  [
    'CONVICTION',
    /\b(convict(ed|ion)|ban(ned)?|disqualified|drink[- ]driving|DUI|DWI|speeding (fine|ticket|offen[cs]e)|penalty points)\b/i,
    'The applicant has a motoring conviction or penalty.',
  ],
  [
    'SALVAGE_OR_RECOVERED',
    /\b(salvage|written[- ]off|write[- ]off|category [ABNS]\b|recovered (after|from) theft|stolen and recovered)\b/i,
    'The vehicle was written off, salvaged or recovered after theft.',
  ],
  ['UNSECURED_PARKING', /\b(parked on the street|no (garage|lock)|unlocked)\b/i, 'The vehicle is kept without security.'],
];
const negated = /\b(no|not|never|without|none)\b[^.!?]{0,25}$/i;

function disclosures(text: string): { code: string; message: string }[] {
  const found: { code: string; message: string }[] = [];
  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    for (const [code, re, message] of materialFacts) {
      const m = re.exec(sentence);
      if (m && !negated.test(sentence.slice(0, m.index)) && !found.some((f) => f.code === code))
        found.push({ code, message: `${message} ("${sentence.trim().slice(0, 160)}")` });
    }
  }
  return found;
}

/**
 * Words in a statement that name each peril, tried in this order (a burglary is not read as theft, a
 * windscreen chip not as a collision). A `Record` over every peril: a new one needs its words to compile.
 */
const perilWords: Readonly<Record<Peril, RegExp>> = {
  third_party_liability:
    /\b(third[- ]party|(damaged|hit) (someone else's|another driver's|the other driver's) (car|vehicle)|the other driver (is|was) claiming)/i,
  liability: /\b(liab(le|ility)|(slipped|tripped|fell) (on|in) (my|our)|(visitor|guest|neighbou?r) (was|got) (hurt|injured)|sued|suing)/i,
  collision: /\b(collid|crash|rear-?ended|hit (a|another|the) (car|vehicle)|accident)/i,
  glass: /\b(windscreen|windshield|glass)\b/i,
  burglary: /\b(burglar|break-?in|broke in)/i,
  theft: /\b(stolen|theft|stole)\b/i,
  water_damage: /\b(leak|flood|burst pipe|water damage)/i,
  fire: /\b(fire|burn(ed|t)?)\b/i,
  storm: /\b(storm|hail|gale|wind)\b/i,
  vandalism: /\b(vandal|keyed|graffiti)/i,
  accidental_damage: /\b(accidental(ly)?|dropped|spilt|spilled|knocked (it )?over)\b/i,
};

export function createOfflineProvider(options: { dateOrder?: 'DMY' | 'MDY' } = {}): AiProvider {
  return {
    name: 'offline',
    model: 'rules@1',
    readStatement(statement) {
      const policy = /\b([A-Z]{2,4})[\s-]?(\d{3,8})\b/.exec(statement.toUpperCase());
      // A sum of money is printed with a currency or with cents; a bare number may be a year or a count.
      const amount = findAmounts(statement)
        .filter((a) => a.marked || a.hasDecimals)
        .sort((a, b) => b.cents - a.cents)[0];
      const date = findDates(statement, options.dateOrder ?? 'DMY')[0];
      const fields: StatementFields = {
        policyNumber: policy ? `${policy[1]}-${policy[2]}` : null,
        incidentDate: date?.iso ?? null,
        peril: (Object.keys(perilWords) as Peril[]).find((peril) => perilWords[peril].test(statement)) ?? null,
        amount: amount ? { amount: (amount.cents / 100).toFixed(2), currency: amount.currency } : null,
        summary: statement.replace(/\s+/g, ' ').trim().slice(0, 300),
      };
      return Promise.resolve({ value: fields, provider: 'offline', model: 'rules@1' });
    },
    assessApplication(brief) {
      // Sentences addressed to the reader are not disclosures of anything; they are set aside first.
      const own = [brief.declarations ?? '', brief.interview ?? '', ...brief.documents.map((d) => d.text)].join('\n');
      const data = instructionSentences(own).reduce((text, s) => text.replace(s, ' '), own);
      const concerns = disclosures(data);
      const value: UnderwritingAssessment =
        concerns.length > 0
          ? {
              recommendation: 'REFER',
              premiumAdjustmentPercent: 0,
              rationale: `The applicant disclosed ${concerns.length === 1 ? 'a material fact' : 'material facts'} the tariff does not price.`,
              concerns,
            }
          : {
              recommendation:
                brief.engine.outcome === 'ACCEPT_RATED' ? 'ACCEPT_RATED' : brief.engine.outcome === 'ACCEPT' ? 'ACCEPT' : 'REFER',
              premiumAdjustmentPercent: 0,
              rationale: `No material facts disclosed in the declarations or ${brief.documents.length} document(s); the rules and the tariff stand.`,
              concerns: [],
            };
      return Promise.resolve({ value, provider: 'offline', model: 'rules@1' });
    },
  };
}
