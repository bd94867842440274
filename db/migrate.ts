import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrationsFolder, type DatabaseHandle } from './client.ts';

/** Applies the committed drizzle-kit migrations that have not run yet; safe when processes start together. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  await handle.exclusive(async () => {
    if (handle.kind === 'pglite') {
      await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    } else {
      await migratePostgres(handle.db as unknown as NodePgDatabase, { migrationsFolder });
    }
  });
}
