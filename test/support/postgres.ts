// A throwaway PostgreSQL database per test file on the server named by TEST_DATABASE_URL (default: the
// local server on 127.0.0.1:5432). Where no server answers, the PostgreSQL half of the suite is skipped
// with a message saying so.
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';

function withUser(raw: string): string {
  const url = new URL(raw);
  // libpq would use the login name; pg looks only at $USER, which service environments often lack.
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  return url.toString();
}

export const adminUrl = withUser(process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');

async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await postgresProblem();
export const reachable = problem === null;
if (!reachable) {
  console.warn(`SKIPPED: the PostgreSQL half needs a server at ${adminUrl} (set TEST_DATABASE_URL): ${problem}`);
}

export async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `insureflow_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
