import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisBackend } from '../../src/plugins/rate-limit/redis-backend.ts';
import type { CounterCheck } from '../../src/plugins/rate-limit/counter-backend.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { canStartRedis, startOwnRedis, type OwnRedis } from './redis-outage.ts';

// A request that ends while Redis is away cannot release its concurrency slot then; once Redis is
// back (with its data) the slot must come back, not stay taken for an hour with nothing in flight.
// And a slot is a lease: kept while its request runs, gone soon after a node stops stamping it.

const usage = { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 };
const key = 'sk-concurrency-outage-0001';

describe('concurrency slots across a Redis outage', { skip: !(await canStartRedis()) && 'redis-server is not installed' }, () => {
  let upstream: StandIn;
  let redis: OwnRedis;
  let upstreamCalls = 0;
  before(async () => {
    redis = await startOwnRedis();
    upstream = await startStandIn(async (request, response) => {
      upstreamCalls++;
      const model = (request.json as { model: string }).model;
      if (model === 'slow') await sleep(1500);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion(model, 'ok', usage)));
    });
  });
  after(async () => {
    await Promise.all([upstream.close(), redis.close()]);
  });

  const call = async (gateway: RunningGateway, model: string): Promise<number> => {
    const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: `local/${model}`, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) });
    await response.arrayBuffer();
    return response.status;
  };

  it('gives a slot back once Redis returns when its request ended during the outage', async () => {
    const prefix = `tollgate-test:${randomUUID()}:`;
    const gateway = await startGateway(`
providers:
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m, slow] }
plugins:
  key-auth: { keys: [{ key: ${key}, consumer: app }] }
  rate-limit:
    backend: redis
    redis_url: "${redis.url}"
    key_prefix: "${prefix}"
    # fail_closed: a 503 says the node has not reconnected yet (fail_open would admit uncounted).
    limits: [{ scope: key, concurrent: 1, on_backend_error: fail_closed }]
`);
    try {
      const before = upstreamCalls;
      const slow = call(gateway, 'slow');
      for (let waited = 0; upstreamCalls === before && waited < 3000; waited += 10) await sleep(10);
      assert.equal(await call(gateway, 'm'), 429, 'the slow request holds the only slot');

      // Redis goes away (keeping its data, as a network outage or a restart that saved would)
      // while the slow request finishes: its release cannot be sent.
      await redis.stop({ keepData: true });
      assert.equal(await slow, 200);
      await redis.start();

      let status = 503;
      for (let waited = 0; status === 503 && waited < 8000; waited += 100) {
        status = await call(gateway, 'm');
        if (status === 503) await sleep(100);
      }
      assert.equal(status, 200, 'the slot of the request that ended during the outage was given back');
      await sleep(100);
      const sets = await redis.client().keys(`${prefix}*in-flight*`);
      for (const set of sets) assert.equal(await redis.client().zcard(set), 0, `${set} is empty`);
    } finally {
      await gateway.close();
    }
  });

  it('keeps the slot of a request that runs past a lease, and frees one no node stamps any more', async () => {
    const prefix = `tollgate-test:${randomUUID()}:`;
    const leaseMs = 400;
    const check = (): CounterCheck => ({ key: `${prefix}in-flight`, previousKey: null, previousWeight: 0, concurrent: true, amount: 1, limit: 1, ttl: leaseMs, seedMark: null });
    const node = new RedisBackend({ url: redis.url, timeout: 250, inFlightLeaseMs: leaseMs });
    const other = new RedisBackend({ url: redis.url, timeout: 250, inFlightLeaseMs: leaseMs });
    // Closed once each: a second ioredis disconnect() leaves a 2 s timer behind.
    let nodeClosed = false;
    try {
      assert.equal((await node.admit([check()], 'long', Date.now())).blocked, -1);
      await sleep(3 * leaseMs);
      assert.equal((await other.admit([check()], 'second', Date.now())).blocked, 0, 'a running request keeps its slot past its first lease');
      // The node goes away without releasing (a crash): nothing stamps the entry any more.
      await node.close();
      nodeClosed = true;
      await sleep(leaseMs + 100);
      assert.equal((await other.admit([check()], 'third', Date.now())).blocked, -1, 'the slot came back a lease after the last stamp');
      await other.settle([], [{ key: check().key, requestId: 'third' }], []);
    } finally {
      await Promise.all([nodeClosed ? undefined : node.close(), other.close()]);
    }
  });
});
