// Every entry point refuses an unsafe production start with one clear line and exit code 1, before it
// opens a database or starts anything: no stack trace, and never a local Temporal dev server.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/tools.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'insureflow-refusals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const safe = {
  NODE_ENV: 'production',
  INSUREFLOW_API_KEYS: `admin:ops:${randomBytes(18).toString('hex')}`,
  INSUREFLOW_PAYLOAD_KEYS: `prod-1:${randomBytes(32).toString('base64')}`,
  INSUREFLOW_LEDGER_KEY: randomBytes(32).toString('base64'),
  INSUREFLOW_PAYMENT_GATEWAY_URL: 'https://payments.example.com',
  INSUREFLOW_PAYMENT_GATEWAY_KEY: 'live-gateway-key',
  DATABASE_URL: 'postgres://insureflow@127.0.0.1:9/insureflow',
  INSUREFLOW_DATA_DIR: scratch,
};

/** Runs an entry point with only these settings (no TEMPORAL_* from the machine, no profile file). */
function start(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(projectRoot, entry)],
      { cwd: projectRoot, env: { PATH: process.env.PATH, HOME: scratch, ...env }, timeout: 30_000 },
      (error, _stdout, stderr) => resolve({ code: child.exitCode ?? (error ? 1 : 0), stderr }),
    );
  });
}

const oneLine = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('insureflow could not start:'));

describe('production refuses to start unsafely', () => {
  it.each(['api/main.ts', 'worker/main.ts', 'scripts/start.ts'])('%s: public keys, demo data, the embedded database', async (entry) => {
    const { DATABASE_URL: _embedded, ...withoutDatabase } = safe;
    const { code, stderr } = await start(entry, {
      ...withoutDatabase,
      INSUREFLOW_API_KEYS: 'admin:admin:dev-admin-key',
      INSUREFLOW_SEED_DEMO: 'true',
      INSUREFLOW_PAYLOAD_KEYS: `zero:${Buffer.alloc(32).toString('base64')}`,
      INSUREFLOW_LEDGER_KEY: Buffer.alloc(32).toString('base64'),
    });
    expect(code).toBe(1);
    const [line] = oneLine(stderr);
    expect(line).toMatch(
      /public development key.*'zero' is not random.*LEDGER_KEY must be 32 random bytes.*never seeds demo policies.*DATABASE_URL must be set/,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it.each(['api/main.ts', 'worker/main.ts', 'scripts/start.ts'])('%s: no Temporal server named, so no dev server either', async (entry) => {
    const { code, stderr } = await start(entry, safe);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toEqual([expect.stringContaining('TEMPORAL_ADDRESS (or a Temporal profile) must name the Temporal server')]);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
