import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { hashKeySecret } from '../../src/identity/key-secret.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { latestSchemaVersion, runMigrations, SchemaTooNewError } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open-store.ts';
import { StoreConflictError } from '../../src/store/store.ts';

/**
 * The suite every store backend passes (STYLE.md "shared conformance suites"). A backend adds
 * only how to get a fresh, empty storage URL and how to throw it away.
 */
export function storeConformance(backend: string, storage: () => Promise<{ url: string; drop(): Promise<void> } | null>): void {
  describe(`store conformance: ${backend}`, () => {
    let store: KyselyStore;
    let url: string;
    let drop: () => Promise<void> = async () => {};

    before(async () => {
      const target = await storage();
      assert.ok(target, 'storage available');
      url = target.url;
      drop = target.drop;
      const opened = await openStore(url);
      store = opened.store;
      assert.equal(opened.migration.from, 0);
      assert.equal(opened.migration.to, latestSchemaVersion);
      assert.equal(opened.migration.applied.length, latestSchemaVersion);
    });
    after(async () => {
      await store?.close();
      await drop();
    });

    it('migrations are idempotent: opening again and re-running change nothing', async () => {
      if (!url.endsWith(':memory:')) {
        // A second process (or node) opening the same database finds nothing to do.
        const again = await openStore(url);
        assert.deepEqual(again.migration.applied, []);
        assert.equal(again.migration.from, latestSchemaVersion);
        await again.store.close();
      }
      const rerun = await runMigrations(store.db, store.kind, 'test');
      assert.deepEqual(rerun, { from: latestSchemaVersion, to: latestSchemaVersion, applied: [] });
    });

    it('creates, reads, updates and deletes teams and consumers, names unique', async () => {
      const team = await store.createTeam({ name: 'platform', metadata: { cost_center: '42' } }, 'tester');
      assert.match(team.id, /^team_/);
      assert.deepEqual((await store.getTeam('platform'))?.id, team.id);
      assert.deepEqual((await store.getTeam(team.id))?.metadata, { cost_center: '42' });
      await assert.rejects(store.createTeam({ name: 'platform' }, 'tester'), StoreConflictError);

      const consumer = await store.createConsumer({ name: 'billing-app', team_id: team.id }, 'tester');
      assert.equal(consumer.enabled, true);
      assert.equal(consumer.team_id, team.id);
      const renamed = await store.updateConsumer(consumer.id, { name: 'billing', enabled: false }, 'tester');
      assert.equal(renamed?.name, 'billing');
      assert.equal(renamed?.enabled, false);
      assert.equal(await store.updateConsumer('con_missing', { name: 'x' }, 'tester'), null);
      await assert.rejects(store.deleteTeam(team.id, 'tester'), StoreConflictError, 'a team with consumers is not deleted');
      assert.equal(await store.deleteConsumer(consumer.id, 'tester'), true);
      assert.equal(await store.deleteConsumer(consumer.id, 'tester'), false);
      assert.equal(await store.deleteTeam(team.id, 'tester'), true);
      assert.equal(await store.getTeam(team.id), null);
    });

    it('makes keys that are shown once and stored only as a hash', async () => {
      const consumer = await store.createConsumer({ name: 'key-owner' }, 'tester');
      const { key, secret } = await store.createKey({ consumer_id: consumer.id, name: 'ci', models: ['gpt-4o*'], ips: ['10.0.0.0/8'], limits: { rpm: 60 }, budget: { max_usd: 5, period: '30d' }, metadata: { tier: 'gold' }, expires_at: '2030-01-01T00:00:00.000Z' }, 'tester');
      assert.match(secret, /^tg-[A-Za-z0-9_-]{43}$/);
      assert.equal(key.display, `${secret.slice(0, 7)}…${secret.slice(-4)}`);
      assert.deepEqual(key.models, ['gpt-4o*']);
      assert.deepEqual(key.limits, { rpm: 60 });
      assert.deepEqual(key.budget, { max_usd: 5, period: '30d' });
      assert.equal(key.enabled, true);
      const read = await store.getKey(key.id);
      assert.deepEqual(read, key);
      const everything = JSON.stringify([read, await store.listKeys({ limit: 100 }), await store.listAudit({ limit: 100 })]);
      assert.ok(!everything.includes(secret), 'the secret is never read back');
      assert.ok(!everything.includes(hashKeySecret(secret)), 'nor its hash');
      const stored = (await store.changesSince(0)).keys.find((candidate) => candidate.id === key.id);
      assert.equal(stored?.key_hash, hashKeySecret(secret), 'the identity feed has the hash');

      const patched = await store.updateKey(key.id, { enabled: false, models: [], expires_at: null }, 'tester');
      assert.equal(patched?.enabled, false);
      assert.deepEqual(patched?.models, []);
      assert.equal(patched?.expires_at, null);
      assert.equal(patched?.name, 'ci', 'fields not in the patch stay');
      await assert.rejects(store.deleteConsumer(consumer.id, 'tester'), StoreConflictError, 'a consumer with keys is not deleted');
      assert.equal(await store.deleteKey(key.id, 'tester'), true);
      assert.equal(await store.getKey(key.id), null);
    });

    it('pages by cursor and offset, and filters', async () => {
      const owner = await store.createConsumer({ name: 'pager' }, 'tester');
      const other = await store.createConsumer({ name: 'pager-other' }, 'tester');
      const made: string[] = [];
      for (let index = 0; index < 5; index++) made.push((await store.createKey({ consumer_id: owner.id, name: `k${index}` }, 'tester')).key.id);
      await store.createKey({ consumer_id: other.id }, 'tester');
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await store.listKeys({ limit: 2, after, consumer_id: owner.id });
        assert.ok(page.data.length <= 2);
        seen.push(...page.data.map((key) => key.id));
        after = page.next_cursor ?? undefined;
      } while (after);
      assert.deepEqual(seen, made, 'every key once, in creation order');
      const offsetPage = await store.listKeys({ limit: 2, offset: 3, consumer_id: owner.id });
      assert.deepEqual(offsetPage.data.map((key) => key.id), made.slice(3, 5));
      assert.equal(offsetPage.next_cursor, null);
    });

    it('reports changes since a revision, deletions included, and last use is not a change', async () => {
      const start = await store.revision();
      assert.deepEqual(await store.changesSince(start), { revision: start, teams: [], consumers: [], keys: [], deleted: [] });
      const consumer = await store.createConsumer({ name: 'feed' }, 'tester');
      const { key } = await store.createKey({ consumer_id: consumer.id }, 'tester');
      const afterCreate = await store.changesSince(start);
      assert.equal(afterCreate.revision, start + 2);
      assert.deepEqual(afterCreate.consumers.map((row) => row.id), [consumer.id]);
      assert.deepEqual(afterCreate.keys.map((row) => row.id), [key.id]);
      await store.touchKeys([key.id], '2026-01-02T03:04:05.000Z');
      assert.equal(await store.revision(), start + 2, 'touching is not a change');
      assert.equal((await store.getKey(key.id))?.last_used_at, '2026-01-02T03:04:05.000Z');
      await store.deleteKey(key.id, 'tester');
      const afterDelete = await store.changesSince(afterCreate.revision);
      assert.deepEqual(afterDelete.deleted, [{ resource: 'keys', id: key.id }]);
      assert.deepEqual(afterDelete.keys, []);
    });

    it('records every write in the audit log with before and after', async () => {
      const team = await store.createTeam({ name: 'audited' }, 'admin-token:abcdef12');
      await store.updateTeam(team.id, { name: 'audited-2' }, 'admin-token:abcdef12');
      await store.deleteTeam(team.id, 'admin-token:abcdef12');
      const entries = (await store.listAudit({ limit: 10, resource: 'teams', resource_id: team.id })).data;
      assert.deepEqual(entries.map((entry) => entry.action), ['delete', 'update', 'create'], 'newest first');
      assert.ok(entries.every((entry) => entry.actor === 'admin-token:abcdef12'));
      assert.equal(entries[1].before?.name, 'audited');
      assert.equal(entries[1].after?.name, 'audited-2');
      assert.equal(entries[0].after, null);
      assert.equal(entries[2].before, null);
    });

    it('deletes a key once when ten deletes race: one true, one audit entry', async () => {
      const consumer = await store.createConsumer({ name: 'racing-deletes' }, 'tester');
      const { key } = await store.createKey({ consumer_id: consumer.id }, 'tester');
      const revision = await store.revision();
      const results = await Promise.all(Array.from({ length: 10 }, () => store.deleteKey(key.id, 'tester')));
      assert.deepEqual(results.filter(Boolean), [true], `results: ${results.join(',')}`);
      const entries = (await store.listAudit({ limit: 100, resource: 'keys', resource_id: key.id })).data;
      assert.deepEqual(entries.map((entry) => entry.action), ['delete', 'create']);
      assert.equal(await store.revision(), revision + 1, 'the deletes that found nothing spent no revision');
      assert.equal(await store.deleteConsumer(consumer.id, 'tester'), true);
    });

    it('refuses (StoreConflictError) a consumer, key or change that names a team or consumer deleted meanwhile', async () => {
      const team = await store.createTeam({ name: 'gone-team' }, 'tester');
      const consumer = await store.createConsumer({ name: 'gone-consumer' }, 'tester');
      const kept = await store.createConsumer({ name: 'kept-consumer' }, 'tester');
      const { key } = await store.createKey({ consumer_id: kept.id }, 'tester');
      assert.equal(await store.deleteTeam(team.id, 'tester'), true);
      assert.equal(await store.deleteConsumer(consumer.id, 'tester'), true);
      // What the Admin API does when a DELETE lands between its lookup of the reference and the write.
      await assert.rejects(store.createKey({ consumer_id: consumer.id }, 'tester'), (error: unknown) => error instanceof StoreConflictError && /deleted meanwhile/.test(error.message));
      await assert.rejects(store.createConsumer({ name: 'late', team_id: team.id }, 'tester'), StoreConflictError);
      await assert.rejects(store.updateConsumer(kept.id, { team_id: team.id }, 'tester'), StoreConflictError);
      await assert.rejects(store.updateKey(key.id, { team_id: team.id }, 'tester'), StoreConflictError);
      assert.equal((await store.listConsumers({ limit: 100 })).data.some((row) => row.name === 'late'), false);
      assert.equal((await store.getKey(key.id))?.team_id, null, 'the refused change left the key as it was');
      await store.deleteKey(key.id, 'tester');
      await store.deleteConsumer(kept.id, 'tester');
    });

    it('stores and returns expires_at in UTC, whatever offset it was given', async () => {
      const consumer = await store.createConsumer({ name: 'expiring' }, 'tester');
      const { key } = await store.createKey({ consumer_id: consumer.id, expires_at: '2027-03-01T20:00:00-05:00' }, 'tester');
      assert.equal(key.expires_at, '2027-03-02T01:00:00.000Z');
      assert.equal((await store.getKey(key.id))?.expires_at, '2027-03-02T01:00:00.000Z');
      const patched = await store.updateKey(key.id, { expires_at: '2027-06-01T08:30:00+05:30' }, 'tester');
      assert.equal(patched?.expires_at, '2027-06-01T03:00:00.000Z');
      assert.equal((await store.changesSince(0)).keys.find((row) => row.id === key.id)?.expires_at, '2027-06-01T03:00:00.000Z');
      await store.deleteKey(key.id, 'tester');
      await store.deleteConsumer(consumer.id, 'tester');
    });

    it('refuses a database migrated by a newer Tollgate, with a clear message', async () => {
      await sql`insert into tollgate_schema (version, name, applied_at) values (${latestSchemaVersion + 1}, ${'from the future'}, ${'2099-01-01'})`.execute(store.db);
      try {
        await assert.rejects(runMigrations(store.db, store.kind, url), (error: unknown) => {
          assert.ok(error instanceof SchemaTooNewError);
          assert.match(error.message, new RegExp(`schema version ${latestSchemaVersion + 1}.*only knows versions up to ${latestSchemaVersion}.*Refusing to start`));
          return true;
        });
        // And the way the gateway starts: open refuses too, naming where the database is.
        if (!url.endsWith(':memory:')) await assert.rejects(openStore(url), SchemaTooNewError);
      } finally {
        await sql`delete from tollgate_schema where version = ${latestSchemaVersion + 1}`.execute(store.db);
      }
    });
  });
}
