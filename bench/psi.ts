// `npm run bench:psi [-- --sizes 10000x10000,100000x1000]`: the private set intersection between two
// insurers (platform/psi/ecdh-psi.ts) timed and weighed as the HTTP exchange would carry it, for an asker's
// set against a peer's set of each size with a known overlap: seconds for each side's work (the peer's own
// set prepared once, which a peer caches for every asker under one key; then one query), bytes each way,
// and a check that exactly the common items were found. Figures only, no assertions on time.
import { parseArgs } from 'node:util';
import { answer, blind, decodePoints, encodePoints, hashToPoint, matchesOf, newPsiKey, preparePeerSet } from '../platform/psi/ecdh-psi.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000x10000,100000x1000' } } });

const seconds = (since: number) => (performance.now() - since) / 1000;
const kib = (text: string) => `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`;

console.log('ECDH-PSI (RFC 9380 hash to edwards25519, X25519 from node:crypto), one process playing both sides');
for (const spec of values.sizes.split(',')) {
  const [peerSize, askerSize] = spec.split('x').map(Number) as [number, number];
  const common = Math.min(37, askerSize, peerSize);
  // Identifiers as the engine matches them: the same document hash at both insurers for the common ones.
  const peerItems = Array.from({ length: peerSize }, (_, i) => `document:${i.toString(16).padStart(64, '0')}`);
  const askerItems = Array.from({ length: askerSize }, (_, i) =>
    i < common ? peerItems[(i * 7919) % peerSize]! : `document:f${i.toString(16).padStart(63, '0')}`,
  );
  const askerKey = newPsiKey();
  const peerKey = newPsiKey();

  let t = performance.now();
  const prepared = preparePeerSet(peerKey, peerItems);
  const peerPrepare = seconds(t);
  t = performance.now();
  const request = encodePoints(blind(askerKey, askerItems.map(hashToPoint)));
  const askerBlind = seconds(t);
  t = performance.now();
  const reply = answer(peerKey, decodePoints(request, askerSize), prepared, 'matches');
  const response = JSON.stringify({ doubled: encodePoints(reply.doubled), peer: encodePoints(reply.peer) });
  const peerAnswer = seconds(t);
  t = performance.now();
  const parsed = JSON.parse(response) as { doubled: string; peer: string };
  const { count } = matchesOf(
    askerKey,
    { doubled: decodePoints(parsed.doubled, askerSize), peer: decodePoints(parsed.peer, peerSize) },
    askerItems.length,
  );
  const askerMatch = seconds(t);
  const query = askerBlind + peerAnswer + askerMatch;
  console.log(
    `peer ${peerSize.toLocaleString('en')} x asker ${askerSize.toLocaleString('en')}: ` +
      `${count} of ${common} common found${count === common ? '' : ' (WRONG)'}; ` +
      `peer prepares its set ${peerPrepare.toFixed(1)} s (once per key); one query ${query.toFixed(1)} s ` +
      `(asker blinds ${askerBlind.toFixed(1)} s, peer answers ${peerAnswer.toFixed(1)} s, asker matches ${askerMatch.toFixed(1)} s); ` +
      `sent ${kib(request)}, received ${kib(response)}; cold total ${(peerPrepare + query).toFixed(1)} s`,
  );
}
