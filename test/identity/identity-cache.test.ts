import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { IdentityCache } from '../../src/identity/identity-cache.ts';
import { hashKeySecret } from '../../src/identity/key-secret.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { insertKeysInBulk } from './bulk-keys.ts';

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) assert.fail(`not within ${timeoutMs} ms`);
    await sleep(10);
  }
  return performance.now() - started;
}

describe('identity cache', () => {
  let folder: string;
  let thisNode: KyselyStore;
  let otherNode: KyselyStore;
  let cache: IdentityCache;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-identity-'));
    // Two connections to one SQLite file stand for two gateway nodes (or the gateway and the CLI).
    thisNode = (await openStore(`sqlite:${join(folder, 'tollgate.db')}`)).store;
    otherNode = (await openStore(`sqlite:${join(folder, 'tollgate.db')}`)).store;
    cache = new IdentityCache(thisNode);
    await cache.start();
  });
  after(async () => {
    await cache.stop();
    await thisNode.close();
    await otherNode.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('applies a change made through this node at once on refresh()', async () => {
    const team = await thisNode.createTeam({ name: 'ml' }, 'test');
    const consumer = await thisNode.createConsumer({ name: 'notebook', team_id: team.id }, 'test');
    const { key, secret } = await thisNode.createKey({ consumer_id: consumer.id, models: ['gpt-4o*'] }, 'test');
    await cache.refresh();
    const cached = cache.lookup(hashKeySecret(secret));
    assert.equal(cached?.key.id, key.id);
    assert.equal(cache.key(key.id), cached, 'also found by id (ctx.caller.key)');
    assert.equal(cache.consumer(consumer.id)?.name, 'notebook');
    assert.equal(cache.team(consumer.team_id)?.name, 'ml');
    assert.equal(cached?.rules.models?.('gpt-4o-mini'), true);
    assert.equal(cached?.rules.models?.('o3'), false);
    assert.equal(cached?.rules.ips, null);
  });

  it('drops a key revoked by another node within about a second, by polling', async () => {
    const consumer = await otherNode.createConsumer({ name: 'remote' }, 'test');
    const { key, secret } = await otherNode.createKey({ consumer_id: consumer.id }, 'test');
    const hash = hashKeySecret(secret);
    await waitUntil(() => cache.lookup(hash) !== undefined, 1500);
    await otherNode.deleteKey(key.id, 'test');
    const took = await waitUntil(() => cache.lookup(hash) === undefined, 1500);
    assert.ok(took <= 1200, `revocation applied after ${Math.round(took)} ms`);
  });

  it('sees a key disabled elsewhere, and writes last use in batches', async () => {
    const consumer = await thisNode.createConsumer({ name: 'toggled' }, 'test');
    const { key, secret } = await thisNode.createKey({ consumer_id: consumer.id }, 'test');
    await cache.refresh();
    await otherNode.updateKey(key.id, { enabled: false }, 'test');
    await waitUntil(() => cache.lookup(hashKeySecret(secret))?.key.enabled === false, 1500);
    cache.noteUsed(key.id);
    assert.equal((await thisNode.getKey(key.id))?.last_used_at, null, 'not written on the request path');
    const revision = await thisNode.revision();
    for (let attempt = 0; attempt < 30 && (await thisNode.getKey(key.id))?.last_used_at === null; attempt++) await sleep(100);
    assert.notEqual((await thisNode.getKey(key.id))?.last_used_at, null);
    assert.equal(await thisNode.revision(), revision, 'last use is not an identity change');
  });
});

describe('loading many keys', () => {
  // The 100,000-key measurement (< 2 s) is test/identity/performance.perf.ts; run on its own, as
  // two CPUs shared with the rest of the suite make timings noisy.
  it('loads 20,000 keys and finds them by hash', async () => {
    const { store } = await openStore('sqlite::memory:');
    try {
      const { samples } = await insertKeysInBulk(store, 20_000);
      const cache = new IdentityCache(store);
      const result = await cache.start();
      await cache.stop();
      assert.equal(result.keys, 20_000);
      for (const secret of samples) assert.ok(cache.lookup(hashKeySecret(secret)));
    } finally {
      await store.close();
    }
  });
});
