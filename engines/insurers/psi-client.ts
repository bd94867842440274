// Asking other insurers whether they hold a claim with the same identifiers, by private set intersection
// over HTTP (platform/psi/ecdh-psi.ts, api/peers.ts): each configured peer is sent this claim's
// identifiers blinded, and answers with them blinded again beside its own claims' identifiers blinded; only
// which of our own identifiers it also holds can be worked out, never anything of its claims. A peer that
// is down, slow or refuses is "not checked", with the reason; it never fails the caller.
import { answerSchema, psiPath, type PsiRequest } from '../../platform/psi/protocol.ts';
import { blind, decodePoints, encodePoints, hashToPoint, matchesOf, newPsiKey } from '../../platform/psi/ecdh-psi.ts';

export interface PsiPeer {
  readonly name: string;
  readonly url: string;
  /** The key this engine presents to that peer. */
  readonly key: string;
}

export type PeerAnswer =
  | { readonly peer: string; readonly checked: true; readonly matchedIndexes: readonly number[]; readonly peerSetSize: number }
  | { readonly peer: string; readonly checked: false; readonly why: string };

export interface PsiClient {
  /** Which of these identifiers each peer also holds (by index into them). */
  ask(identifiers: readonly string[]): Promise<PeerAnswer[]>;
  /** Statistics: only how many of these identifiers each peer also holds, in questions of `chunk`. */
  count(identifiers: readonly string[], chunk?: number): Promise<PeerCount[]>;
}

export type PeerCount =
  | { readonly peer: string; readonly checked: true; readonly common: number }
  | { readonly peer: string; readonly checked: false; readonly why: string };

export function parsePsiPeers(spec: string | undefined): PsiPeer[] {
  return (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, url, ...key] = entry.split('=');
      if (!name || !url || key.length === 0) throw new Error(`INSUREFLOW_PSI_PEERS: "${entry}" must be name=url=key`);
      return { name, url: url.replace(/\/$/, ''), key: key.join('=') };
    });
}

export function createPsiClient(peers: readonly PsiPeer[], { timeoutMs = 10_000 }: { timeoutMs?: number } = {}): PsiClient {
  async function askOne(peer: PsiPeer, identifiers: readonly string[], mode: PsiRequest['mode'] = 'matches'): Promise<PeerAnswer> {
    // A fresh secret for every exchange: nothing sent twice can be linked.
    const key = newPsiKey();
    const body: PsiRequest = { mode, points: encodePoints(blind(key, identifiers.map(hashToPoint))) };
    try {
      const res = await fetch(`${peer.url}${psiPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${peer.key}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok)
        return { peer: peer.name, checked: false, why: `it answered ${res.status}${res.status === 429 ? ', too many questions' : ''}` };
      const reply = answerSchema.parse(await res.json());
      const doubled = decodePoints(reply.doubled, identifiers.length);
      const theirs = decodePoints(reply.peer, reply.setSize);
      const { indexes } = matchesOf(key, { doubled, peer: theirs }, identifiers.length);
      return { peer: peer.name, checked: true, matchedIndexes: indexes, peerSetSize: reply.setSize };
    } catch (error) {
      const e = error as Error;
      return {
        peer: peer.name,
        checked: false,
        why: e.name === 'TimeoutError' ? 'it did not answer in time' : `it could not be reached (${e.message})`,
      };
    }
  }
  return {
    ask: (identifiers) => (identifiers.length === 0 ? Promise.resolve([]) : Promise.all(peers.map((p) => askOne(p, identifiers)))),
    count: (identifiers, chunk = 1_000) =>
      Promise.all(
        peers.map(async (p): Promise<PeerCount> => {
          let common = 0;
          for (let at = 0; at < identifiers.length; at += chunk) {
            const a = await askOne(p, identifiers.slice(at, at + chunk), 'cardinality');
            if (!a.checked) return a;
            common += a.matchedIndexes.length;
          }
          return { peer: p.name, checked: true, common };
        }),
      ),
  };
}
