// AI providers behind one interface: the offline default (rules, no key, nothing downloaded) and the
// OpenAI SDK (any OpenAI-compatible server through its base URL). Whatever a provider proposes is
// checked by the caller's rules (domain/shared/statement.ts grounds every value in the text it came from).
import type { StatementFields } from '../../domain/shared/statement.ts';
import type { ApplicationBrief, UnderwritingAssessment } from '../../domain/underwriting/assessment.ts';

export interface AiProposal<T> {
  readonly value: T;
  /** Which provider and model proposed it, for the decision record. */
  readonly provider: 'offline' | 'openai';
  readonly model: string;
}

export interface AiProvider {
  readonly name: 'offline' | 'openai';
  readonly model: string;
  /** Reads a claimant's free statement into claim fields. */
  readStatement(statement: string): Promise<AiProposal<StatementFields>>;
  /** Assesses an application's risk: a proposal that domain/underwriting/dispose.ts may only make more careful. */
  assessApplication(brief: ApplicationBrief): Promise<AiProposal<UnderwritingAssessment>>;
}

/**
 * A provider failure, classified for the activity's retry policy: rate limits, server errors and
 * timeouts are worth retrying; refusals, 4xx and replies that break the schema are not (a person takes
 * the case).
 */
export class AiFailure extends Error {
  readonly retryable: boolean;
  readonly kind: 'rate_limited' | 'server_error' | 'timeout' | 'connection' | 'rejected' | 'invalid_reply' | 'refused';
  constructor(kind: AiFailure['kind'], message: string) {
    super(message);
    this.name = 'AiFailure';
    this.kind = kind;
    this.retryable = kind === 'rate_limited' || kind === 'server_error' || kind === 'timeout' || kind === 'connection';
  }
}
