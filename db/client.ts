// One drizzle schema over two engines: PGlite in-process (no server to install; real PostgreSQL
// semantics) by default, PostgreSQL through DATABASE_URL in production.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, safe to print (no credentials). */
  readonly location: string;
  ping(): Promise<void>;
  /** Runs `work` while holding a lock shared by every process using this database (migrations, seeding). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true };

// Arbitrary constant naming this application's advisory lock.
const exclusiveLockId = 7_233_001;

export const migrationsFolder = path.join(import.meta.dirname, 'migrations');

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if ('url' in target) return openPostgres(target.url);
  return openPglite('dataDir' in target ? target.dataDir : undefined);
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const parsed = new URL(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // libpq falls back to the login name; pg only to $USER, which service environments often lack.
    ...(parsed.username || process.env.PGUSER || process.env.USER ? {} : { user: userInfo().username }),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    location: `postgres://${parsed.host}${parsed.pathname}`,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    exclusive: async (work) => {
      // A session-level advisory lock on a dedicated connection: drizzle's migrator opens its own
      // transactions, so a transaction-scoped lock would be released by its COMMIT.
      const lockClient = await pool.connect();
      try {
        await lockClient.query('select pg_advisory_lock($1)', [exclusiveLockId]);
        try {
          return await work();
        } finally {
          await lockClient.query('select pg_advisory_unlock($1)', [exclusiveLockId]);
        }
      } finally {
        lockClient.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => undefined;
  try {
    const client = await PGlite.create(dataDir);
    const db = drizzle(client, { schema }) as unknown as Database;
    return {
      db,
      kind: 'pglite',
      location: dataDir ? `PGlite at ${dataDir}` : 'PGlite in memory',
      ping: async () => {
        await client.query('select 1');
      },
      // One process owns a PGlite folder (see lockDataDir), so there is no one to exclude.
      exclusive: (work) => work(),
      close: async () => {
        try {
          await client.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * PGlite is a single-process database: two processes opening one folder would corrupt it. A pid file
 * beside the folder refuses the second opener with a clear message, and a stale file from a crashed
 * process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const lockPath = `${path.resolve(dataDir)}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database at ${dataDir} is in use by process ${holder}. PGlite allows one process; ` +
            'run API and worker together (npm start) or set DATABASE_URL to use PostgreSQL.',
          { cause: error },
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
