// The same schema, migrations and constraints on both engines: PGlite (embedded default) and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { claims, decisions, policies } from '../../db/schema.ts';
import { demoPolicies, seedDemoPolicies } from '../../db/seed.ts';
import { createScratchDatabase, reachable } from '../support/postgres.ts';

const today = '2026-11-25';

const engines = [
  { name: 'PGlite', available: true },
  { name: 'PostgreSQL', available: reachable },
] as const;

describe.each(engines)('$name', ({ name, available }) => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    if (!available) return;
    if (name === 'PGlite') {
      handle = await openDatabase({ memory: true });
    } else {
      const scratch = await createScratchDatabase();
      handle = await openDatabase({ url: scratch.url });
      dispose = scratch.drop;
    }
    await migrateDatabase(handle);
  });
  afterAll(async () => {
    if (!available) return;
    await handle.close();
    await dispose();
  });

  const test = it.skipIf(!available);

  test('applies migrations once; running them again changes nothing', async () => {
    await migrateDatabase(handle);
    // Both drivers answer raw SQL with { rows }; the generic drizzle type cannot say so.
    const result: unknown = await handle.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect((result as { rows: { table_name: string }[] }).rows.map((r) => r.table_name)).toEqual([
      'appeals',
      'applications',
      'blobs',
      'claim_journal',
      'claims',
      'decisions',
      'document_pages',
      'documents',
      'ledger_checkpoints',
      'ledger_cosignatures',
      'ledger_leaves',
      'notifications',
      'payments',
      'policies',
      'voice_sessions',
    ]);
  });

  test('seeds demo policies once', async () => {
    expect(await seedDemoPolicies(handle.db, today)).toBe(demoPolicies(today).length);
    expect(await seedDemoPolicies(handle.db, today)).toBe(0);
    const [ada] = await handle.db.select().from(policies).where(eq(policies.policyNumber, 'POL-1001'));
    expect(ada?.coverages.find((c) => c.peril === 'collision')).toEqual({
      peril: 'collision',
      limitMinor: 2_000_000,
      deductibleMinor: 50_000,
    });
    expect(ada!.effectiveFrom <= today && today <= ada!.effectiveTo).toBe(true);
    // A demo policy seeded before policies kept an account gets its account; nothing else changes.
    await handle.db.update(policies).set({ payoutIban: null }).where(eq(policies.policyNumber, 'POL-1001'));
    expect(await seedDemoPolicies(handle.db, today)).toBe(0);
    const [again] = await handle.db.select().from(policies).where(eq(policies.policyNumber, 'POL-1001'));
    expect(again).toEqual({ ...ada, payoutIban: 'DE89370400440532013000' });
  });

  const claim = (id: string, key: string | null) => ({
    id,
    policyNumber: 'POL-1001',
    claimantId: 'cust-1001',
    submittedBy: 'claimant:cust-1001',
    lineOfBusiness: 'motor' as const,
    peril: 'collision' as const,
    incidentDate: today,
    reportedOn: today,
    description: 'test',
    claimedMinor: 9_007_199_254_740_991, // largest safe integer survives the bigint round trip
    currency: 'EUR',
    status: 'RECEIVED' as const,
    workflowId: `claim-${id}`,
    idempotencyKey: key,
    requestDigest: 'd',
  });

  test('keeps one claim per submitter and Idempotency-Key', async () => {
    await handle.db.insert(claims).values(claim('CLM-A', 'key-1'));
    await handle.db.insert(claims).values(claim('CLM-B', null));
    await handle.db.insert(claims).values(claim('CLM-C', null));
    await expect(handle.db.insert(claims).values(claim('CLM-D', 'key-1'))).rejects.toThrow();
    const [row] = await handle.db.select().from(claims).where(eq(claims.id, 'CLM-A'));
    expect(row?.claimedMinor).toBe(9_007_199_254_740_991);
  });

  test('refuses claims on unknown policies and non-positive amounts', async () => {
    await expect(handle.db.insert(claims).values({ ...claim('CLM-E', null), policyNumber: 'POL-NOPE' })).rejects.toThrow();
    await expect(handle.db.insert(claims).values({ ...claim('CLM-F', null), claimedMinor: 0 })).rejects.toThrow();
  });

  test('keeps decisions append-only: no update, delete or truncate', async () => {
    await handle.db.insert(decisions).values({
      claimId: 'CLM-A',
      kind: 'CLAIM_ASSESSMENT',
      outcome: 'APPROVE',
      reasons: [{ code: 'COVERAGE_CONFIRMED', message: 'ok' }],
      inputs: { a: 1 },
      inputsDigest: 'x',
      ruleSetVersion: 'v1',
      decidedBy: 'automation',
      idempotencyKey: 'wf/run/1',
    });
    // drizzle wraps the driver's error; the trigger's own message is its cause.
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => 'allowed',
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
    expect(await refusal(handle.db.update(decisions).set({ outcome: 'REFER' }))).toMatch(/append-only: UPDATE/);
    expect(await refusal(handle.db.delete(decisions))).toMatch(/append-only: DELETE/);
    expect(await refusal(handle.db.execute(sql`truncate decisions`))).toMatch(/append-only: TRUNCATE/);
    const rows = await handle.db.select().from(decisions);
    expect(rows.map((r) => r.outcome)).toEqual(['APPROVE']);
  });
});

describe('PGlite data folder', () => {
  it('survives a reopen and refuses a second process-level opener', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'insureflow-pglite-'));
    const dataDir = path.join(dir, 'pglite');
    try {
      const first = await openDatabase({ dataDir });
      await migrateDatabase(first);
      await seedDemoPolicies(first.db, today);
      // The lock holder is this process; simulate another live process holding it.
      const { writeFileSync } = await import('node:fs');
      await first.close();
      writeFileSync(`${dataDir}.lock`, String(process.ppid));
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process/);
      rmSync(`${dataDir}.lock`);
      const second = await openDatabase({ dataDir });
      const rows = await second.db.select().from(policies);
      expect(rows).toHaveLength(demoPolicies(today).length);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'insureflow-pglite-'));
    const dataDir = path.join(dir, 'pglite');
    try {
      const { writeFileSync, mkdirSync } = await import('node:fs');
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dataDir}.lock`, '2147483646');
      const handle = await openDatabase({ dataDir });
      await handle.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
