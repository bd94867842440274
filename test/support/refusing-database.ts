// A database that refuses some decisions for good, as a constraint an operator added would: triggers
// raise a check violation (SQLSTATE 23514) for a claim decision or an application decision whose text
// carries `refusalMarker`. Used by the record-refusal tests and by the history capture of those runs.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

export const refusalMarker = 'refuse me';

export async function refuseMarkedDecisions(db: Database): Promise<void> {
  // One function per table: PL/pgSQL resolves every field an expression names, whichever branch runs.
  for (const [table, column, event] of [
    ['decisions', 'reasons', 'insert'],
    ['applications', 'decisions', 'update'],
  ] as const) {
    await db.execute(
      sql.raw(`
        create or replace function refuse_marked_${table}() returns trigger language plpgsql as $$
        begin
          if new.${column}::text like '%${refusalMarker}%' then
            raise exception 'refused by a rule of this database' using errcode = 'check_violation';
          end if;
          return new;
        end $$`),
    );
    await db.execute(sql.raw(`drop trigger if exists refuse_marked on ${table}`));
    await db.execute(
      sql.raw(`create trigger refuse_marked before ${event} on ${table} for each row execute function refuse_marked_${table}()`),
    );
  }
}
