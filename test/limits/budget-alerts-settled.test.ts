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
import { redisAvailable, redisUrl } from './redis-service.ts';

// Budget alerts read the settled spend (what finished requests cost, as the ledger records it),
// not the counter that also holds what requests still in flight reserved (multi-node audit,
// finding 1): a request that reserves $0.81 of a $1.00 budget while another one settles must not
// send the 50% and 80% alerts with a spend nobody made, and the real crossings are sent later.

// 10 prompt and 20 completion tokens at 1000 / 2000 USD per million: $0.05 a call, 5% of $1.00.
const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
const key = 'sk-settled-alert-key-0001';

interface Alert {
  threshold_percent: number;
  spent_usd: number;
  limit_usd: number;
}

const redisIsThere = await redisAvailable();

describe('budget alerts count settled spend, not open reservations', () => {
  let upstream: StandIn;
  let webhook: StandIn;
  let directory: string;
  /** Lets the held (`slow`) answer go. */
  let releaseSlow: () => void = () => undefined;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-settled-alerts-'));
    upstream = await startStandIn(async (request, response) => {
      const model = (request.json as { model: string }).model;
      if (model === 'slow') await new Promise<void>((resolve) => (releaseSlow = resolve));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion(model, 'ok', usage)));
    });
    webhook = await startStandIn((_request, response) => {
      response.writeHead(204);
      response.end();
    });
  });
  after(async () => {
    releaseSlow();
    await Promise.all([upstream.close(), webhook.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  const config = (counters: string) => `
providers:
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [fast, slow] }
pricing:
  local: { "*": { input: 1000, output: 2000 } }
plugins:
  key-auth: { keys: [{ key: ${key}, consumer: app }] }
  rate-limit:
    ${counters}
    webhook_url: "${webhook.url}/alerts"
    limits: [{ scope: key, cost_usd: 1, per: day, name: daily, alerts: [50, 80, 100] }]
`;

  const call = async (gateway: RunningGateway, model: string, maxTokens: number): Promise<number> => {
    const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: `local/${model}`, max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] }) });
    await response.arrayBuffer();
    return response.status;
  };

  const alerts = (): Alert[] => webhook.requests.map((request) => request.json as Alert).map(({ threshold_percent, spent_usd, limit_usd }) => ({ threshold_percent, spent_usd, limit_usd }));

  /** Waits for `count` alerts (up to 5 s), then a little more so one too many would be seen. */
  async function waitForAlerts(count: number): Promise<void> {
    for (let waited = 0; webhook.requests.length < count && waited < 5000; waited += 25) await sleep(25);
    await sleep(300);
  }

  /** Long enough for an alert the last settlement sent to reach the webhook (they go out within milliseconds). */
  const noAlertExpected = () => sleep(600);

  /**
   * One $0.05 call on B, then a call on A that reserves about $0.81 (max_tokens 400) and is held
   * in flight while another $0.05 call settles on B: no alert (settled $0.10). Then the settled
   * spend crosses 50% and 80% and each alert goes out once, with that spend.
   */
  async function alertsFollowSettledSpend(nodeA: RunningGateway, nodeB: RunningGateway): Promise<void> {
    webhook.requests.length = 0;
    assert.equal(await call(nodeB, 'fast', 20), 200);
    const heldBefore = upstream.requests.length;
    const held = call(nodeA, 'slow', 400);
    for (let waited = 0; upstream.requests.length === heldBefore && waited < 5000; waited += 10) await sleep(10);
    assert.equal(await call(nodeB, 'fast', 20), 200);
    await noAlertExpected();
    assert.deepEqual(alerts(), [], 'no alert while $0.10 is spent and $0.81 only reserved');

    releaseSlow();
    assert.equal(await held, 200);
    await noAlertExpected();
    assert.deepEqual(alerts(), [], 'no alert at $0.15 spent');

    // Seven more calls: $0.50 spent, the 50% alert with that spend.
    for (let index = 0; index < 7; index++) assert.equal(await call(index % 2 === 0 ? nodeA : nodeB, 'fast', 20), 200);
    await waitForAlerts(1);
    assert.deepEqual(alerts(), [{ threshold_percent: 50, spent_usd: 0.5, limit_usd: 1 }]);

    // Six more: $0.80, the 80% alert.
    for (let index = 0; index < 6; index++) assert.equal(await call(index % 2 === 0 ? nodeA : nodeB, 'fast', 20), 200);
    await waitForAlerts(2);
    assert.deepEqual(alerts(), [
      { threshold_percent: 50, spent_usd: 0.5, limit_usd: 1 },
      { threshold_percent: 80, spent_usd: 0.8, limit_usd: 1 },
    ]);
  }

  it('memory counters: a reservation in flight sends no alert; the settled crossings do', async () => {
    const gateway = await startGateway(config('backend: memory'));
    try {
      await alertsFollowSettledSpend(gateway, gateway);
    } finally {
      await gateway.close();
    }
  });

  it('Redis counters shared by two nodes: the same, across nodes', { skip: !redisIsThere }, async () => {
    const storage = `sqlite:${join(directory, 'gateway.db')}`;
    const counters = `backend: redis
    redis_url: "${redisUrl}"
    key_prefix: "tollgate-test:${randomUUID()}:"`;
    const nodeA = await startGateway(config(counters), {}, { storage });
    const nodeB = await startGateway(config(counters), {}, { storage });
    try {
      await alertsFollowSettledSpend(nodeA, nodeB);
    } finally {
      await Promise.all([nodeA.close(), nodeB.close()]);
    }
  });
});
