// `npm run ledger:verify [-- --verifier-key KEY]`: checks the decision ledger of the embedded database (the
// data folder; stop `npm start` first, it holds the database) or of DATABASE_URL against its records and
// signed checkpoints (db/ledger-verify.ts). Exit 0 and the tree head when all is intact; 1 naming the first
// record or checkpoint that does not match. The key that checks the signatures is the log's verifier key
// (`--verifier-key`, as `GET /v1/ledger/checkpoint`'s origin prints it), or the one this data folder signs with.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { verifyLedger } from '../db/ledger-verify.ts';
import { loadConfig } from '../platform/config.ts';
import { parseVerifierKey, verifierKey } from '../platform/ledger/note.ts';
import { resolveLedgerSigner } from '../platform/ledger/signer.ts';
import { existsSync } from 'node:fs';

const { values } = parseArgs({ options: { 'verifier-key': { type: 'string' } } });

try {
  const config = loadConfig();
  const keyFile = path.join(config.dataDir, 'ledger-key');
  if (!values['verifier-key'] && !config.ledger.key && !existsSync(keyFile))
    throw new Error(`no ledger key: pass --verifier-key, set INSUREFLOW_LEDGER_KEY, or run where ${keyFile} is`);
  const verifier = parseVerifierKey(values['verifier-key'] ?? verifierKey(resolveLedgerSigner(config)));
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'pglite') });
  try {
    const verdict = await verifyLedger(database.db, verifier);
    if (verdict.intact) {
      console.log(
        `ledger intact: ${verdict.leaves} decision records, ${verdict.checkpoints} checkpoints` +
          (verdict.head ? `, signed head ${verdict.head.root} of size ${verdict.head.size} (${verifier.name})` : ''),
      );
    } else {
      console.error(`LEDGER BROKEN: ${verdict.problem}`);
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`ledger:verify: ${(error as Error).message}`);
  process.exitCode = 1;
}
