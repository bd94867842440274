// Private set intersection (ECDH-PSI): the asker learns exactly which of its items the peer holds (or, in
// cardinality mode, only how many); what crosses the wire are blinded points that neither match the items'
// hashes nor repeat between exchanges; a small-order point is refused.
import { describe, expect, it } from 'vitest';
import {
  answer,
  blind,
  decodePoints,
  encodePoints,
  hashToPoint,
  matchesOf,
  newPsiKey,
  preparePeerSet,
  PsiProtocolError,
} from '../../platform/psi/ecdh-psi.ts';

const peerItems = Array.from({ length: 200 }, (_, i) => `iban:DE${String(i).padStart(20, '0')}`);
const askerItems = ['iban:DE00000000000000000007', 'iban:NL00000000000000000001', 'iban:DE00000000000000000150', 'document:abc'];

describe('ECDH-PSI', () => {
  it('finds exactly the common items', () => {
    const [a, b] = [newPsiKey(), newPsiKey()];
    const asked = blind(a, askerItems.map(hashToPoint));
    const reply = answer(b, asked, preparePeerSet(b, peerItems), 'matches');
    expect(matchesOf(a, reply, askerItems.length)).toEqual({ indexes: [0, 2], count: 2 });
    expect(reply.peer).toHaveLength(peerItems.length);
  });

  it('tells only the count in cardinality mode', () => {
    const [a, b] = [newPsiKey(), newPsiKey()];
    const counts = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const reply = answer(b, blind(a, askerItems.map(hashToPoint)), preparePeerSet(b, peerItems), 'cardinality');
      const { count, indexes } = matchesOf(a, reply, askerItems.length);
      expect(count).toBe(2);
      counts.add(indexes.join(','));
    }
    // The positions are shuffled each time, so they say nothing about which items matched.
    expect(counts.size).toBeGreaterThan(1);
  });

  it('sends nothing a peer could compare with a hash of its own guesses, or with an earlier exchange', () => {
    const item = askerItems[0]!;
    const first = blind(newPsiKey(), [hashToPoint(item)])[0]!;
    const second = blind(newPsiKey(), [hashToPoint(item)])[0]!;
    expect(Buffer.from(first).equals(Buffer.from(hashToPoint(item)))).toBe(false);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
  });

  it('refuses small-order points and malformed or oversized lists', () => {
    expect(() => blind(newPsiKey(), [new Uint8Array(32)])).toThrow(PsiProtocolError);
    expect(() => decodePoints(Buffer.alloc(33).toString('base64'), 10)).toThrow(/32 bytes each/);
    expect(() => decodePoints(encodePoints(Array.from({ length: 11 }, () => hashToPoint('x'))), 10)).toThrow(/at most 10/);
    const a = newPsiKey();
    const reply = answer(newPsiKey(), blind(a, [hashToPoint('x')]), [], 'matches');
    expect(() => matchesOf(a, reply, 2)).toThrow(/answered 1 of 2/);
  });
});
