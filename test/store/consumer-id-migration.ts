import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { UsageRecord } from '../../src/store/store.ts';
import { limitsMigrationApplied, undoLimitsMigration } from './undo-limits-migration.ts';

/**
 * Migration 4 (the consumer id beside its name in the usage ledger), run against every backend:
 * a database at version 3 with records that name their consumer only is migrated, and each old
 * record gets the id of the consumer that made it (never that of a later consumer with the same
 * name), while reports by name still read every record.
 */

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A moment strictly between two store writes (the audit log's `at` is the write's time). */
async function moment(): Promise<string> {
  await sleep(3);
  const at = new Date().toISOString();
  await sleep(3);
  return at;
}

type OldRecord = Omit<UsageRecord, 'consumer_id' | 'team_id'>;

let sequence = 0;
function oldRecord(requestId: string, at: string, consumer: string | null, keyId: string | null): OldRecord {
  sequence++;
  return {
    id: `use_migration_${sequence}`, request_id: requestId, at, consumer, key_id: keyId, team: null, route: null, variant: null, provider: 'p', operation: 'chat',
    requested_model: 'p/m', model: 'm', input_tokens: 1, output_tokens: 1, cached_tokens: 0, reasoning_tokens: 0, cost_usd: 0.5, cost_estimated: false, latency_ms: 1,
    ttft_ms: null, status: 200, error_type: null, error_code: null, cache_hit: false, stream: false,
  };
}

