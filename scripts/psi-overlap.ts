// `npm run psi:overlap [-- --days 365]`: statistics between insurers without revealing a claim: how many of
// this engine's claim identifiers of the last days each configured peer (INSUREFLOW_PSI_PEERS) also holds,
// asked in cardinality mode (the peer shuffles its answers, so not even this engine learns which), in
// questions of at most INSUREFLOW_PSI_MAX_POINTS. Reads the embedded database (stop npm start) or DATABASE_URL.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { identifiersOfClaims } from '../db/shared-identifiers.ts';
import { createPsiClient, parsePsiPeers } from '../engines/insurers/psi-client.ts';
import { loadConfig } from '../platform/config.ts';

const { values } = parseArgs({ options: { days: { type: 'string', default: '365' } } });

try {
  const config = loadConfig();
  const peers = parsePsiPeers(config.psi.peers);
  if (peers.length === 0) throw new Error('no peers: set INSUREFLOW_PSI_PEERS=name=url=key,...');
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'pglite') });
  try {
    const since = new Date(Date.now() - Number(values.days) * 86_400_000);
    const identifiers = [...new Set([...(await identifiersOfClaims(database.db, { since })).values()].flat().map((i) => i.value))];
    for (const result of await createPsiClient(peers).count(identifiers, config.psi.maxPoints))
      console.log(
        result.checked
          ? `${result.peer}: ${result.common} of our ${identifiers.length} claim identifiers of the last ${values.days} days are also theirs`
          : `${result.peer}: not asked (${result.why})`,
      );
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`psi:overlap: ${(error as Error).message}`);
  process.exitCode = 1;
}
