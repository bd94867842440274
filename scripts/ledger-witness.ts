// `npm run ledger:witness -- --log <verifier key> [--port 7380] [--state FILE] [--name NAME]`: a witness
// for other parties' decision ledgers (platform/ledger/witness.ts) as its own process: it serves
// POST /add-checkpoint, cosigns a checkpoint only when the log proves it consistent with the last one it
// cosigned, and keeps what it saw in a state file. Its key is made beside the state file on first start
// (INSUREFLOW_WITNESS_KEY, base64, overrides); its verifier key, which the log configures, is printed.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { newSeed, parseVerifierKey, signerFromSeed, verifierKey } from '../platform/ledger/note.ts';
import { createWitness, type WitnessedLog } from '../platform/ledger/witness.ts';

const { values } = parseArgs({
  options: {
    log: { type: 'string', multiple: true },
    port: { type: 'string', default: '7380' },
    host: { type: 'string', default: '127.0.0.1' },
    state: { type: 'string', default: path.join('.data', 'witness', 'state.json') },
    name: { type: 'string', default: 'witness.local/insureflow' },
  },
});

try {
  if (!values.log?.length) throw new Error('name the logs to witness: --log <verifier key> (GET /v1/ledger/checkpoint shows the origin)');
  const logs = values.log.map(parseVerifierKey);
  const stateFile = path.resolve(values.state);
  mkdirSync(path.dirname(stateFile), { recursive: true });
  const keyFile = `${stateFile}.key`;
  if (!process.env.INSUREFLOW_WITNESS_KEY && !existsSync(keyFile)) writeFileSync(keyFile, `${newSeed()}\n`, { mode: 0o600, flag: 'wx' });
  const seed = process.env.INSUREFLOW_WITNESS_KEY ?? readFileSync(keyFile, 'utf8').trim();
  const signer = signerFromSeed(values.name, new Uint8Array(Buffer.from(seed, 'base64')));
  const load = (): Record<string, WitnessedLog> =>
    existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, WitnessedLog>) : {};
  const witness = createWitness({
    signer,
    logs,
    state: {
      get: (origin) => Promise.resolve(load()[origin] ?? null),
      put: (origin, seen) => {
        // Written aside and renamed: a crash never leaves half a state, which would cosign a fork.
        writeFileSync(`${stateFile}.tmp`, JSON.stringify({ ...load(), [origin]: seen }, null, 2));
        renameSync(`${stateFile}.tmp`, stateFile);
        return Promise.resolve();
      },
    },
  });
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/add-checkpoint') return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1_000_000) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      witness.addCheckpoint(Buffer.concat(chunks).toString('utf8')).then(
        (answer) => {
          console.log(
            `${new Date().toISOString()} add-checkpoint: ${answer.status} ${answer.status === 200 ? 'cosigned' : answer.body.trim()}`,
          );
          res
            .writeHead(answer.status, { 'content-type': answer.status === 409 ? 'text/x.tlog.size' : 'text/plain; charset=utf-8' })
            .end(answer.body);
        },
        (error: unknown) => res.writeHead(500).end(`${(error as Error).message}\n`),
      );
    });
  });
  server.listen(Number(values.port), values.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : values.port;
    console.log(`witness ${signer.name} on http://${values.host}:${port}, following ${logs.map((l) => l.name).join(', ')}`);
    console.log(`verifier key: ${verifierKey(signer, 'witness')}`);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
} catch (error) {
  console.error(`ledger:witness: ${(error as Error).message}`);
  process.exitCode = 1;
}
