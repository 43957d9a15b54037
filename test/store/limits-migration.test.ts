import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './postgres-database.ts';
import { limitsMigrationApplied, undoLimitsMigration } from './undo-limits-migration.ts';

/**
 * Migration 6 (limits and budget on consumers and teams), on every backend: a database at version
 * 5 with teams and consumers is migrated, they keep everything and carry no limits, and the store
 * then writes, reads, audits and hands the identity cache consumers' and teams' limits as keys'.
 */
function limitsMigrationConformance(backend: string, storage: () => Promise<TemporaryDatabase | null>): void {
  describe(`migration 6, limits and budgets on consumers and teams: ${backend}`, () => {
    let drop: () => Promise<void> = async () => {};
    let store: KyselyStore;
    const ids: Record<string, string> = {};

    before(async () => {
      const target = await storage();
      assert.ok(target);
      drop = target.drop;
      store = (await openStore(target.url)).store;
      const team = await store.createTeam({ name: 'old-team', metadata: { tier: 'gold' } }, 'test');
      const consumer = await store.createConsumer({ name: 'old-consumer', team_id: team.id }, 'test');
      Object.assign(ids, { team: team.id, consumer: consumer.id });
      await undoLimitsMigration(store.db);
      await store.close();
      const reopened = await openStore(target.url);
      assert.deepEqual(reopened.migration.applied, [limitsMigrationApplied]);
      store = reopened.store;
    });
    after(async () => {
      await store?.close();
      await drop();
    });

    it('keeps the teams and consumers there were, with no limits or budget', async () => {
      const team = await store.getTeam(ids.team);
      assert.equal(team?.name, 'old-team');
      assert.deepEqual(team?.metadata, { tier: 'gold' });
      assert.equal(team?.limits, null);
      assert.equal(team?.budget, null);
      const consumer = await store.getConsumer(ids.consumer);
      assert.equal(consumer?.team_id, ids.team);
      assert.equal(consumer?.limits, null);
      assert.equal(consumer?.budget, null);
    });

    it('writes, changes, clears and audits a team\'s and a consumer\'s limits and budget', async () => {
      const team = await store.createTeam({ name: 'new-team', budget: { max_usd: 500, period: 'month' }, limits: { rpm: 600 } }, 'test');
      assert.deepEqual({ limits: team.limits, budget: team.budget }, { limits: { rpm: 600 }, budget: { max_usd: 500, period: 'month' } });
      const consumer = await store.createConsumer({ name: 'new-consumer', team_id: team.id, limits: [{ requests: 20, per: 'minute' }] }, 'test');
      assert.deepEqual((await store.getConsumer(consumer.id))?.limits, [{ requests: 20, per: 'minute' }]);

      const changed = await store.updateTeam(team.id, { budget: { max_usd: 50, period: 'day' } }, 'test');
      assert.deepEqual(changed?.budget, { max_usd: 50, period: 'day' });
      assert.deepEqual(changed?.limits, { rpm: 600 }, 'a patch without limits leaves them');
      const cleared = await store.updateConsumer(consumer.id, { limits: null }, 'test');
      assert.equal(cleared?.limits, null);

      const audit = await store.listAudit({ limit: 10, resource: 'teams', resource_id: team.id });
      const update = audit.data.find((entry) => entry.action === 'update');
      assert.deepEqual(update?.before?.budget, { max_usd: 500, period: 'month' });
      assert.deepEqual(update?.after?.budget, { max_usd: 50, period: 'day' });
      const created = audit.data.find((entry) => entry.action === 'create');
      assert.deepEqual(created?.after?.limits, { rpm: 600 });
    });

    it('hands the identity cache the limits with the changed records', async () => {
      const revision = await store.revision();
      const team = await store.getTeam('new-team');
      await store.updateTeam(team!.id, { limits: [{ cost_usd: 5, per: 'day', scope: 'team' }] }, 'test');
      const changes = await store.changesSince(revision);
      assert.deepEqual(changes.teams.map((changed) => changed.limits), [[{ cost_usd: 5, per: 'day', scope: 'team' }]]);
    });
  });
}

limitsMigrationConformance('sqlite file', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-limits-migration-'));
  return { url: `sqlite:${join(directory, 'gateway.db')}`, drop: async () => rmSync(directory, { recursive: true, force: true }) };
});

// Probe once: the suite runs against its own database, or is skipped loudly (postgres-database.ts).
const probe = await createTemporaryDatabase();
if (probe) {
  await probe.drop();
  limitsMigrationConformance('postgresql', createTemporaryDatabase);
} else {
  describe('migration 6, limits and budgets on consumers and teams: postgresql', () => {
    it('SKIPPED: PostgreSQL is not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)', { skip: 'PostgreSQL not reachable' }, () => {});
  });
}
