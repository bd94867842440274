// The Merkle tree of Certificate Transparency (RFC 9162 section 2.1): leaf and interior hashes with their
// domain-separation prefixes, the tree head of any prefix of the log, inclusion proofs (a record is in the
// tree) and consistency proofs (a later tree only appended to an earlier one), and their verification as
// the RFC writes it. Hashes are SHA-256 (@noble/hashes, so the same code can verify in a browser). Tree
// sizes are plain numbers (exact up to 2^53): halving by division, never with 32-bit bit operators.
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';

export type Hash = Uint8Array;

const leafPrefix = Uint8Array.of(0x00);
const nodePrefix = Uint8Array.of(0x01);

/** MTH({d}) = SHA-256(0x00 || d). */
export const leafHash = (data: Uint8Array): Hash => sha256(concatBytes(leafPrefix, data));

/** An interior node: SHA-256(0x01 || left || right). */
export const nodeHash = (left: Hash, right: Hash): Hash => sha256(concatBytes(nodePrefix, left, right));

/** The root of the empty tree: SHA-256 of nothing. */
export const emptyRoot: Hash = sha256(new Uint8Array());

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** The tree head of these leaf hashes, in order (MTH of RFC 9162 2.1.1). */
export function rootOf(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return emptyRoot;
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** The audit path of leaf `index` in the tree of these leaves (PATH of RFC 9162 2.1.3.1), leaf to root. */
export function inclusionProof(index: number, leaves: readonly Hash[]): Hash[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length)
    throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...inclusionProof(index, leaves.slice(0, k)), rootOf(leaves.slice(k))]
    : [...inclusionProof(index - k, leaves.slice(k)), rootOf(leaves.slice(0, k))];
}

function subproof(m: number, leaves: readonly Hash[], complete: boolean): Hash[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [rootOf(leaves)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), rootOf(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), rootOf(leaves.slice(0, k))];
}

/** Proof that the tree of the first `size` leaves is a prefix of the tree of all of them (RFC 9162 2.1.4.1). */
export function consistencyProof(size: number, leaves: readonly Hash[]): Hash[] {
  if (!Number.isSafeInteger(size) || size < 0 || size > leaves.length)
    throw new RangeError(`a tree of ${size} is not a prefix of a tree of ${leaves.length}`);
  if (size === 0 || size === leaves.length) return [];
  return subproof(size, leaves, true);
}

export function equalHashes(a: Hash, b: Hash): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** RFC 9162 2.1.3.2: does `proof` put the leaf at `index` in the tree of `size` whose head is `root`? */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalHashes(r, root);
}

/**
 * RFC 9162 2.1.4.2: does `proof` show that the tree of `second` leaves (head `secondRoot`) extends the tree of
 * `first` leaves (head `firstRoot`)? Equal sizes need an empty proof and equal heads; any tree extends the
 * empty one.
 */
export function verifyConsistency(first: number, second: number, proof: readonly Hash[], firstRoot: Hash, secondRoot: Hash): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && equalHashes(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0 && equalHashes(firstRoot, emptyRoot);
  if (proof.length === 0) return false;
  // A first tree that is a complete subtree is a node of the second: its head starts the path.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalHashes(fr, firstRoot) && equalHashes(sr, secondRoot);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
