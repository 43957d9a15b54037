import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { UsageRecord } from '../../src/store/store.ts';
import { limitsMigrationApplied, undoLimitsMigration } from './undo-limits-migration.ts';

/**
 * Migration 5 (the team id beside its name in the usage ledger), run against every backend: a
 * database at version 4 with records that name their team only is migrated, and each old record
 * gets the id of the team that carried the name at its time (never that of a later team given the
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

type OldRecord = Omit<UsageRecord, 'team_id'>;

let sequence = 0;
function oldRecord(requestId: string, at: string, team: string | null, keyId: string | null): OldRecord {
  sequence++;
  return {
    id: `use_team_migration_${sequence}`, request_id: requestId, at, consumer: 'someone', consumer_id: 'config:someone', key_id: keyId, team, route: null, variant: null, provider: 'p', operation: 'chat',
    requested_model: 'p/m', model: 'm', input_tokens: 1, output_tokens: 1, cached_tokens: 0, reasoning_tokens: 0, cost_usd: 0.5, cost_estimated: false, latency_ms: 1,
    ttft_ms: null, status: 200, error_type: null, error_code: null, cache_hit: false, stream: false,
  };
}

export function teamIdMigrationConformance(backend: string, storage: () => Promise<{ url: string; drop(): Promise<void> } | null>): void {
  describe(`migration 5, the team id in the usage ledger: ${backend}`, () => {
    let drop: () => Promise<void> = async () => {};
    let store: KyselyStore;
    const expected = new Map<string, string | null>();
    const ids: Record<string, string> = {};
    let blueDay = '';

    before(async () => {
      const target = await storage();
      assert.ok(target);
      drop = target.drop;
      store = (await openStore(target.url)).store;
      const records: OldRecord[] = [];
      const add = (requestId: string, at: string, team: string | null, keyId: string | null, id: string | null) => {
        records.push(oldRecord(requestId, at, team, keyId));
        expected.set(requestId, id);
      };

      // red: a team still there, with a store key's record.
      const red = await store.createTeam({ name: 'red' }, 'test');
      const redConsumer = await store.createConsumer({ name: 'red-app', team_id: red.id }, 'test');
      const redKey = (await store.createKey({ consumer_id: redConsumer.id }, 'test')).key;
      add('red-key', await moment(), 'red', redKey.id, red.id);

      // blue: deleted, its name unheld for a while, then given to a new team.
      const oldBlue = await store.createTeam({ name: 'blue' }, 'test');
      blueDay = new Date().toISOString().slice(0, 10);
      add('old-blue', await moment(), 'blue', null, oldBlue.id);
      await store.deleteTeam(oldBlue.id, 'test');
      add('blue-between', await moment(), 'blue', null, 'config:blue');
      const newBlue = await store.createTeam({ name: 'blue' }, 'test');
      add('new-blue', await moment(), 'blue', null, newBlue.id);

      // green, renamed: its records under both names are its own.
      const green = await store.createTeam({ name: 'green' }, 'test');
      add('green', await moment(), 'green', null, green.id);
      await store.updateTeam(green.id, { name: 'green2' }, 'test');
      add('green2', await moment(), 'green2', null, green.id);

      // A declared key's team (even with a store team of that name), a config team, no team.
      add('declared', await moment(), 'red', 'config-key-0123456789ab', 'config:red');
      add('anonymous', await moment(), 'anon-team', null, 'config:anon-team');
      add('nobody', await moment(), null, null, null);
      Object.assign(ids, { red: red.id, oldBlue: oldBlue.id, newBlue: newBlue.id, green: green.id });

      // Back to version 4: no team_id column (nor migration 6's limits), and the records as version 4 wrote them.
      await undoLimitsMigration(store.db);
      await sql`drop index usage_records_team_id_at`.execute(store.db);
      await sql`drop index usage_daily_team_id_day`.execute(store.db);
      await sql`alter table usage_records drop column team_id`.execute(store.db);
      await sql`alter table usage_daily drop column team_id`.execute(store.db);
      await store.db.deleteFrom('tollgate_schema').where('version', '=', 5).execute();
      for (const record of records) {
        await sql`insert into usage_records (${sql.join(Object.keys(record).map((column) => sql.ref(column)))}) values (${sql.join(Object.values(record).map((value) => (typeof value === 'boolean' ? Number(value) : value)))})`.execute(store.db);
      }
      // Daily roll-ups: the old blue's day (it held the name first that day), and a config team's.
      for (const [day, team] of [[blueDay, 'blue'], ['2020-01-05', 'anon-team']] as const) {
        await sql`insert into usage_daily (day, consumer, consumer_id, key_id, team, route, variant, provider, requested_model, model, status, requests, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd, estimated_requests, cache_hits, latency_ms_sum)
          values (${day}, 'someone', 'config:someone', null, ${team}, null, null, 'p', 'p/m', 'm', 200, 2, 2, 2, 0, 0, 1, 0, 0, 2)`.execute(store.db);
      }
      await store.close();
      const reopened = await openStore(target.url);
      assert.deepEqual(reopened.migration.applied, ['5: usage ledger: the team id beside its name', limitsMigrationApplied]);
      store = reopened.store;
    });
    after(async () => {
      await store?.close();
      await drop();
    });

    it('gives each old record the id of the team that carried its name then, never a later one of the same name', async () => {
      const rows = await store.db.selectFrom('usage_records').select(['request_id', 'team_id']).where('id', 'like', 'use_team_migration_%').execute();
      assert.deepEqual(Object.fromEntries(rows.map((row) => [row.request_id, row.team_id])), Object.fromEntries(expected));
    });

    it('attributes old daily roll-ups the same way', async () => {
      const rows = await store.db.selectFrom('usage_daily').select(['team', 'team_id']).orderBy('team').execute();
      assert.deepEqual(rows.map((row) => ({ ...row })), [{ team: 'anon-team', team_id: 'config:anon-team' }, { team: 'blue', team_id: ids.oldBlue }]);
    });

    it('keeps old records readable by name, and tells same-named teams apart by id', async () => {
      const all = { from: '2020-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', groupBy: [] };
      assert.equal((await store.usageReport({ ...all, filters: { team: 'blue' } })).totals.requests, 3 + 2, 'every blue\'s records and the roll-up under the name');
      assert.equal((await store.usageReport({ ...all, filters: { team_id: ids.newBlue } })).totals.requests, 1);
      assert.equal((await store.usageReport({ ...all, filters: { team_id: ids.oldBlue } })).totals.requests, 1 + 2);
      assert.equal((await store.usageReport({ ...all, filters: { team_id: ids.green } })).totals.requests, 2, 'under both names it had');
      const byId = await store.usageReport({ ...all, groupBy: ['team_id'], filters: { team: 'red' } });
      assert.deepEqual(byId.groups.map((group) => group.team_id).sort(), ['config:red', ids.red].sort());
    });

    it('writes and rolls up new records with their team id', async () => {
      await store.insertUsage([{ ...oldRecord('new-record', '2026-02-01T10:00:00.000Z', 'red', null), team_id: ids.red }]);
      await store.rollUpUsage('2026-03-01');
      const daily = await store.db.selectFrom('usage_daily').select(['team', 'team_id']).where('day', '=', '2026-02-01').execute();
      assert.deepEqual(daily.map((row) => ({ ...row })), [{ team: 'red', team_id: ids.red }]);
    });
  });
}
