import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CredentialCache } from '../../src/identity/credential-cache.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/postgres-database.ts';

/** The same checks on both backends: SQLite always, PostgreSQL when reachable. */
function credentialSuite(name: string, storage: () => Promise<string | null>): void {
  describe(`provider credentials on ${name}`, () => {
    let store: KyselyStore | null = null;
    let reader: KyselyStore | null = null;
    const masterKey = randomBytes(32);

    before(async () => {
      const location = await storage();
      if (location === null) return;
      store = (await openStore(location)).store;
      // A second connection stands for another node sharing the database.
      reader = location === 'sqlite::memory:' ? store : (await openStore(location)).store;
    });
    after(async () => {
      if (reader !== store) await reader?.close();
      await store?.close();
    });

    it('stores ciphertext only, audits without it, and another node\'s cache picks the change up by polling', async (context) => {
      if (!store || !reader) return context.skip('PostgreSQL not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)');
      const writer = new CredentialCache(store, { masterKey });
      const otherNode = new CredentialCache(reader, { masterKey, pollIntervalMs: 50 });
      await writer.start();
      await otherNode.start();
      try {
        assert.equal(otherNode.get('openai'), undefined);
        await writer.put('openai', 'sk-secret-value-1', 'admin-token:abcd1234');
        assert.equal(writer.get('openai'), 'sk-secret-value-1');
        const rows = await store.listProviderCredentials();
        assert.equal(rows.length, 1);
        assert.ok(!JSON.stringify(rows).includes('sk-secret-value-1'));
        await writer.put('openai', 'sk-secret-value-2', 'admin-token:abcd1234');
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(otherNode.get('openai'), 'sk-secret-value-2');

        const audit = await store.listAudit({ limit: 10, resource: 'credentials', resource_id: 'openai' });
        assert.deepEqual(audit.data.map((entry) => entry.action), ['update', 'create']);
        assert.ok(!JSON.stringify(audit.data).includes('sk-secret-value'));
        assert.ok(!JSON.stringify(audit.data).includes(rows[0].ciphertext));

        assert.equal(await writer.delete('openai', 'admin-token:abcd1234'), true);
        assert.equal(await writer.delete('openai', 'admin-token:abcd1234'), false);
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(otherNode.get('openai'), undefined);
      } finally {
        await writer.stop();
        await otherNode.stop();
      }
    });

    it('a cache with another master key skips what it cannot decrypt', async (context) => {
      if (!store) return context.skip('PostgreSQL not reachable');
      const writer = new CredentialCache(store, { masterKey });
      await writer.start();
      await writer.put('anthropic', 'sk-ant-secret', 'test');
      const wrongKey = new CredentialCache(store, { masterKey: randomBytes(32) });
      const noKey = new CredentialCache(store);
      await wrongKey.start();
      await noKey.start();
      try {
        assert.equal(wrongKey.get('anthropic'), undefined);
        assert.ok(wrongKey.stored('anthropic'));
        assert.equal(noKey.get('anthropic'), undefined);
        await assert.rejects(noKey.put('anthropic', 'x', 'test'), /TOLLGATE_MASTER_KEY/);
      } finally {
        await Promise.all([writer.stop(), wrongKey.stop(), noKey.stop()]);
      }
    });
  });
}

credentialSuite('SQLite', async () => 'sqlite::memory:');

let database: TemporaryDatabase | null = null;
credentialSuite('PostgreSQL', async () => {
  database = await createTemporaryDatabase();
  return database?.url ?? null;
});
after(async () => database?.drop());
