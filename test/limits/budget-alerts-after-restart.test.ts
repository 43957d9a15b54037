import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { startGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// A budget counter seeded from the ledger after a restart (memory backend) counts the thresholds
// its seeded spend already passed as alerted for the period: the webhook does not get them twice.
// Thresholds crossed after the restart are still sent.

// 10 prompt and 20 completion tokens at 1000 / 2000 USD per million: 0.05 a call, 25% of 0.20.
const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };

describe('budget alerts across a restart (memory counters, spend from the ledger)', () => {
  let upstream: StandIn;
  let webhook: StandIn;
  let directory: string;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-alert-restart-'));
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
    await Promise.all([upstream.close(), webhook.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  const config = () => `
providers:
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m] }
pricing:
  local: { "*": { input: 1000, output: 2000 } }
plugins:
  key-auth: { keys: [{ key: sk-alert-test-key-0001, consumer: app }] }
  rate-limit:
    webhook_url: "${webhook.url}/alerts"
    limits: [{ scope: consumer, cost_usd: 0.2, per: day, name: daily, alerts: [50, 80, 100] }]
`;

  const thresholds = () => webhook.requests.map((request) => (request.json as { threshold_percent: number }).threshold_percent);

  async function waitForAlerts(count: number): Promise<void> {
    for (let waited = 0; webhook.requests.length < count && waited < 5000; waited += 25) await sleep(25);
    await sleep(200);
  }

  it('sends 50% before the restart, then 80% and 100% after it, never 50% again', async () => {
    const storage = `sqlite:${join(directory, 'gateway.db')}`;
    let gateway = await startGateway(config(), {}, { storage });
    let client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'sk-alert-test-key-0001', maxRetries: 0 });
    const call = () => client.chat.completions.create({ model: 'local/m', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
    try {
      // 0.15 of 0.20: 75%, past 50 only.
      for (let index = 0; index < 3; index++) await call();
      await waitForAlerts(1);
      assert.deepEqual(thresholds(), [50]);
    } finally {
      await gateway.close();
    }

    gateway = await startGateway(config(), {}, { storage });
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'sk-alert-test-key-0001', maxRetries: 0 });
    try {
      // The counter starts from the ledger's 0.15; this call brings it to 0.20: 80% and 100%.
      await call();
      await waitForAlerts(3);
      assert.deepEqual(thresholds().sort((left, right) => left - right), [50, 80, 100]);
    } finally {
      await gateway.close();
    }
  });
});
