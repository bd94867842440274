// What an AI assessor is shown about an application and what it may answer. The brief carries the risk,
// never who the applicant is (no name, birth date, contact): the model needs the facts, not the person.
// The answer is a proposal; domain/underwriting/dispose.ts decides what of it stands.
import { z } from 'zod';
import type { Reason } from '../shared/decision.ts';
import type { UnderwritingOutcome } from './decide.ts';

export const UnderwritingAssessment = z
  .object({
    recommendation: z.enum(['ACCEPT', 'ACCEPT_RATED', 'REFER', 'DECLINE']).describe('What you recommend for this risk'),
    premiumAdjustmentPercent: z.number().describe('Loading on the engine premium in percent, e.g. 20 for +20%; 0 for none'),
    rationale: z.string().max(1500).describe('Why, in two or three sentences an underwriter can check'),
    concerns: z
      .array(z.object({ code: z.string().describe('SCREAMING_SNAKE_CASE'), message: z.string() }).strict())
      .max(10)
      .describe('Specific risk concerns found in the facts, declarations or documents'),
  })
  .strict();
export type UnderwritingAssessment = z.infer<typeof UnderwritingAssessment>;

export interface ApplicationBrief {
  readonly product: string;
  readonly currency: string;
  /** The product's risk facts (its brief()), never who the applicant is. */
  readonly risk: Readonly<Record<string, number | string | boolean>>;
  /** What the rules and the tariff concluded. */
  readonly engine: { readonly outcome: UnderwritingOutcome; readonly premium: number | null; readonly reasons: readonly Reason[] };
  /** The applicant's own words: data, never instructions. */
  readonly declarations: string | null;
  /** The transcript of their recorded interview, when there is one: data, never instructions. */
  readonly interview?: string | null;
  /** Text of the evidence documents, by kind: data, never instructions. */
  readonly documents: readonly { readonly kind: string; readonly text: string }[];
}
