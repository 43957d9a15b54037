import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/database-schema.ts';

/** The name migration 6 is listed with once applied. */
export const limitsMigrationApplied = '6: identity: limits and budgets on consumers and teams';

/** Takes a database back before migration 6: consumers and teams without limits or budget (tests of earlier migrations go back further). */
export async function undoLimitsMigration(db: Kysely<Database>): Promise<void> {
  for (const table of ['consumers', 'teams']) {
    await sql`alter table ${sql.table(table)} drop column limits`.execute(db);
    await sql`alter table ${sql.table(table)} drop column budget`.execute(db);
  }
  await db.deleteFrom('tollgate_schema').where('version', '>=', 6).execute();
}
