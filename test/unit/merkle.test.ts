// The ledger's Merkle tree against Certificate Transparency's published vectors (RFC 6962/9162: the roots of
// the trees of the first 0-8 reference leaves, inclusion and consistency proofs), then exhaustively for every
// leaf and every pair of sizes of small trees, and against tampering.
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../platform/ledger/merkle.ts';

const hex = (h: Uint8Array) => Buffer.from(h).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

const entries = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const leaves = entries.map(leafHash);
const roots = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// Leaf indexes from 0 (the reference tests number them from 1).
const inclusion = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const consistency = [
  { first: 1, second: 1, proof: [] as string[] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

describe('Merkle tree (RFC 9162)', () => {
  it('gives the published tree heads for sizes 0 to 8', () => {
    expect(hex(emptyRoot)).toBe(roots[0]);
    for (let n = 0; n <= 8; n++) expect(hex(rootOf(leaves.slice(0, n))), `size ${n}`).toBe(roots[n]);
  });

  it('gives and verifies the published inclusion proofs', () => {
    for (const { index, size, proof } of inclusion) {
      expect(inclusionProof(index, leaves.slice(0, size)).map(hex), `${index} in ${size}`).toEqual(proof);
      expect(verifyInclusion(index, size, leaves[index]!, proof.map(unhex), unhex(roots[size]!))).toBe(true);
      expect(verifyInclusion(index, size, leaves[index]!, proof.map(unhex), unhex(roots[size - 1]!))).toBe(false);
    }
  });

  it('gives and verifies the published consistency proofs', () => {
    for (const { first, second, proof } of consistency) {
      expect(consistencyProof(first, leaves.slice(0, second)).map(hex), `${first} to ${second}`).toEqual(proof);
      expect(verifyConsistency(first, second, proof.map(unhex), unhex(roots[first]!), unhex(roots[second]!))).toBe(true);
    }
  });

  // Every leaf of every tree up to 40, every pair of sizes up to 40: each proof verifies, and fails when the
  // leaf, the index, a proof step or a head is changed, or the index is outside the tree.
  const many = Array.from({ length: 40 }, (_, i) => leafHash(Uint8Array.of(i, (i * 7) % 256)));
  const heads = Array.from({ length: many.length + 1 }, (_, n) => rootOf(many.slice(0, n)));
  const flip = (h: Uint8Array) => Uint8Array.from(h, (b, i) => (i === 0 ? b ^ 1 : b));

  it('proves every leaf of every small tree, and nothing else', () => {
    for (let size = 1; size <= many.length; size++) {
      const tree = many.slice(0, size);
      for (let i = 0; i < size; i++) {
        const proof = inclusionProof(i, tree);
        expect(verifyInclusion(i, size, many[i]!, proof, heads[size]!), `${i} in ${size}`).toBe(true);
        expect(verifyInclusion(i, size, flip(many[i]!), proof, heads[size]!)).toBe(false);
        if (size > 1) expect(verifyInclusion((i + 1) % size, size, many[i]!, proof, heads[size]!)).toBe(false);
        // (A proof may hold for another size of the same shape: the signed checkpoint binds the head to its size.)
        expect(verifyInclusion(i, i, many[i]!, proof, heads[size]!)).toBe(false);
        for (let p = 0; p < proof.length; p++) {
          const bad = proof.map((h, j) => (j === p ? flip(h) : h));
          expect(verifyInclusion(i, size, many[i]!, bad, heads[size]!)).toBe(false);
        }
      }
    }
    expect(() => inclusionProof(3, many.slice(0, 3))).toThrow(RangeError);
  });

  it('proves every earlier tree a prefix of every later one, and refuses a forked history', () => {
    const forked = [...many.slice(0, 10), flip(many[10]!), ...many.slice(11)];
    for (let second = 1; second <= many.length; second++) {
      for (let first = 0; first <= second; first++) {
        const proof = consistencyProof(first, many.slice(0, second));
        expect(verifyConsistency(first, second, proof, heads[first]!, heads[second]!), `${first} to ${second}`).toBe(true);
        if (first > 0 && first < second) {
          expect(verifyConsistency(first, second, proof, flip(heads[first]!), heads[second]!)).toBe(false);
          expect(verifyConsistency(first, second, proof, heads[first]!, flip(heads[second]!))).toBe(false);
          // A log that changed leaf 10 after showing a tree that held it cannot prove itself consistent.
          if (first > 10) {
            const lie = consistencyProof(first, forked.slice(0, second));
            expect(verifyConsistency(first, second, lie, heads[first]!, rootOf(forked.slice(0, second)))).toBe(false);
          }
        }
      }
    }
  });
});
