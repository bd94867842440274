// The one way a claim is opened (db/open-claim.ts), as the API's intake and a call's activity both use it:
// once per key even when two reports race, only on a policy the reporter holds, the amount in the
// currency's minor units (the policy's when the report names none), the date not ahead, and whatever the
// caller records beside it in the same transaction.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { openClaim, type ClaimReport } from '../../db/open-claim.ts';
import { claims } from '../../db/schema.ts';
import { seedDemoPolicies } from '../../db/seed.ts';
import { claimWorkflowId } from '../../workflows/claim/messages.ts';

const today = '2026-11-25';
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ memory: true });
  await migrateDatabase(handle);
  await seedDemoPolicies(handle.db, today);
});
afterAll(async () => {
  await handle?.close();
});

const report = (overrides: Partial<ClaimReport> = {}): ClaimReport => ({
  policyNumber: 'POL-1001',
  holder: 'cust-1001',
  submittedBy: 'claimant:cust-1001',
  idempotencyKey: null,
  requestDigest: 'd'.repeat(64),
  peril: 'collision',
  incidentDate: today,
  amount: '1250.50',
  currency: 'EUR',
  description: 'Rear-ended at a red light.',
  workflowIdOf: claimWorkflowId,
  ...overrides,
});

describe('opening a claim', () => {
  it('writes the claim with its facts checked, in minor units of the stated or the policy currency', async () => {
    const stated = await openClaim(handle.db, report(), today);
    expect(stated).toMatchObject({ ok: true, created: true, claim: { claimedMinor: 125050, currency: 'EUR', status: 'RECEIVED' } });
    // A caller says "four hundred": the policy's currency, never a guess from the number.
    const spoken = await openClaim(handle.db, report({ currency: undefined, amount: '400', descriptionHeard: false }), today);
    expect(spoken).toMatchObject({ ok: true, claim: { claimedMinor: 40000, currency: 'EUR', descriptionHeard: false } });
    if (!stated.ok) return;
    expect(stated.claim.workflowId).toBe(`claim-${stated.claim.id}`);
    expect(stated.claim.workflowStartedAt).toBeNull();
  });

  it('refuses what cannot be a claim, naming the problem, and writes nothing', async () => {
    const before = (await handle.db.select().from(claims)).length;
    expect(await openClaim(handle.db, report({ holder: 'cust-1002' }), today)).toMatchObject({ ok: false, code: 'POLICY_NOT_FOUND' });
    expect(await openClaim(handle.db, report({ policyNumber: 'POL-404' }), today)).toMatchObject({ ok: false, code: 'POLICY_NOT_FOUND' });
    expect(await openClaim(handle.db, report({ peril: 'meteor' }), today)).toMatchObject({ ok: false, code: 'UNKNOWN_PERIL' });
    expect(await openClaim(handle.db, report({ amount: '12.345' }), today)).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
    expect(await openClaim(handle.db, report({ currency: undefined, amount: '0' }), today)).toMatchObject({
      ok: false,
      code: 'INVALID_AMOUNT',
    });
    expect(await openClaim(handle.db, report({ incidentDate: '2026-12-25' }), today)).toMatchObject({
      ok: false,
      code: 'INCIDENT_DATE_IN_FUTURE',
    });
    expect((await handle.db.select().from(claims)).length).toBe(before);
  });

  it('opens one claim per key, even for two reports at once, and staff may report for a holder', async () => {
    const keyed = report({ idempotencyKey: 'voice:session-1', holder: null, submittedBy: 'voice:agent-7' });
    const [a, b] = await Promise.all([openClaim(handle.db, keyed, today), openClaim(handle.db, keyed, today)]);
    expect(a.ok && b.ok && a.claim.id === b.claim.id).toBe(true);
    expect([a, b].filter((r) => r.ok && r.created)).toHaveLength(1);
    expect(await handle.db.select().from(claims).where(eq(claims.idempotencyKey, 'voice:session-1'))).toHaveLength(1);
  });

  it('rolls the claim back when what is recorded beside it fails', async () => {
    const before = (await handle.db.select().from(claims)).length;
    await expect(
      openClaim(handle.db, report(), today, () => Promise.reject(new Error('the documents could not be recorded'))),
    ).rejects.toThrow('the documents could not be recorded');
    expect((await handle.db.select().from(claims)).length).toBe(before);
  });
});
