// What production refuses to start with, all in one place: keys anyone can read or guess, demo data, an
// embedded database, and (in the entry points) a Temporal dev server. Each problem is one sentence that
// names the setting and what to do; every entry point prints them as one line and exits.
import { createHash } from 'node:crypto';
import { parsePayloadKeys } from './temporal/payload-codec.ts';

/** The API keys the README documents for development: public, so never valid in production. */
export const developmentApiKeys =
  'admin:admin:dev-admin-key,adjuster:adj-1:dev-adjuster-key,adjuster:adj-2:dev-adjuster2-key,senior_adjuster:adj-9:dev-senior-key,underwriter:uw-1:dev-underwriter-key,senior_underwriter:uw-9:dev-senior-underwriter-key,claimant:cust-1001:dev-claimant-key,claimant:cust-1002:dev-claimant2-key';

/**
 * SHA-256 of payload keys published in this repository (the tests' and the committed histories' key): they
 * encrypt nothing anyone cannot read.
 */
const publicPayloadKeyDigests = new Set(['cba598648cc2adfb301153a82921c51ce64b57ba2c952ca5138754fa3b5b210f']);

const distinct = (values: Iterable<unknown>) => new Set(values).size;
const keyDigest = (key: Buffer) => createHash('sha256').update(key).digest('hex');

export interface ProductionSettings {
  readonly apiKeys: string | undefined;
  readonly payloadKeys: string | undefined;
  readonly payloadKeyId: string | undefined;
  readonly seedDemo: string | undefined;
  readonly databaseUrl: string | undefined;
  readonly ledgerKey: string | undefined;
}

/** Why these settings are unsafe in production; empty when they are not. */
export function productionProblems(s: ProductionSettings): string[] {
  const problems: string[] = [];
  if (!s.apiKeys) problems.push('INSUREFLOW_API_KEYS must be set in production; the development keys are public.');
  else {
    const development = new Set(developmentApiKeys.split(',').map((entry) => entry.split(':').slice(2).join(':')));
    for (const [index, entry] of s.apiKeys.split(',').entries()) {
      const key = entry.trim().split(':').slice(2).join(':');
      if (development.has(key))
        problems.push(`INSUREFLOW_API_KEYS entry ${index + 1} is a public development key; make a random one (openssl rand -hex 24).`);
      else if (key && distinct(key) < 10)
        problems.push(
          `INSUREFLOW_API_KEYS entry ${index + 1} is too easy to guess (${distinct(key)} different characters); make a random one.`,
        );
    }
  }
  if (!s.payloadKeys)
    problems.push('INSUREFLOW_PAYLOAD_KEYS must be set in production: Temporal payloads hold personal data and are encrypted with them.');
  else {
    try {
      for (const [id, key] of parsePayloadKeys(s.payloadKeys, s.payloadKeyId).keys) {
        if (publicPayloadKeyDigests.has(keyDigest(key)))
          problems.push(
            `INSUREFLOW_PAYLOAD_KEYS: key '${id}' is published in this repository; make a random one (openssl rand -base64 32).`,
          );
        // 32 random bytes have about 30 different values; a zeroed or patterned key has a handful.
        else if (distinct(key) < 16)
          problems.push(
            `INSUREFLOW_PAYLOAD_KEYS: key '${id}' is not random (${distinct(key)} different bytes of 32); use openssl rand -base64 32.`,
          );
      }
    } catch (error) {
      problems.push(`INSUREFLOW_PAYLOAD_KEYS: ${(error as Error).message}.`);
    }
  }
  if (!s.ledgerKey)
    problems.push('INSUREFLOW_LEDGER_KEY must be set in production: it signs the decision ledger (openssl rand -base64 32).');
  else if (Buffer.from(s.ledgerKey, 'base64').length !== 32 || distinct(Buffer.from(s.ledgerKey, 'base64')) < 16)
    problems.push('INSUREFLOW_LEDGER_KEY must be 32 random bytes, base64 (openssl rand -base64 32).');
  if (s.seedDemo === 'true') problems.push('INSUREFLOW_SEED_DEMO=true: production never seeds demo policies.');
  if (!s.databaseUrl)
    problems.push('DATABASE_URL must be set in production: the embedded database belongs to one process and is not backed up (ADR 0002).');
  return problems;
}
