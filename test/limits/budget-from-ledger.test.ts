import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { redisAvailable, redisUrl } from './redis-service.ts';

const redisUp = await redisAvailable();

// A budget counts what the usage ledger holds for its period, not only what this process's
// counters saw: a restart (memory counters), a budget moved to another period and a limit added
// to a key that already spent start from the recorded spend.

// 10 prompt and 20 completion tokens at 1000 / 2000 USD per million: 0.05 a call.
const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };

describe('budgets start from the spend the usage ledger recorded', () => {
  let upstream: StandIn;
  let directory: string;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-budget-seed-'));
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion((request.json as { model: string }).model, 'ok', usage)));
    });
  });
  after(async () => {
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const config = (upstreamUrl: string, rateLimit = '{}') => `
admin: { tokens: [{ token: adm, role: admin }] }
providers:
  local: { type: openai-compatible, base_url: "${upstreamUrl}/v1", models: [m] }
pricing:
  local: { "*": { input: 1000, output: 2000 } }
plugins:
  key-auth: {}
  rate-limit: ${rateLimit}
`;

  async function admin(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: 'Bearer adm', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  const call = async (gw: RunningGateway, key: string): Promise<number> => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'local/m', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }) });
    await response.arrayBuffer();
    return response.status;
  };

  it('after a restart, after moving the budget to another period, and for a limit added after the spend', async () => {
    const storage = `sqlite:${join(directory, 'gateway.db')}`;
    let gw = await startGateway(config(upstream.url), {}, { storage });
    let key: string;
    let keyId: string;
    let lateKey: string;
    try {
      await admin(gw, 'POST', '/consumers', { name: 'app' });
      const created = await admin(gw, 'POST', '/keys', { consumer: 'app', budget: { max_usd: 0.12, period: 'day' } });
      key = created.key as string;
      keyId = created.id as string;
      assert.deepEqual([await call(gw, key), await call(gw, key)], [200, 200]);
      const late = await admin(gw, 'POST', '/keys', { consumer: 'app' });
      lateKey = late.key as string;
      assert.deepEqual([await call(gw, lateKey), await call(gw, lateKey)], [200, 200]);
      // A limit written after the spend: 0.10 of 0.12 is gone, too little for another call.
      await admin(gw, 'PATCH', `/keys/${late.id as string}`, { budget: { max_usd: 0.12, period: 'month' } });
      assert.equal(await call(gw, lateKey), 429);
    } finally {
      await gw.close();
    }
    // The memory counters are gone with the process; the ledger is not.
    gw = await startGateway(config(upstream.url), {}, { storage });
    try {
      assert.equal(await call(gw, key), 429, 'the restart did not give the day’s budget back');
      await admin(gw, 'PATCH', `/keys/${keyId}`, { budget: { max_usd: 0.12, period: 'month' } });
      assert.equal(await call(gw, key), 429, 'a monthly budget counts the month’s spend, today’s included');
      await admin(gw, 'PATCH', `/keys/${keyId}`, { budget: { max_usd: 0.18, period: 'month' } });
      assert.deepEqual([await call(gw, key), await call(gw, key)], [200, 429], '0.10 + 0.05 fits in 0.18; another call’s reservation (0.04) does not');
    } finally {
      await gw.close();
    }
  });

  it('a consumer budget in the config survives a restart; a global one counts only its own calls', async () => {
    const storage = `sqlite:${join(directory, 'config-budget.db')}`;
    const yaml = `
providers:
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m] }
pricing:
  local: { "*": { input: 1000, output: 2000 } }
plugins:
  key-auth: { keys: [{ key: tg-config-key, consumer: app }] }
  rate-limit: { limits: [{ scope: consumer, cost_usd: 0.12, per: day }, { scope: global, cost_usd: 10, per: day }] }
`;
    let gw = await startGateway(yaml, {}, { storage });
    try {
      assert.deepEqual([await call(gw, 'tg-config-key'), await call(gw, 'tg-config-key')], [200, 200]);
    } finally {
      await gw.close();
    }
    gw = await startGateway(yaml, {}, { storage });
    try {
      assert.equal(await call(gw, 'tg-config-key'), 429, 'the consumer’s day budget holds across the restart');
    } finally {
      await gw.close();
    }
  });

  it('with Redis counters: a budget moved to another period keeps the spend', { skip: !redisUp }, async () => {
    const storage = `sqlite:${join(directory, 'redis-gateway.db')}`;
    const gw = await startGateway(config(upstream.url, `{ backend: redis, redis_url: "${redisUrl}", key_prefix: "tollgate-test:${randomUUID()}:" }`), {}, { storage });
    try {
      await admin(gw, 'POST', '/consumers', { name: 'app' });
      const created = await admin(gw, 'POST', '/keys', { consumer: 'app', budget: { max_usd: 0.12, period: 'day' } });
      const key = created.key as string;
      assert.deepEqual([await call(gw, key), await call(gw, key), await call(gw, key)], [200, 200, 429]);
      await admin(gw, 'PATCH', `/keys/${created.id as string}`, { budget: { max_usd: 0.12, period: 'month' } });
      assert.equal(await call(gw, key), 429);
    } finally {
      await gw.close();
    }
  });
});
