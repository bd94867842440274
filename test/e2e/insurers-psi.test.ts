// Two insurers' engines (two ports, two databases, two Temporal servers) on loopback find the same claim
// filed at both, by private set intersection: the first is paid with nothing found (the second has no such
// claim yet); the second is flagged CLAIMED_WITH_ANOTHER_INSURER, naming the first and what was shared,
// and sent to a person. What crosses between them are blinded points only; a peer that cannot be reached is
// "not checked" in the decision and holds nothing up; an unknown asker is refused and a busy one slowed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisions } from '../../db/schema.ts';
import { identifiersOfClaims } from '../../db/shared-identifiers.ts';
import { createPsiClient } from '../../engines/insurers/psi-client.ts';
import { freePort } from '../../platform/net.ts';
import { blind, encodePoints, hashToPoint, newPsiKey } from '../../platform/psi/ecdh-psi.ts';
import { psiPath } from '../../platform/psi/protocol.ts';
import { projectRoot } from '../../platform/tools.ts';
import { api, claimBody, keys, startHarness, type Harness } from '../support/harness.ts';

const receipt = readFileSync(path.join(projectRoot, 'docs/examples/receipt-myr.png'));
const aKey = 'insurer-a-peer-key-0123456789';
const bKey = 'insurer-b-peer-key-9876543210';

let a: Harness;
let b: Harness;
let aUrl: string;
beforeAll(async () => {
  const [aPort, bPort, deadPort] = [await freePort(), await freePort(), await freePort()];
  aUrl = `http://127.0.0.1:${aPort}`;
  // A asks B; B asks A, and a third insurer that is not running.
  a = await startHarness({
    PORT: String(aPort),
    INSUREFLOW_PSI_PEERS: `insurer-b=http://127.0.0.1:${bPort}=${aKey}`,
    INSUREFLOW_PSI_PEER_KEYS: `insurer-b:${bKey}`,
  });
  b = await startHarness({
    PORT: String(bPort),
    INSUREFLOW_PSI_PEERS: `insurer-a=${aUrl}=${bKey},insurer-c=http://127.0.0.1:${deadPort}=${bKey}`,
    INSUREFLOW_PSI_PEER_KEYS: `insurer-a:${aKey}`,
    INSUREFLOW_PSI_RATE: '20',
  });
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

async function fileReceiptClaim(h: Harness) {
  const form = new FormData();
  form.append(
    'claim',
    JSON.stringify(claimBody({ policyNumber: 'POL-1003', peril: 'theft', claimedAmount: { amount: '58.00', currency: 'MYR' } })),
  );
  form.append('documents', new Blob([receipt], { type: 'image/png' }), 'receipt.png');
  const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form, headers: { prefer: 'wait=60' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; status: string };
}

const recorded = async (h: Harness, claimId: string) =>
  JSON.stringify(await h.system.database.db.select().from(decisions).where(eq(decisions.claimId, claimId)));

describe('duplicate claims between insurers', () => {
  it('flags at the second insurer the claim filed at the first, and refers it to a person', async () => {
    const first = await fileReceiptClaim(a);
    expect(['APPROVED', 'PAID']).toContain(first.status);
    expect(await recorded(a, first.id)).not.toContain('CLAIMED_WITH_ANOTHER_INSURER');

    const second = await fileReceiptClaim(b);
    expect(second.status).toBe('IN_REVIEW');
    const record = await recorded(b, second.id);
    expect(record).toContain('CLAIMED_WITH_ANOTHER_INSURER');
    expect(record).toContain('insurer-a holds a claim with the same document file and the same receipt (issuer, date and total)');
    // The insurer that is down is said, and weighed nothing.
    expect(record).toContain('OTHER_INSURER_NOT_CHECKED');
    expect(record).toContain('insurer-c could not be asked about this claim');
  });

  it('sends and answers nothing but blinded points', async () => {
    const claimId = (await fileReceiptClaim(a)).id;
    const identifiers = (await identifiersOfClaims(a.system.database.db, { claimId })).get(claimId)!.map((i) => i.value);
    expect(identifiers.some((v) => v.startsWith('document:'))).toBe(true);
    const asked = blind(newPsiKey(), identifiers.map(hashToPoint));
    const res = await fetch(`${aUrl}${psiPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bKey}` },
      body: JSON.stringify({ mode: 'matches', points: encodePoints(asked) }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const reply = JSON.parse(text) as { doubled: string; peer: string; setSize: number };
    expect(Object.keys(reply).sort()).toEqual(['doubled', 'peer', 'setSize']);
    // None of A's identifiers, their hashes or their points appear in what A sends.
    for (const value of identifiers) {
      expect(text).not.toContain(value.split(':')[1]!);
      expect(text).not.toContain(Buffer.from(hashToPoint(value)).toString('base64'));
    }
    expect(reply.setSize).toBeGreaterThanOrEqual(identifiers.length);
  });

  it('counts, for statistics, how many identifiers the other insurer also holds, without learning which', async () => {
    const claimId = (await fileReceiptClaim(a)).id;
    const identifiers = (await identifiersOfClaims(a.system.database.db, { claimId })).get(claimId)!.map((i) => i.value);
    const client = createPsiClient([{ name: 'insurer-b', url: `http://127.0.0.1:${b.config.port}`, key: aKey }]);
    // B holds the same receipt claim (the first test): its document and its receipt; not A's payout account.
    expect(await client.count([...identifiers, 'document:not-anyones'], 2)).toEqual([{ peer: 'insurer-b', checked: true, common: 2 }]);
  });

  it('refuses an unknown asker and one that asks too often, and bounds what may be asked', async () => {
    const ask = (key: string, points = encodePoints([hashToPoint('x')])) =>
      fetch(`http://127.0.0.1:${b.config.port}${psiPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ mode: 'cardinality', points }),
      });
    expect((await ask('not-a-peer-key-at-all')).status).toBe(401);
    expect((await ask(aKey, Buffer.alloc(33).toString('base64'))).status).toBe(422);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await ask(aKey)).status);
    expect(statuses).toContain(429);
  });
});
