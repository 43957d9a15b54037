import { sql, type Transaction } from 'kysely';
import { configConsumerPrefix } from '../identity/consumer-identity.ts';
import type { Database } from './database-schema.ts';
import { namesHeld, parsedObject } from './names-held.ts';

/**
 * Migration 4's backfill: gives the usage records written before it (which name their consumer
 * only) the consumer's id, from what the database knows of who held which name when:
 *
 * 1. a record of a store key: that key's consumer (a key never changes consumer), from the key's
 *    row, or for a revoked key from the audit entry of its creation;
 * 2. a record of a declared key (`config-key-…`): `config:<consumer>`;
 * 3. a record without a key (jwt, anonymous, a custom plugin) whose consumer name a store consumer
 *    carried at the record's time (the audit log's creates, renames and deletes of consumers):
 *    that consumer; daily roll-ups are matched by day, so on a day a name passed from one consumer
 *    to another, its keyless roll-ups go to the one that carried it first;
 * 4. any other record with a consumer name: `config:<name>` (the anonymous plugin's, a custom
 *    plugin's, or jwt's without a store).
 *
 * A record of a key the database has no trace of keeps a null id: reports by name still show it,
 * consumer-scope usage and budgets (which read the id) do not count it.
 */
export async function backfillConsumerIds(db: Transaction<Database>): Promise<void> {
  const tables = ['usage_records', 'usage_daily'] as const;
  for (const table of tables) {
    await sql`update ${sql.table(table)} set consumer_id = (select virtual_keys.consumer_id from virtual_keys where virtual_keys.id = ${sql.ref(`${table}.key_id`)})
      where consumer_id is null and key_id in (select id from virtual_keys)`.execute(db);
  }
  await backfillRevokedKeys(db);
  for (const table of tables) {
    await sql`update ${sql.table(table)} set consumer_id = ${sql.lit(configConsumerPrefix)} || consumer
      where consumer_id is null and consumer is not null and key_id like ${sql.lit('config-key-%')}`.execute(db);
  }
  await backfillKeylessRecords(db);
  for (const table of tables) {
    await sql`update ${sql.table(table)} set consumer_id = ${sql.lit(configConsumerPrefix)} || consumer
      where consumer_id is null and consumer is not null and key_id is null`.execute(db);
  }
}

function chunks<T>(items: T[], size = 500): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Records of keys revoked since: the consumer their creation's audit entry names. */
async function backfillRevokedKeys(db: Transaction<Database>): Promise<void> {
  const orphans = new Set<string>();
  for (const table of ['usage_records', 'usage_daily'] as const) {
    const rows = await sql<{ key_id: string }>`select distinct key_id from ${sql.table(table)}
      where consumer_id is null and key_id is not null and key_id not like ${sql.lit('config-key-%')}`.execute(db);
    for (const row of rows.rows) orphans.add(row.key_id);
  }
  const keysByConsumer = new Map<string, string[]>();
  for (const ids of chunks([...orphans])) {
    const created = await db.selectFrom('audit_log').select(['resource_id', 'after']).where('resource', '=', 'keys').where('action', '=', 'create').where('resource_id', 'in', ids).execute();
    for (const row of created) {
      const consumer = parsedObject(row.after)?.consumer_id;
      if (typeof consumer !== 'string') continue;
      const keys = keysByConsumer.get(consumer) ?? [];
      keys.push(row.resource_id);
      keysByConsumer.set(consumer, keys);
    }
  }
  for (const [consumer, keys] of keysByConsumer) {
    for (const ids of chunks(keys)) {
      for (const table of ['usage_records', 'usage_daily'] as const) {
        await db.updateTable(table).set({ consumer_id: consumer }).where('consumer_id', 'is', null).where('key_id', 'in', ids).execute();
      }
    }
  }
}

/** Records without a key whose consumer name a store consumer carried at their time. */
async function backfillKeylessRecords(db: Transaction<Database>): Promise<void> {
  for (const held of await namesHeld(db, 'consumers')) {
    let records = db.updateTable('usage_records').set({ consumer_id: held.id }).where('consumer_id', 'is', null).where('key_id', 'is', null).where('consumer', '=', held.name).where('at', '>=', held.from);
    if (held.to !== null) records = records.where('at', '<', held.to);
    await records.execute();
    let daily = db.updateTable('usage_daily').set({ consumer_id: held.id }).where('consumer_id', 'is', null).where('key_id', 'is', null).where('consumer', '=', held.name).where('day', '>=', held.from.slice(0, 10));
    if (held.to !== null) daily = daily.where('day', '<=', held.to.slice(0, 10));
    await daily.execute();
  }
}
