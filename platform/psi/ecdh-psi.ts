// Private set intersection by commutative blinding (ECDH-PSI, semi-honest): each party raises the points
// its items hash to by a secret scalar; since a·(b·P) = b·(a·P), an item both hold gives the same doubly
// blinded point on both sides, and nothing else can be compared or undone.
//
//   asker (items X, key a)                          peer (items Y, key b)
//   a·H(x) for each x, in its order      ──────▶
//                                        ◀──────    b·(a·H(x)) in the same order, and b·H(y) shuffled
//   a·(b·H(y)); the x whose b·a·H(x) is among them are the matches
//
// The asker learns which of its own items the peer holds and how many items the peer has; the peer learns
// how many the asker sent. In cardinality mode the peer also shuffles the answers to the asker's points, so
// the asker learns only how many match. Points: items are hashed to edwards25519 by RFC 9380
// (edwards25519_XMD:SHA-512_ELL2_NU_, @noble/curves), taken to Curve25519's u-coordinate, and multiplied
// with node:crypto's native X25519 (ADR 0021); X25519's clamped scalars are multiples of the cofactor, so
// every product lies in the prime-order group.
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { ed25519, ed25519_hasher } from '@noble/curves/ed25519.js';

/** Domain separation: points of this protocol's version, never of another use of the same hash. */
const dst = 'insureflow-psi-v1-edwards25519_XMD:SHA-512_ELL2_NU_';
const pkcs8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const spki = Buffer.from('302a300506032b656e032100', 'hex');
const encoder = new TextEncoder();

export const pointBytes = 32;

/** A party's secret blinding scalar for one exchange (or one period: then its answers can be cached). */
export interface PsiKey {
  readonly secret: KeyObject;
}

export function newPsiKey(): PsiKey {
  return { secret: createPrivateKey({ key: Buffer.concat([pkcs8, randomBytes(32)]), format: 'der', type: 'pkcs8' }) };
}

/** H(item): the item's point (Montgomery u-coordinate, 32 bytes). */
export function hashToPoint(item: string): Uint8Array {
  const point = ed25519_hasher.encodeToCurve(encoder.encode(item), { DST: dst });
  return ed25519.utils.toMontgomery(point.toBytes());
}

/** k·P for each point; a point of small order (which no honest party sends) is refused. */
export function blind(key: PsiKey, points: readonly Uint8Array[]): Uint8Array[] {
  return points.map((u) => {
    if (u.length !== pointBytes) throw new PsiProtocolError(`a point is ${pointBytes} bytes, not ${u.length}`);
    try {
      const publicKey = createPublicKey({ key: Buffer.concat([spki, u]), format: 'der', type: 'spki' });
      return new Uint8Array(diffieHellman({ privateKey: key.secret, publicKey }));
    } catch {
      throw new PsiProtocolError('a point of small order was sent');
    }
  });
}

export class PsiProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PsiProtocolError';
  }
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The peer's own items hashed and blinded, shuffled: computed once per key and reused for every asker. */
export function preparePeerSet(key: PsiKey, items: readonly string[]): Uint8Array[] {
  return shuffled(blind(key, items.map(hashToPoint)));
}

export interface PsiAnswer {
  /** b·(a·H(x)), in the asker's order (shuffled in cardinality mode). */
  readonly doubled: readonly Uint8Array[];
  /** b·H(y) for the peer's items, shuffled. */
  readonly peer: readonly Uint8Array[];
}

/** The peer's side: answers an asker's blinded points with its key, beside its own prepared set. */
export function answer(
  key: PsiKey,
  asked: readonly Uint8Array[],
  prepared: readonly Uint8Array[],
  mode: 'matches' | 'cardinality',
): PsiAnswer {
  const doubled = blind(key, asked);
  return { doubled: mode === 'cardinality' ? shuffled(doubled) : doubled, peer: prepared };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The asker's last step: which of its items (by index) the peer holds, and how many match. */
export function matchesOf(key: PsiKey, reply: PsiAnswer, askedCount: number): { indexes: number[]; count: number } {
  if (reply.doubled.length !== askedCount) throw new PsiProtocolError(`the peer answered ${reply.doubled.length} of ${askedCount} points`);
  const theirs = new Set(blind(key, reply.peer).map(hex));
  const indexes = reply.doubled.flatMap((p, i) => (theirs.has(hex(p)) ? [i] : []));
  return { indexes, count: indexes.length };
}

/** Points on the wire: concatenated, base64. */
export const encodePoints = (points: readonly Uint8Array[]) => Buffer.concat(points.map((p) => Buffer.from(p))).toString('base64');

export function decodePoints(text: string, max: number): Uint8Array[] {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % pointBytes !== 0) throw new PsiProtocolError(`points are ${pointBytes} bytes each`);
  if (bytes.length / pointBytes > max) throw new PsiProtocolError(`at most ${max} points may be sent`);
  return Array.from({ length: bytes.length / pointBytes }, (_, i) => new Uint8Array(bytes.subarray(i * pointBytes, (i + 1) * pointBytes)));
}
