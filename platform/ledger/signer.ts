// Which key signs the decision ledger: INSUREFLOW_LEDGER_KEY when set (required in production); otherwise a
// key made for this data folder on first start and kept beside the database, like the payload keys, so a
// development system's checkpoints stay verifiable after a restart.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { newSeed, signerFromSeed, type NoteSigner } from './note.ts';

export function resolveLedgerSigner(config: Pick<Config, 'ledger' | 'dataDir'>): NoteSigner {
  let seed = config.ledger.key;
  if (!seed) {
    const file = path.join(config.dataDir, 'ledger-key');
    if (!existsSync(file)) {
      mkdirSync(config.dataDir, { recursive: true });
      writeFileSync(file, `${newSeed()}\n`, { mode: 0o600, flag: 'wx' });
    }
    seed = readFileSync(file, 'utf8').trim();
  }
  return signerFromSeed(config.ledger.origin, new Uint8Array(Buffer.from(seed, 'base64')));
}
