import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { canStartRedis, startOwnRedis, type OwnRedis } from './redis-outage.ts';

// A Redis that comes back empty (restarted without persistence, failed over to an empty replica,
// keys evicted) must not hand a consumer a fresh budget on nodes that keep running: the counter is
// raised to the ledger's spend again, and the alerts that spend passed are not sent a second time
// (their claims were in Redis too). Two running nodes, one Redis of the test's own, one ledger.

// 10 prompt and 20 completion tokens at 1000 / 2000 USD per million: 0.05 a call, 25% of 0.20.
const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
const key = 'sk-redis-loss-key-0001';

describe('budgets when Redis loses its keys (running nodes re-seed from the ledger)', { skip: !(await canStartRedis()) && 'redis-server is not installed' }, () => {
  let upstream: StandIn;
  let webhook: StandIn;
  let redis: OwnRedis;
  let directory: string;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-redis-loss-'));
    redis = await startOwnRedis();
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion((request.json as { model: string }).model, 'ok', usage)));
    });
    webhook = await startStandIn((_request, response) => {
      response.writeHead(204);
      response.end();
    });
  });
  after(async () => {
    await Promise.all([upstream.close(), webhook.close(), redis.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  const config = (prefix: string) => `
providers:
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m] }
pricing:
  local: { "*": { input: 1000, output: 2000 } }
plugins:
  key-auth: { keys: [{ key: ${key}, consumer: app }] }
  rate-limit:
    backend: redis
    redis_url: "${redis.url}"
    redis_timeout: 200ms
    key_prefix: "${prefix}"
    webhook_url: "${webhook.url}/alerts"
    # fail_closed: a 503 says the node has not reconnected yet (fail_open would admit uncounted).
    limits: [{ scope: consumer, cost_usd: 0.2, per: day, name: daily, alerts: [50, 80, 100], on_backend_error: fail_closed }]
`;

  const call = async (gateway: RunningGateway): Promise<number> => {
    const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'local/m', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }) });
    await response.arrayBuffer();
    return response.status;
  };

  /** The first answer once the node reaches Redis again (503 rate_limit_unavailable until then). */
  const callOnceReconnected = async (gateway: RunningGateway): Promise<number> => {
    for (let waited = 0; ; waited += 100) {
      const status = await call(gateway);
      if (status !== 503 || waited > 8000) return status;
      await sleep(100);
    }
  };

  const thresholds = () => webhook.requests.map((request) => (request.json as { threshold_percent: number }).threshold_percent);

  it('keeps the spend and the alerts sent: a fresh empty Redis gives no second budget', async () => {
    const storage = `sqlite:${join(directory, 'gateway.db')}`;
    const prefix = `tollgate-test:${randomUUID()}:`;
    const nodeA = await startGateway(config(prefix), {}, { storage });
    const nodeB = await startGateway(config(prefix), {}, { storage });
    try {
      // Both nodes use the budget's counter before the loss: 0.05 on B (25%), 0.10 on A (75%: the 50% alert).
      assert.equal(await call(nodeB), 200);
      assert.deepEqual([await call(nodeA), await call(nodeA)], [200, 200]);
      for (let waited = 0; webhook.requests.length < 1 && waited < 5000; waited += 25) await sleep(25);
      assert.deepEqual(thresholds(), [50]);
      // The spend is in the ledger (each node writes its records within a flush interval; a seed
      // waits for its own node's queue, not for another node's).
      await Promise.all([nodeA.gateway.usageLedger.flush(), nodeB.gateway.usageLedger.flush()]);

      // Redis restarts with nothing: counters, seed marks and alert claims are gone.
      await redis.stop();
      await redis.start();
      assert.equal(await redis.client().dbsize(), 0);

      // B's next call counts from the ledger's 0.15: it fits (0.20, the 80% and 100% alerts), the one after does not.
      assert.equal(await callOnceReconnected(nodeB), 200);
      assert.equal(await call(nodeB), 429, 'the budget started over after Redis lost its keys');
      assert.equal(await callOnceReconnected(nodeA), 429, 'the other running node sees the re-seeded counter');

      for (let waited = 0; webhook.requests.length < 3 && waited < 5000; waited += 25) await sleep(25);
      await sleep(300);
      assert.deepEqual(thresholds().sort((left, right) => left - right), [50, 80, 100], 'each threshold alerted once in the period');
    } finally {
      await Promise.all([nodeA.close(), nodeB.close()]);
    }
  });
});
