// Signed checkpoints (C2SP signed note, Ed25519) and a witness's rules: it cosigns a log's checkpoint only
// when the log signed it and proves it consistent with the last one the witness cosigned, so a log that
// shows two histories (a fork) cannot have both cosigned.
import { describe, expect, it } from 'vitest';
import { consistencyProof, leafHash, rootOf } from '../../platform/ledger/merkle.ts';
import {
  cosignatureLine,
  formatCheckpoint,
  newSeed,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  signNote,
  signerFromSeed,
  verifierKey,
} from '../../platform/ledger/note.ts';
import { createWitness, type WitnessedLog } from '../../platform/ledger/witness.ts';

const signer = (name: string) => signerFromSeed(name, new Uint8Array(Buffer.from(newSeed(), 'base64')));
const log = signer('insurer.test/decisions');
const leaves = Array.from({ length: 12 }, (_, i) => leafHash(Uint8Array.of(i)));
const checkpointOf = (size: number, tree = leaves) =>
  signNote(formatCheckpoint({ origin: log.name, size, root: rootOf(tree.slice(0, size)) }), log);
const b64 = (h: Uint8Array) => Buffer.from(h).toString('base64');
const request = (old: number, size: number, tree = leaves) =>
  `old ${old}\n${
    old > 0 && old < size
      ? consistencyProof(old, tree.slice(0, size))
          .map((h) => `${b64(h)}\n`)
          .join('')
      : ''
  }\n${checkpointOf(size, tree)}`;

function witnessFor(logs = [parseVerifierKey(verifierKey(log))]) {
  const seen = new Map<string, WitnessedLog>();
  const me = signer('regulator.test/witness');
  const witness = createWitness({
    signer: me,
    logs,
    state: { get: (o) => Promise.resolve(seen.get(o) ?? null), put: (o, s) => Promise.resolve(void seen.set(o, s)) },
  });
  return { witness, key: parseVerifierKey(verifierKey(me, 'witness')) };
}

describe('signed checkpoints', () => {
  it('round-trip as a C2SP note whose signature verifies only with the log key', () => {
    const note = checkpointOf(5);
    expect(note).toMatch(/^insurer\.test\/decisions\n5\n[A-Za-z0-9+/]{43}=\n\n\u2014 insurer\.test\/decisions [A-Za-z0-9+/=]+\n$/u);
    const opened = openNote(note, [parseVerifierKey(verifierKey(log))]);
    expect(opened.verifiedBy).toEqual([log.name]);
    expect(parseCheckpoint(opened.body)).toEqual({ origin: log.name, size: 5, root: rootOf(leaves.slice(0, 5)) });
    // Another key of the same name, or a changed body, verifies nothing.
    expect(openNote(note, [parseVerifierKey(verifierKey({ name: log.name, publicKey: signer(log.name).publicKey }))]).verifiedBy).toEqual(
      [],
    );
    expect(openNote(note.replace('\n5\n', '\n6\n'), [parseVerifierKey(verifierKey(log))]).verifiedBy).toEqual([]);
    expect(() => parseVerifierKey(verifierKey(log).replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(/hash does not match/);
    expect(() => signerFromSeed('x', new Uint8Array(32))).toThrow(/all zeros/);
  });

  it('carries a cosignature that verifies with the witness key and the time it was signed at', () => {
    const me = signer('regulator.test/witness');
    const note = checkpointOf(3);
    const body = note.slice(0, note.lastIndexOf('\n\n') + 1);
    const opened = openNote(note + cosignatureLine(body, me, 1_796_300_000), [
      parseVerifierKey(verifierKey(log)),
      parseVerifierKey(verifierKey(me, 'witness')),
    ]);
    expect(opened.cosignedBy).toEqual([{ name: me.name, time: 1_796_300_000 }]);
  });
});

describe('witness', () => {
  it('cosigns the first checkpoint, then each one proved consistent with the last', async () => {
    const { witness, key } = witnessFor();
    const first = await witness.addCheckpoint(request(0, 4));
    expect(first.status, first.body).toBe(200);
    expect(openNote(checkpointOf(4) + first.body, [key]).cosignedBy.map((c) => c.name)).toEqual(['regulator.test/witness']);
    expect((await witness.addCheckpoint(request(4, 9))).status).toBe(200);
    expect((await witness.addCheckpoint(request(9, 9))).status).toBe(200);
  });

  it('refuses a fork: a signed checkpoint whose history rewrote a leaf it already cosigned', async () => {
    const { witness } = witnessFor();
    expect((await witness.addCheckpoint(request(0, 6))).status).toBe(200);
    const forked = [...leaves.slice(0, 2), leafHash(Uint8Array.of(99)), ...leaves.slice(3)];
    const answer = await witness.addCheckpoint(request(6, 10, forked));
    expect(answer).toEqual({ status: 422, body: 'the log did not prove checkpoint 10 consistent with 6\n' });
    // And the honest history still goes on from where it was.
    expect((await witness.addCheckpoint(request(6, 10))).status).toBe(200);
  });

  it('answers 409 with its size when the log starts from another, 403 for unknown logs and bad signatures', async () => {
    const { witness } = witnessFor();
    expect((await witness.addCheckpoint(request(0, 5))).status).toBe(200);
    expect(await witness.addCheckpoint(request(3, 8))).toEqual({ status: 409, body: '5\n' });
    const stranger = signer('stranger.test/decisions');
    const strangers = `old 0\n\n${signNote(formatCheckpoint({ origin: stranger.name, size: 1, root: leaves[0]! }), stranger)}`;
    expect((await witness.addCheckpoint(strangers)).status).toBe(403);
    const unsigned = request(5, 8).replace(/\u2014 .*\n$/u, `\u2014 ${log.name} ${Buffer.alloc(68, 1).toString('base64')}\n`);
    expect(await witness.addCheckpoint(unsigned)).toEqual({ status: 403, body: 'the checkpoint is not signed by its log\n' });
    expect((await witness.addCheckpoint('nonsense')).status).toBe(400);
  });
});
