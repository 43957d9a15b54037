import { sql, type Transaction } from 'kysely';
import { configTeamPrefix } from '../identity/team-identity.ts';
import type { Database } from './database-schema.ts';
import { namesHeld } from './names-held.ts';

const tables = ['usage_records', 'usage_daily'] as const;

/**
 * Migration 5's backfill: gives the usage records written before it (which name their team only)
 * the team's id, from what the database knows of which team held which name when:
 *
 * 1. a record of a declared key (`config-key-…`): `config:<team>` (a declared key's team is the
 *    config's, whatever the store holds);
 * 2. a record whose team name a store team carried at the record's time (the audit log's creates,
 *    renames and deletes of teams; names-held.ts): that team, never a later team given the name.
 *    Daily roll-ups are matched by day, so on a day a name passed from one team to another, its
 *    roll-ups go to the one that carried it first;
 * 3. any other record with a team name: `config:<name>` (the anonymous plugin's, a JWT claim's
 *    without a store team of that name, a custom plugin's).
 *
 * A keyless record (jwt, anonymous) under a name a store team carried at the time cannot tell a
 * store team from a config one of the same name: it goes to the store team, as jwt resolves a team
 * claim now. Records without a team keep a null id.
 */
export async function backfillTeamIds(db: Transaction<Database>): Promise<void> {
  for (const table of tables) {
    await sql`update ${sql.table(table)} set team_id = ${sql.lit(configTeamPrefix)} || team
      where team_id is null and team is not null and key_id like ${sql.lit('config-key-%')}`.execute(db);
  }
  for (const held of await namesHeld(db, 'teams')) {
    let records = db.updateTable('usage_records').set({ team_id: held.id }).where('team_id', 'is', null).where('team', '=', held.name).where('at', '>=', held.from);
    if (held.to !== null) records = records.where('at', '<', held.to);
    await records.execute();
    let daily = db.updateTable('usage_daily').set({ team_id: held.id }).where('team_id', 'is', null).where('team', '=', held.name).where('day', '>=', held.from.slice(0, 10));
    if (held.to !== null) daily = daily.where('day', '<=', held.to.slice(0, 10));
    await daily.execute();
  }
  for (const table of tables) {
    await sql`update ${sql.table(table)} set team_id = ${sql.lit(configTeamPrefix)} || team
      where team_id is null and team is not null`.execute(db);
  }
}
