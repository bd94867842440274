// Reading a claimant's free statement into claim fields with the configured AI provider, grounded in the
// statement (values it does not contain are dropped). The failure's class picks the retry: a rate limit
// or an outage is retried by the activity's policy; an unusable reply is not, and a person reads it.
import { groundInStatement, type GroundedFields } from '../../domain/shared/statement.ts';
import type { AiProvider } from '../../engines/ai/provider.ts';
import { toActivityFailure } from '../ai-failure.ts';

export interface ReadStatementResult extends GroundedFields {
  readonly provider: string;
  readonly model: string;
}

export function createStatementActivities({ provider, dateOrder = 'DMY' }: { provider: AiProvider; dateOrder?: 'DMY' | 'MDY' }) {
  return {
    async readClaimStatement({ statement }: { statement: string }): Promise<ReadStatementResult> {
      try {
        const proposal = await provider.readStatement(statement);
        return { ...groundInStatement(statement, proposal.value, dateOrder), provider: proposal.provider, model: proposal.model };
      } catch (error) {
        throw toActivityFailure(provider, error);
      }
    },
  };
}

export type StatementActivities = ReturnType<typeof createStatementActivities>;
