import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { deadPort, redisAvailable, redisUrl, startOwnRedis } from './redis-service.ts';

const available = await redisAvailable();

async function outcome(client: OpenAI, content = 'hello'): Promise<number> {
  try {
    await client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content }] });
    return 200;
  } catch (error) {
    if (error instanceof APIError && error.status !== undefined) return error.status;
    throw error;
  }
}

function rateLimitConfig(url: string, prefix: string, limit: string): string {
  return `
plugins:
  rate-limit:
    backend: redis
    redis_url: "${url}"
    key_prefix: "${prefix}"
    limits:
      - ${limit}
`;
}

describe('rate-limit with Redis shared by three gateways', { skip: !available }, () => {
  const gateways: RunningGateway[] = [];
  const prefix = `tollgate-test:${randomUUID()}:`;
  before(async () => {
    for (let index = 0; index < 3; index++) gateways.push(await startGateway(rateLimitConfig(redisUrl, prefix, '{ scope: global, requests: 12, per: minute }')));
  });
  after(() => Promise.all(gateways.map((gateway) => gateway.close())));

  it('admits at most L of N concurrent requests spread over the nodes', async () => {
    const clients = gateways.map((gateway) => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 }));
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, index) => outcome(clients[index % 3], `n${index}`)));
    const admitted = statuses.filter((status) => status === 200).length;
    assert.ok(admitted <= 12, `admitted ${admitted}`);
    // The Lua script checks and charges atomically, so the count is in fact exact.
    assert.equal(admitted, 12);
    assert.equal(statuses.filter((status) => status === 429).length, 48);
  });

  it('keeps the headers right across nodes', async () => {
    const response = await fetch(`${gateways[0].baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('x-ratelimit-limit-requests'), '12');
    assert.equal(response.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.ok(Number(response.headers.get('retry-after')) >= 1);
    const body = (await response.json()) as { error: { type: string; code: string } };
    assert.deepEqual([body.error.type, body.error.code], ['rate_limit_error', 'rate_limit_exceeded']);
  });
});

describe('rate-limit when Redis is unreachable', { skip: !available }, () => {
  it('fail_open lets requests through uncounted, with a metric; fail_closed answers 503', async () => {
    const port = await deadPort();
    const open = await startGateway(rateLimitConfig(`redis://127.0.0.1:${port}`, 'x:', '{ scope: global, requests: 1, per: minute, on_backend_error: fail_open }'));
    const closed = await startGateway(rateLimitConfig(`redis://127.0.0.1:${port}`, 'x:', '{ scope: global, requests: 1, per: minute, on_backend_error: fail_closed }'));
    try {
      const openClient = new OpenAI({ baseURL: open.baseURL, apiKey: 'unused', maxRetries: 0 });
      assert.deepEqual(await Promise.all([1, 2, 3].map(() => outcome(openClient))), [200, 200, 200]);
      const metrics = await (await fetch(`${open.adminUrl}/metrics`)).text();
      assert.match(metrics, /tollgate_rate_limit_backend_errors_total\{backend="redis"\} [1-9]/);
      assert.match(metrics, /tollgate_rate_limit_backend_up\{backend="redis"\} 0/);
      const response = await fetch(`${closed.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(response.status, 503);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'rate_limit_unavailable');
      assert.equal(response.headers.get('retry-after'), '1');
    } finally {
      await open.close();
      await closed.close();
    }
  });

  it('recovers by itself when Redis comes back', async (t) => {
    const port = await deadPort();
    const redis = await startOwnRedis(port);
    if (!redis) {
      t.skip('redis-server is not installed: the down/up test needs its own Redis to stop and start');
      return;
    }
    const gateway = await startGateway(rateLimitConfig(`redis://127.0.0.1:${port}`, `up:${randomUUID()}:`, '{ scope: global, requests: 1000, per: minute, on_backend_error: fail_closed }'));
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    let restarted: Awaited<ReturnType<typeof startOwnRedis>> = null;
    try {
      assert.equal(await outcome(client), 200);
      await redis.stop();
      let down = 0;
      for (let attempt = 0; attempt < 40 && down === 0; attempt++) {
        if ((await outcome(client)) === 503) down++;
        else await sleep(50);
      }
      assert.equal(down, 1, 'fail_closed rejects while Redis is down');
      restarted = await startOwnRedis(port);
      assert.ok(restarted);
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
        status = await outcome(client);
        if (status !== 200) await sleep(100);
      }
      assert.equal(status, 200, 'requests are admitted again once Redis is back');
    } finally {
      await gateway.close();
      await restarted?.stop();
      await redis.stop();
    }
  });
});
