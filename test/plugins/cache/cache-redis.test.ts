import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startGateway } from '../../helpers/start-gateway.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { deadPort } from '../../limits/redis-service.ts';
import { ask, callsTo, client, openAIEnv, startOpenAIStandIn } from './cache-helpers.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when Redis answers; otherwise says loudly why the test skips (or fails under TOLLGATE_REQUIRE_SERVICES=1). */
async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1000, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (error) {
    if (process.env.TOLLGATE_REQUIRE_SERVICES === '1') throw new Error(`Redis is required (TOLLGATE_REQUIRE_SERVICES=1) but ${redisUrl} cannot be reached: ${String(error)}`);
    console.warn(`\n*** SKIP: Redis at ${redisUrl} cannot be reached (${String(error)}); the Redis cache test is skipped. Set REDIS_URL, or TOLLGATE_REQUIRE_SERVICES=1 to make this a failure. ***\n`);
    return false;
  } finally {
    probe.disconnect();
  }
}

describe('cache plugin with the Redis backend', () => {
  let upstream: StandIn;
  before(async () => {
    upstream = await startOpenAIStandIn();
  });
  after(async () => {
    await upstream.close();
  });

  it('serves hits from Redis, shared by two gateways, with the TTL as PX', async (context) => {
    if (!(await redisAvailable())) return context.skip(`Redis not reachable at ${redisUrl}`);
    const config = `plugins: { cache: { backend: redis, redis_url: "${redisUrl}", ttl: 30s } }`;
    const first = await startGateway(config, openAIEnv(upstream));
    const second = await startGateway(config, openAIEnv(upstream));
    // A fresh prompt per run: entries from earlier runs must not answer this one.
    const prompt = `redis ${randomUUID()}`;
    try {
      const before = callsTo(upstream, '/chat/completions');
      const miss = await ask(client(first.baseURL), prompt);
      assert.equal(miss.cache, 'miss');
      // The store is not awaited by the response: give it a moment.
      let hit = await ask(client(second.baseURL), prompt);
      for (let attempt = 0; attempt < 20 && hit.cache !== 'hit'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        hit = await ask(client(second.baseURL), prompt);
      }
      assert.equal(hit.cache, 'hit', 'another node sees the entry');
      assert.equal(hit.text, miss.text);
      assert.deepEqual(hit.body, miss.body);
      assert.equal(callsTo(upstream, '/chat/completions') - before, 1);
      assert.match(await first.gateway.metrics.registry.metrics(), /tollgate_cache_stores_total\{backend="redis"\} [1-9]/, 'a store Redis confirmed counts');
    } finally {
      await first.close();
      await second.close();
    }
    const probe = new Redis(redisUrl);
    try {
      const keys = await probe.keys('tollgate:cache:*');
      assert.ok(keys.length > 0);
      const ttl = await probe.pttl(keys[0]);
      assert.ok(ttl > 0 && ttl <= 30_000, `PX set (${ttl})`);
    } finally {
      probe.disconnect();
    }
  });

  it('writes under key_prefix, so two deployments sharing one Redis database do not share entries', async (context) => {
    if (!(await redisAvailable())) return context.skip(`Redis not reachable at ${redisUrl}`);
    const prefix = `tollgate-test:${randomUUID()}:cache:`;
    const mine = await startGateway(`plugins: { cache: { backend: redis, redis_url: "${redisUrl}", ttl: 30s, key_prefix: "${prefix}" } }`, openAIEnv(upstream));
    const theirs = await startGateway(`plugins: { cache: { backend: redis, redis_url: "${redisUrl}", ttl: 30s } }`, openAIEnv(upstream));
    const prompt = `prefixed ${randomUUID()}`;
    try {
      assert.equal((await ask(client(mine.baseURL), prompt)).cache, 'miss');
      let again = await ask(client(mine.baseURL), prompt);
      for (let attempt = 0; attempt < 20 && again.cache !== 'hit'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        again = await ask(client(mine.baseURL), prompt);
      }
      assert.equal(again.cache, 'hit');
      assert.equal((await ask(client(theirs.baseURL), prompt)).cache, 'miss', 'the default prefix does not see the other deployment\'s entry');
    } finally {
      await mine.close();
      await theirs.close();
    }
    const probe = new Redis(redisUrl);
    try {
      assert.equal((await probe.keys(`${prefix}*`)).length, 1);
    } finally {
      probe.disconnect();
    }
  });

  it('answers upstream (a miss) when Redis is down, and counts the failures', async () => {
    const gw = await startGateway(`plugins: { cache: { backend: redis, redis_url: "redis://127.0.0.1:${await deadPort()}", redis_timeout: 100ms } }`, openAIEnv(upstream));
    try {
      const before = callsTo(upstream, '/chat/completions');
      const first = await ask(client(gw.baseURL), 'redis down');
      const second = await ask(client(gw.baseURL), 'redis down');
      assert.equal(first.cache, 'miss');
      assert.equal(second.cache, 'miss');
      assert.match(second.text, /^answer #\d+$/);
      assert.equal(callsTo(upstream, '/chat/completions') - before, 2);
      // The stores are not awaited by the responses: let them fail first.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const metrics = await gw.gateway.metrics.registry.metrics();
      assert.match(metrics, /tollgate_cache_backend_errors_total\{backend="redis"\} [1-9]/);
      assert.match(metrics, /tollgate_cache_backend_up\{backend="redis"\} 0/);
      assert.doesNotMatch(metrics, /tollgate_cache_stores_total\{backend="redis"\} [1-9]/, 'nothing was stored');
    } finally {
      await gw.close();
    }
  });
});
