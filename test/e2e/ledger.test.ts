// The decision ledger against the real system on PostgreSQL, with a witness as a second real process
// (`npm run ledger:witness`): decisions become leaves, their letters print the leaf, a claimant verifies
// their decision's inclusion proof and the checkpoint's signatures (the log's and the witness's), later
// checkpoints prove themselves consistent with earlier ones, and `npm run ledger:verify` passes on the
// intact database and names the record when one decision row is changed in SQL and another deleted.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../platform/ledger/merkle.ts';
import { openNote, parseCheckpoint, parseVerifierKey, signerFromSeed, verifierKey } from '../../platform/ledger/note.ts';
import { projectRoot } from '../../platform/tools.ts';
import { api, claimBody, keys, startHarness, until, type Harness } from '../support/harness.ts';
import { createScratchDatabase, reachable } from '../support/postgres.ts';
import { pdfText } from '../support/documents.ts';

const node = process.execPath;
const ledgerSeed = randomBytes(32).toString('base64');
const logKey = verifierKey(signerFromSeed('insurer-a.test/decisions', new Uint8Array(Buffer.from(ledgerSeed, 'base64'))));

let h: Harness;
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let witness: ChildProcess;
let witnessKey: string;
let scratch: string;

beforeAll(async () => {
  if (!reachable) return;
  scratch = mkdtempSync(path.join(tmpdir(), 'insureflow-witness-'));
  witness = spawn(
    node,
    [
      'scripts/ledger-witness.ts',
      '--log',
      logKey,
      '--port',
      '0',
      '--state',
      path.join(scratch, 'state.json'),
      '--name',
      'regulator.test/witness',
    ],
    {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: witness.stdout! });
  let url = '';
  for await (const line of lines) {
    const at = /on (http:\/\/\S+),/.exec(line);
    if (at) url = at[1]!;
    if (line.startsWith('verifier key: ')) {
      witnessKey = line.slice('verifier key: '.length);
      break;
    }
  }
  if (!url || !witnessKey) throw new Error('the witness process did not start (its output is above)');
  database = await createScratchDatabase();
  h = await startHarness({
    DATABASE_URL: database.url,
    INSUREFLOW_LEDGER_KEY: ledgerSeed,
    INSUREFLOW_LEDGER_ORIGIN: 'insurer-a.test/decisions',
    INSUREFLOW_LEDGER_CHECKPOINT: '300ms',
    INSUREFLOW_LEDGER_WITNESSES: `${url}=${witnessKey}`,
  });
});
afterAll(async () => {
  await h?.stop();
  await database?.drop();
  witness?.kill('SIGTERM');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/** A claim paid straight through, its letter written: the leaf index and hash the letter prints. */
async function paidClaimLeaf(): Promise<{ claimId: string; leafIndex: number; leafHash: string }> {
  const created = await api(h, 'POST', '/v1/claims', { key: keys.claimant, json: claimBody({}), headers: { prefer: 'wait=30' } });
  expect(['APPROVED', 'PAID'], JSON.stringify(created.body)).toContain(created.body.status);
  const claimId = created.body.id as string;
  await until(
    () => api(h, 'GET', `/v1/claims/${claimId}`, { key: keys.claimant }),
    (r) => r.body.letterUrl !== null && r.body.closedAt !== null,
    'the letter',
  );
  const letter = await fetch(`${h.apiUrl}/v1/claims/${claimId}/letter.pdf`, { headers: { authorization: `Bearer ${keys.claimant}` } });
  const text = await pdfText(new Uint8Array(await letter.arrayBuffer()));
  const record = /Decision record (\d+) in the decision ledger insurer-a\.test\/decisions/.exec(text);
  const hash = /Leaf hash \(SHA-256\): ([0-9a-f]{64})/.exec(text);
  expect(record && hash, text).toBeTruthy();
  return { claimId, leafIndex: Number(record![1]), leafHash: hash![1]! };
}

async function cosignedCheckpointCovering(leafIndex: number) {
  return (
    await until(
      () => api(h, 'GET', '/v1/ledger/checkpoint', { key: keys.claimant }),
      (r) => r.status === 200 && r.body.treeSize > leafIndex && r.body.cosignedBy.includes('regulator.test/witness'),
      'a cosigned checkpoint',
      30_000,
    )
  ).body as { treeSize: number; rootHash: string; note: string; logKey: string; cosignedBy: string[] };
}

describe.skipIf(!reachable)('decision ledger', () => {
  it("prints a decision's leaf on its letter; the claimant proves it is in a checkpoint the log signed and a witness cosigned", async () => {
    const { claimId, leafIndex, leafHash } = await paidClaimLeaf();
    const checkpoint = await cosignedCheckpointCovering(leafIndex);
    expect(checkpoint.logKey).toBe(logKey);
    const opened = openNote(checkpoint.note, [parseVerifierKey(logKey), parseVerifierKey(witnessKey)]);
    expect(opened.verifiedBy).toEqual(['insurer-a.test/decisions']);
    expect(opened.cosignedBy.map((c) => c.name)).toEqual(['regulator.test/witness']);
    const head = parseCheckpoint(opened.body);
    expect([head.origin, head.size, Buffer.from(head.root).toString('hex')]).toEqual([
      'insurer-a.test/decisions',
      checkpoint.treeSize,
      checkpoint.rootHash,
    ]);

    const proof = await api(h, 'GET', `/v1/ledger/leaves/${leafIndex}`, { key: keys.claimant });
    expect(proof.status, JSON.stringify(proof.body)).toBe(200);
    expect(proof.body).toMatchObject({ leafIndex, leafHash, record: { source: 'claim', claimId } });
    expect(
      verifyInclusion(leafIndex, proof.body.treeSize, unhex(leafHash), proof.body.proof.map(unhex), unhex(proof.body.checkpoint.rootHash)),
    ).toBe(true);
    // Another claimant cannot see it; staff can.
    expect((await api(h, 'GET', `/v1/ledger/leaves/${leafIndex}`, { key: keys.claimant2 })).status).toBe(404);
    expect((await api(h, 'GET', `/v1/ledger/leaves/${leafIndex}`, { key: keys.adjuster })).status).toBe(200);
  });

  it('proves each later checkpoint consistent with an earlier one, and the witness cosigns each', async () => {
    const first = await cosignedCheckpointCovering((await paidClaimLeaf()).leafIndex);
    const later = await cosignedCheckpointCovering((await paidClaimLeaf()).leafIndex);
    expect(later.treeSize).toBeGreaterThan(first.treeSize);
    const res = await api(h, 'GET', `/v1/ledger/consistency?from=${first.treeSize}&to=${later.treeSize}`, { key: keys.claimant });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(verifyConsistency(first.treeSize, later.treeSize, res.body.proof.map(unhex), unhex(first.rootHash), unhex(later.rootHash))).toBe(
      true,
    );
  });

  it('ledger:verify passes on the intact database and names a changed and a deleted decision', async () => {
    await paidClaimLeaf();
    await until(
      () => api(h, 'GET', '/v1/ledger/checkpoint', { key: keys.admin }),
      (r) => r.status === 200,
      'a checkpoint',
    );
    const verify = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(node, ['scripts/ledger-verify.ts'], {
          cwd: projectRoot,
          env: {
            PATH: process.env.PATH,
            DATABASE_URL: database.url,
            INSUREFLOW_LEDGER_KEY: ledgerSeed,
            INSUREFLOW_LEDGER_ORIGIN: 'insurer-a.test/decisions',
            INSUREFLOW_DATA_DIR: scratch,
          },
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    const intact = await verify();
    expect(intact, intact.out).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^ledger intact: \d+ decision records, \d+ checkpoints/),
    });

    // An administrator edits history, past the append-only trigger.
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ id: string; leaf_index: string; payable_minor: string | null }>(
        'select d.id, l.leaf_index, d.payable_minor from decisions d join ledger_leaves l on l.decision_id = d.id order by l.leaf_index limit 2',
      );
      const [changed, deleted] = rows;
      await sql.query('alter table decisions disable trigger decisions_append_only');
      await sql.query(`update decisions set payable_minor = coalesce(payable_minor, 0) + 100000 where id = $1`, [changed!.id]);
      const afterChange = await verify();
      expect(afterChange.code).toBe(1);
      expect(afterChange.out).toContain(`LEDGER BROKEN: leaf ${changed!.leaf_index} (decision ${changed!.id},`);
      expect(afterChange.out).toContain('it was changed after it was recorded');
      await sql.query('update decisions set payable_minor = $2 where id = $1', [changed!.id, changed!.payable_minor]);
      expect((await verify()).code).toBe(0);

      await sql.query('delete from decisions where id = $1', [deleted!.id]);
      const afterDelete = await verify();
      expect(afterDelete.code).toBe(1);
      expect(afterDelete.out).toContain(
        `LEDGER BROKEN: leaf ${deleted!.leaf_index} (decision ${deleted!.id}): the decision record was deleted`,
      );
    } finally {
      await sql.query('alter table decisions enable trigger decisions_append_only').catch(() => undefined);
      await sql.end();
    }
  });
});
