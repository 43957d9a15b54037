import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import OpenAI, { RateLimitError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

describe('a hard budget through the real gateway, under concurrency', () => {
  let webhook: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  before(async () => {
    webhook = await startStandIn((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    // $1,000 per million tokens makes each echo request cost about a cent.
    gw = await startGateway(`
pricing:
  echo: { "*": { input: 1000, output: 1000 } }
plugins:
  rate-limit:
    webhook_url: "${webhook.url}/alerts"
    limits:
      - { scope: global, cost_usd: 0.5, per: month, name: "monthly budget", alerts: [50, 80, 100] }
`);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await webhook.close();
  });

  it('never spends more than the budget (actual usage at or under the reservation), names the budget when it blocks, and alerts once per threshold', async () => {
    let spent = 0;
    let rejections = 0;
    const one = async (index: number): Promise<void> => {
      try {
        const { response } = await client.chat.completions.create({ model: 'echo/x', max_tokens: 20, messages: [{ role: 'user', content: `five words in request ${index}` }] }).withResponse();
        spent += Number(response.headers.get('x-tollgate-cost-usd'));
      } catch (error) {
        assert.ok(error instanceof RateLimitError, String(error));
        const body = error.error as { code: string; message: string };
        assert.equal(body.code, 'budget_exceeded');
        assert.match(body.message, /monthly budget/);
        assert.ok(Number(error.headers?.get('retry-after')) >= 1);
        rejections++;
      }
    };
    for (let burst = 0; burst < 6; burst++) await Promise.all(Array.from({ length: 25 }, (_, index) => one(burst * 25 + index)));
    assert.ok(rejections > 0, 'the budget ran out');
    assert.ok(spent <= 0.5 + 1e-9, `spent $${spent}`);
    assert.ok(spent > 0.4, `most of the budget was usable ($${spent})`);
    // The alerts go out after the answers: wait for as many as the spending crossed (up to 5 s).
    const expected = spent >= 0.5 - 1e-9 ? 3 : 2;
    for (let waited = 0; webhook.requests.length < expected && waited < 5000; waited += 25) await sleep(25);
    await sleep(100);
    const alerts = webhook.requests.map((request) => request.json as { type: string; threshold_percent: number; budget: string; limit_usd: number });
    assert.ok(alerts.every((alert) => alert.type === 'budget_alert' && alert.budget === 'monthly budget' && alert.limit_usd === 0.5));
    const thresholds = alerts.map((alert) => alert.threshold_percent).sort((left, right) => left - right);
    assert.deepEqual(thresholds, spent >= 0.5 - 1e-9 ? [50, 80, 100] : [50, 80], 'each threshold once');
  });
});
