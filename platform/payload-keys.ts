// Which keys encrypt Temporal payloads: INSUREFLOW_PAYLOAD_KEYS when set (required in production);
// otherwise a key made for this data folder on first start and kept beside the database, so a
// development system can read its own history after a restart.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parsePayloadKeys, type PayloadKeyring } from './temporal/payload-codec.ts';
import type { Config } from './config.ts';

export function resolvePayloadKeys(config: Pick<Config, 'payloadKeys' | 'dataDir'>): PayloadKeyring {
  if (config.payloadKeys.spec) return parsePayloadKeys(config.payloadKeys.spec, config.payloadKeys.currentKeyId);
  const file = path.join(config.dataDir, 'payload-keys');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `local-1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parsePayloadKeys(readFileSync(file, 'utf8').trim());
}