export function consumerIdMigrationConformance(backend: string, storage: () => Promise<{ url: string; drop(): Promise<void> } | null>): void {
  describe(`migration 4, the consumer id in the usage ledger: ${backend}`, () => {
    let url: string;
    let drop: () => Promise<void> = async () => {};
    let store: KyselyStore;
    const expected = new Map<string, string | null>();
    const ids: Record<string, string> = {};

    before(async () => {
      const target = await storage();
      assert.ok(target);
      url = target.url;
      drop = target.drop;
      store = (await openStore(url)).store;
      const records: OldRecord[] = [];
      const add = (requestId: string, at: string, consumer: string | null, keyId: string | null, id: string | null) => {
        records.push(oldRecord(requestId, at, consumer, keyId));
        expected.set(requestId, id);
      };

      // carol: a key still there.
      const carol = await store.createConsumer({ name: 'carol' }, 'test');
      const carolKey = (await store.createKey({ consumer_id: carol.id }, 'test')).key;
      add('carol-key', await moment(), 'carol', carolKey.id, carol.id);

      // dave: its key revoked and dave deleted; a new dave with a key of its own.
      const oldDave = await store.createConsumer({ name: 'dave' }, 'test');
      const oldDaveKey = (await store.createKey({ consumer_id: oldDave.id }, 'test')).key;
      add('old-dave-key', await moment(), 'dave', oldDaveKey.id, oldDave.id);
      // gina (no key: jwt) before and after her name passed to another consumer.
      const oldGina = await store.createConsumer({ name: 'gina' }, 'jwt');
      add('old-gina-keyless', await moment(), 'gina', null, oldGina.id);
      await store.deleteKey(oldDaveKey.id, 'test');
      await store.deleteConsumer(oldDave.id, 'test');
      await store.deleteConsumer(oldGina.id, 'test');
      add('gina-between', await moment(), 'gina', null, 'config:gina');
      const newDave = await store.createConsumer({ name: 'dave' }, 'test');
      const newDaveKey = (await store.createKey({ consumer_id: newDave.id }, 'test')).key;
      const newGina = await store.createConsumer({ name: 'gina' }, 'jwt');
      add('new-dave-key', await moment(), 'dave', newDaveKey.id, newDave.id);
      add('new-gina-keyless', await moment(), 'gina', null, newGina.id);

      // hank (no key), renamed: his records under both names are his.
      const hank = await store.createConsumer({ name: 'hank' }, 'jwt');
      add('hank-keyless', await moment(), 'hank', null, hank.id);
      await store.updateConsumer(hank.id, { name: 'hank2' }, 'test');
      add('hank2-keyless', await moment(), 'hank2', null, hank.id);

      // A declared key's consumer, the anonymous consumer, a request with no consumer, a key nothing knows.
      add('declared', await moment(), 'appA', 'config-key-0123456789ab', 'config:appA');
      add('anonymous', await moment(), 'anon', null, 'config:anon');
      add('nobody', await moment(), null, null, null);
      add('unknown-key', await moment(), 'zed', 'key_unknown', null);
      Object.assign(ids, { carol: carol.id, oldDave: oldDave.id, newDave: newDave.id, oldDaveKey: oldDaveKey.id });

      // Back to version 3: no consumer_id column (nor migration 5's team_id, nor 6's limits), and the records as version 3 wrote them.
      await undoLimitsMigration(store.db);
      await sql`drop index usage_records_team_id_at`.execute(store.db);
      await sql`drop index usage_daily_team_id_day`.execute(store.db);
      await sql`alter table usage_records drop column team_id`.execute(store.db);
      await sql`alter table usage_daily drop column team_id`.execute(store.db);
      await sql`drop index usage_records_consumer_id_at`.execute(store.db);
      await sql`drop index usage_daily_consumer_id_day`.execute(store.db);
      await sql`alter table usage_records drop column consumer_id`.execute(store.db);
      await sql`alter table usage_daily drop column consumer_id`.execute(store.db);
      await store.db.deleteFrom('tollgate_schema').where('version', '>=', 4).execute();
      for (const record of records) {
        await sql`insert into usage_records (${sql.join(Object.keys(record).map((column) => sql.ref(column)))}) values (${sql.join(Object.values(record).map((value) => (typeof value === 'boolean' ? Number(value) : value)))})`.execute(store.db);
      }
      // Daily roll-ups of a revoked key's day and of the anonymous consumer's.
      for (const [consumer, keyId] of [['dave', oldDaveKey.id], ['anon', null]] as const) {
        await sql`insert into usage_daily (day, consumer, key_id, team, route, variant, provider, requested_model, model, status, requests, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd, estimated_requests, cache_hits, latency_ms_sum)
          values ('2026-01-05', ${consumer}, ${keyId}, null, null, null, 'p', 'p/m', 'm', 200, 2, 2, 2, 0, 0, 1, 0, 0, 2)`.execute(store.db);
      }
      await store.close();
      const reopened = await openStore(url);
      assert.deepEqual(reopened.migration.applied, ['4: usage ledger: the consumer id beside its name', '5: usage ledger: the team id beside its name', limitsMigrationApplied]);
      store = reopened.store;
    });
    after(async () => {
      await store?.close();
      await drop();
    });

    it('gives each old record the id of the consumer that made it, never a later one of the same name', async () => {
      const rows = await store.db.selectFrom('usage_records').select(['request_id', 'consumer_id']).where('id', 'like', 'use_migration_%').execute();
      const actual = new Map(rows.map((row) => [row.request_id, row.consumer_id]));
      assert.deepEqual(Object.fromEntries(actual), Object.fromEntries(expected));
    });

    it('attributes old daily roll-ups the same way', async () => {
      const rows = await store.db.selectFrom('usage_daily').select(['consumer', 'consumer_id']).where('day', '=', '2026-01-05').orderBy('consumer').execute();
      assert.deepEqual(rows.map((row) => ({ ...row })), [{ consumer: 'anon', consumer_id: 'config:anon' }, { consumer: 'dave', consumer_id: ids.oldDave }]);
    });

    it('keeps old records readable by name, and tells same-named consumers apart by id', async () => {
      const all = { from: '2020-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', groupBy: [] };
      assert.equal((await store.usageReport({ ...all, filters: { consumer: 'dave' } })).totals.requests, 2 + 2, 'both daves\' records and the roll-up under the name');
      assert.equal((await store.usageReport({ ...all, filters: { consumer_id: ids.newDave } })).totals.requests, 1);
      assert.equal((await store.usageReport({ ...all, filters: { consumer_id: ids.oldDave } })).totals.requests, 1 + 2);
      const byId = await store.usageReport({ ...all, groupBy: ['consumer_id'], filters: { consumer: 'gina' } });
      assert.equal(byId.groups.length, 3, 'the old gina, the name while nobody held it, the new gina');
    });

    it('writes and rolls up new records with their consumer id', async () => {
      await store.insertUsage([{ ...oldRecord('new-record', '2026-02-01T10:00:00.000Z', 'carol', null), consumer_id: ids.carol, team_id: null }]);
      await store.rollUpUsage('2026-03-01');
      const daily = await store.db.selectFrom('usage_daily').select(['consumer', 'consumer_id']).where('day', '=', '2026-02-01').execute();
      assert.deepEqual(daily.map((row) => ({ ...row })), [{ consumer: 'carol', consumer_id: ids.carol }]);
    });
  });
}
