// What a claimant's free statement (a call transcript, an email) says about a claim, and the guard that
// keeps a reader of it, human or model, honest: every value must be found in the statement itself.
// Statements are data, never instructions; a value the statement does not contain is dropped and said so.
import { z } from 'zod';
import { findAmounts } from '../documents/amounts.ts';
import { findDates } from '../documents/dates.ts';
import { allPerils } from './perils.ts';

export const StatementFields = z
  .object({
    policyNumber: z.string().nullable().describe('The policy number as written, e.g. POL-1001; null if not stated'),
    incidentDate: z.string().nullable().describe('The date of the loss as YYYY-MM-DD; null if not stated'),
    peril: z
      .enum(allPerils as [string, ...string[]])
      .nullable()
      .describe('What caused the loss; null if unclear'),
    amount: z
      .object({ amount: z.string(), currency: z.string().nullable() })
      .nullable()
      .describe('The amount claimed as written, e.g. "1250.00"; null if not stated'),
    summary: z.string().max(500).describe('One or two sentences: what happened, in neutral words'),
  })
  .strict();
export type StatementFields = z.infer<typeof StatementFields>;

export interface GroundedFields {
  readonly fields: StatementFields;
  /** Values dropped because the statement does not contain them, with why. */
  readonly dropped: readonly { readonly field: keyof StatementFields; readonly reason: string }[];
  /** Sentences that address the reader instead of describing the loss: ignored, and a person should see them. */
  readonly instructions: readonly string[];
}

// Sentences that try to instruct whoever reads the statement (prompt injection, or social engineering of
// a human reader): orders about rules, approval, payment, roles or the system.
const instructionPatterns = [
  /\b(ignore|disregard|forget|override)\b.{0,40}\b(rules?|instructions?|previous|above|policy|prompt)\b/i,
  /^\s*(system|assistant|developer)\s*:/i,
  /\b(you are now|act as|pretend to be)\b/i,
  /\b(approve|pay out|pay me|authori[sz]e)\b.{0,40}\b(claim|amount|payment|immediately|now)\b/i,
  /\b(set|change|make)\b.{0,20}\b(the )?(amount|policy|status|decision)\b.{0,10}\b(to|as)\b/i,
];

export function instructionSentences(statement: string): string[] {
  return statement
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && instructionPatterns.some((re) => re.test(s)));
}

const compact = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * Keeps only what the statement supports: the policy number must appear in it, the amount must be one of
 * the amounts it prints, the date one of its dates. A model told by the statement to "approve 1,000,000"
 * can put that number in its reply; it cannot make it stick.
 */
export function groundInStatement(statement: string, proposed: StatementFields, dateOrder: 'DMY' | 'MDY' = 'DMY'): GroundedFields {
  const instructions = instructionSentences(statement);
  // Values count only where the claimant describes the loss, not inside an instruction to the reader.
  let described = statement;
  for (const sentence of instructions) described = described.replace(sentence, ' ');
  statement = described;
  const dropped: { field: keyof StatementFields; reason: string }[] = [];
  const fields = { ...proposed };
  if (fields.policyNumber !== null && !compact(statement).includes(compact(fields.policyNumber))) {
    dropped.push({ field: 'policyNumber', reason: `'${fields.policyNumber}' is not in the statement` });
    fields.policyNumber = null;
  }
  if (fields.amount !== null) {
    const cents = Math.round(Number(fields.amount.amount.replace(/[^0-9.]/g, '')) * 100);
    if (!Number.isFinite(cents) || !findAmounts(statement).some((a) => a.cents === cents)) {
      dropped.push({ field: 'amount', reason: `${fields.amount.amount} is not an amount the statement gives` });
      fields.amount = null;
    }
  }
  if (fields.incidentDate !== null && !findDates(statement, dateOrder).some((d) => d.iso === fields.incidentDate)) {
    dropped.push({ field: 'incidentDate', reason: `${fields.incidentDate} is not a date the statement gives` });
    fields.incidentDate = null;
  }
  return { fields, dropped, instructions };
}
