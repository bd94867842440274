// The appeal's resources and requests as the API documents them.
import { z } from 'zod';
import { maxAppealReasonsLength } from '../../domain/claims/appeal.ts';
import { named } from '../openapi.ts';
import { Money } from './schemas.ts';

export const Appeal = named(
  'Appeal',
  z.object({
    id: z.string(),
    claimId: z.string(),
    status: z.enum(['OPEN', 'UPHELD', 'OVERTURNED']),
    queue: z.string().nullable().describe('While open: adjusters, then senior-adjusters once the service level passes'),
    reasons: z.string().describe("The claimant's reasons"),
    lodgedAt: z.string(),
    assignee: z.string().nullable().describe('The adjuster reviewing it (never the one who decided the claim)'),
    originalDecidedBy: z.string().describe("'automation' or 'user:<id>'"),
    decidedBy: z.string().nullable(),
    decisionNote: z.string().nullable(),
    paid: Money.nullable().describe('Paid because of the appeal'),
    letterUrl: z.string().nullable(),
    decidedAt: z.string().nullable(),
  }),
);

export const NewAppeal = named(
  'NewAppeal',
  z.object({ reasons: z.string().trim().min(10, 'say what you disagree with and why').max(maxAppealReasonsLength) }).strict(),
);

export const AppealDecisionBody = named(
  'AppealDecision',
  z.discriminatedUnion('action', [
    z.object({ action: z.literal('uphold'), note: z.string().trim().min(1).max(2_000) }).strict(),
    z
      .object({
        action: z.literal('overturn'),
        amount: z
          .object({ amount: z.union([z.string(), z.number()]), currency: z.string() })
          .strict()
          .describe('To pay on top of what was paid'),
        note: z.string().trim().min(1).max(2_000),
      })
      .strict(),
  ]),
  "The appeal reviewer's decision; the note is the reason the claimant reads.",
);

export const AppealList = named('AppealList', z.object({ items: z.array(Appeal) }));
export const AppealListQuery = z.object({
  status: z.enum(['OPEN', 'UPHELD', 'OVERTURNED']).default('OPEN'),
  assignedTo: z
    .string()
    .regex(/^[\w.@:-]{1,200}$/, 'must be a user id or "me"')
    .optional()
    .describe('"me" or a user id'),
});
