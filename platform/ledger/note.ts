// Checkpoints as the transparency-log ecosystem writes them (C2SP): a tlog-checkpoint body (origin, tree
// size, base64 root hash) in a signed note, signed with Ed25519; and a witness's cosignature
// (tlog-cosignature, cosignature/v1: the witness signs the time and the checkpoint body it verified). Any
// tool that speaks signed notes can check them with the verifier key this module prints.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** The origin (and key name) a ledger's checkpoints carry unless INSUREFLOW_LEDGER_ORIGIN names another. */
export const defaultLedgerOrigin = 'insureflow.local/decisions';

/** Ed25519 signature type bytes in key hashes: a log's signature, and a witness's cosignature. */
const algEd25519 = 0x01;
const algCosignature = 0x04;

export interface NoteSigner {
  /** The key name: by convention the log's or witness's origin, e.g. "insureflow.example/ledger". */
  readonly name: string;
  readonly privateKey: KeyObject;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
}

const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

const rawPublicKey = (key: KeyObject) => new Uint8Array((key.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32));

/** A signer from a 32-byte Ed25519 seed (base64 in configuration). */
export function signerFromSeed(name: string, seed: Uint8Array): NoteSigner {
  if (seed.length !== 32) throw new Error(`the Ed25519 key of ${name} must be 32 bytes (base64), not ${seed.length}`);
  if (seed.every((b) => b === 0)) throw new Error(`the Ed25519 key of ${name} is all zeros`);
  checkKeyName(name);
  const privateKey = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
  return { name, privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

/** A new random seed, base64: what a development data folder keeps. */
export function newSeed(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).subarray(-32).toString('base64');
}

function checkKeyName(name: string): void {
  if (!name || /[\s+]/u.test(name)) throw new Error(`"${name}" is not a signed-note key name (no spaces or +)`);
}

function keyHash(name: string, alg: number, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.of(0x0a, alg), publicKey]))
    .digest()
    .subarray(0, 4);
}

/** The verifier key others configure to check this signer: `<name>+<key hash hex>+<base64(alg || key)>`. */
export function verifierKey(signer: Pick<NoteSigner, 'name' | 'publicKey'>, alg: 'log' | 'witness' = 'log'): string {
  const type = alg === 'log' ? algEd25519 : algCosignature;
  return `${signer.name}+${keyHash(signer.name, type, signer.publicKey).toString('hex')}+${Buffer.concat([Buffer.of(type), signer.publicKey]).toString('base64')}`;
}

export interface Verifier {
  readonly name: string;
  readonly kind: 'log' | 'witness';
  readonly publicKey: Uint8Array;
  readonly hash: Buffer;
}

export function parseVerifierKey(text: string): Verifier {
  // The name holds no '+', the hash is hex; the base64 key may hold '+' itself.
  const [name, hashHex, ...keyParts] = text.trim().split('+');
  const key = keyParts.join('+');
  const raw = /^[A-Za-z0-9+/]+=*$/.test(key) ? Buffer.from(key, 'base64') : Buffer.alloc(0);
  if (!name || !hashHex || raw.length !== 33 || (raw[0] !== algEd25519 && raw[0] !== algCosignature))
    throw new Error(`"${text}" is not an Ed25519 verifier key (name+hash+base64 key)`);
  const publicKey = new Uint8Array(raw.subarray(1));
  const hash = keyHash(name, raw[0], publicKey);
  if (hash.toString('hex') !== hashHex) throw new Error(`verifier key ${name}: its hash does not match its key`);
  return { name, kind: raw[0] === algEd25519 ? 'log' : 'witness', publicKey, hash };
}

const publicKeyObject = (raw: Uint8Array) => createPublicKey({ key: Buffer.concat([spkiPrefix, raw]), format: 'der', type: 'spki' });

export function formatCheckpoint({ origin, size, root }: Checkpoint): string {
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
}

export function parseCheckpoint(body: string): Checkpoint {
  const [origin, size, root, ...rest] = body.split('\n');
  const bytes = root ? Buffer.from(root, 'base64') : Buffer.alloc(0);
  if (!origin || !size || !/^(0|[1-9]\d*)$/.test(size) || bytes.length !== 32 || rest.at(-1) !== '')
    throw new Error('not a checkpoint: origin, tree size and base64 root hash on their own lines');
  return { origin, size: Number(size), root: new Uint8Array(bytes) };
}

/** A signed note: the body, a blank line, and one "— name base64(keyhash || signature)" line per signer. */
export function signNote(body: string, signer: NoteSigner): string {
  if (!body.endsWith('\n')) throw new Error('a note body ends with a newline');
  const signature = sign(null, Buffer.from(body, 'utf8'), signer.privateKey);
  const hash = keyHash(signer.name, algEd25519, signer.publicKey);
  return `${body}\n${signatureLine(signer.name, Buffer.concat([hash, signature]))}`;
}

const signatureLine = (name: string, bytes: Buffer) => `\u2014 ${name} ${bytes.toString('base64')}\n`;

export interface OpenedNote {
  readonly body: string;
  /** Names of the known keys whose signatures verified; unknown signers are ignored, as C2SP says. */
  readonly verifiedBy: readonly string[];
  /** Witness cosignatures that verified, with the time each witness signed at. */
  readonly cosignedBy: readonly { name: string; time: number }[];
}

/** Splits a signed note and checks every signature line by a key it knows; throws on a malformed note. */
export function openNote(note: string, verifiers: readonly Verifier[]): OpenedNote {
  const at = note.lastIndexOf('\n\n');
  if (at < 0) throw new Error('not a signed note: no blank line before the signatures');
  const body = note.slice(0, at + 1);
  const lines = note.slice(at + 2).split('\n');
  if (lines.pop() !== '') throw new Error('not a signed note: it must end with a newline');
  const verifiedBy: string[] = [];
  const cosignedBy: { name: string; time: number }[] = [];
  for (const line of lines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!match) throw new Error(`not a signature line: "${line}"`);
    const [, name, b64] = match;
    const bytes = Buffer.from(b64!, 'base64');
    const key = verifiers.find((v) => v.name === name && v.hash.equals(bytes.subarray(0, 4)));
    if (!key) continue;
    if (
      key.kind === 'log' &&
      bytes.length === 68 &&
      verify(null, Buffer.from(body, 'utf8'), publicKeyObject(key.publicKey), bytes.subarray(4))
    )
      verifiedBy.push(key.name);
    if (key.kind === 'witness' && bytes.length === 76) {
      const time = Number(bytes.readBigUInt64BE(4));
      if (verify(null, cosignedMessage(body, time), publicKeyObject(key.publicKey), bytes.subarray(12)))
        cosignedBy.push({ name: key.name, time });
    }
  }
  return { body, verifiedBy, cosignedBy };
}

const cosignedMessage = (body: string, time: number) => Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');

/**
 * A witness's cosignature line over a checkpoint body it has verified (C2SP tlog-cosignature): the witness
 * signs "cosignature/v1", the time in seconds, and the body; the line carries key hash, time and signature.
 */
export function cosignatureLine(body: string, witness: NoteSigner, time = Math.floor(Date.now() / 1000)): string {
  const timeBytes = Buffer.alloc(8);
  timeBytes.writeBigUInt64BE(BigInt(time));
  const signature = sign(null, cosignedMessage(body, time), witness.privateKey);
  return signatureLine(witness.name, Buffer.concat([keyHash(witness.name, algCosignature, witness.publicKey), timeBytes, signature]));
}
