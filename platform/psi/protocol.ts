// The private set intersection exchange between insurers' engines, as both sides read it: the asker's
// blinded points, and the peer's answer (them blinded again, in order, and its own set blinded, shuffled).
import { z } from 'zod';

export const psiPath = '/peer/v1/psi';

export const requestSchema = z
  .object({
    mode: z.enum(['matches', 'cardinality']).describe('cardinality: the answers are shuffled, so only their number can be learnt'),
    points: z.string().describe('The asker’s blinded points, 32 bytes each, concatenated, base64'),
  })
  .strict();
export type PsiRequest = z.infer<typeof requestSchema>;

export const answerSchema = z.object({
  doubled: z.string().describe('The asker’s points blinded again by the peer, same order (shuffled in cardinality mode), base64'),
  peer: z.string().describe('The peer’s own identifiers blinded by it, shuffled, base64'),
  setSize: z.number().int().min(0),
});
