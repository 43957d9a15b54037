import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { RateLimitError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import type { StandIn } from '../helpers/stand-in-server.ts';
import { modelsCalled, pricedProviderConfig, startPricedStandIn } from './priced-stand-in.ts';
import { redisAvailable, redisUrl } from './redis-service.ts';

const adminToken = 'admin-token-for-budget-tests';
const withRedis = await redisAvailable();
const messages = [{ role: 'user' as const, content: 'hi' }];

async function admin<T>(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

async function newKey(gw: RunningGateway, fields: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const consumer = `budget-${randomUUID()}`;
  await admin(gw, 'POST', '/consumers', { name: consumer });
  return admin(gw, 'POST', '/keys', { consumer, ...fields });
}

async function spentBy(gw: RunningGateway, keyId: string): Promise<{ cost_usd: number; requests: number }> {
  return (await admin<{ totals: { cost_usd: number; requests: number } }>(gw, 'GET', `/usage?key=${keyId}`)).totals;
}

/** The SDK's HTTP calls: one per attempt, retries included. */
function counting(): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls++;
      return fetch(input, init);
    },
    calls: () => calls,
  };
}

async function refusal(promise: Promise<unknown>): Promise<RateLimitError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RateLimitError, String(error));
    return error;
  }
  assert.fail('expected a RateLimitError');
}

const routing = `
models:
  smart: { targets: [{ provider: up, model: m1 }] }
  pair: { strategy: priority, targets: [{ provider: up, model: fails-500 }, { provider: up, model: m2 }] }
routes:
  - name: guarded
    match: { model: guarded }
    model: smart
`;

describe('budgets for requests that name an alias, a model group or a route (each call costs $0.02)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startPricedStandIn();
    gw = await startGateway(`${pricedProviderConfig(upstream)}${routing}
admin: { tokens: [{ token: ${adminToken}, role: admin }] }
plugins:
  key-auth: {}
  rate-limit:
    limits:
      - { scope: "header:x-budget", cost_usd: 0.05, per: day, name: "team budget" }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it("charges a key's budget what an alias and a route cost, and refuses once the next call does not fit, at once (no SDK retry)", async () => {
    const key = await newKey(gw, { budget: { max_usd: 0.05, period: 'day' } });
    const sdk = counting();
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: key.key, fetch: sdk.fetch });
    for (const model of ['smart', 'guarded']) {
      const { response } = await client.chat.completions.create({ model, max_tokens: 5, messages }).withResponse();
      assert.equal(response.headers.get('x-tollgate-cost-usd'), '0.02');
    }
    const calledBefore = upstream.requests.length;
    const started = Date.now();
    const error = await refusal(client.chat.completions.create({ model: 'smart', max_tokens: 5, messages }));
    assert.ok(Date.now() - started < 2000, 'the SDK did not sleep until the budget resets');
    assert.equal(sdk.calls(), 3, 'two answers and one refusal: the SDK did not retry');
    assert.equal(upstream.requests.length, calledBefore, 'the provider was not called');
    const body = error.error as { code: string; message: string };
    assert.equal(body.code, 'budget_exceeded');
    assert.match(body.message, /^Budget nearly spent for key '.+': budget of \$0\.05 per day \(spent \$0\.04 of \$0\.05 this day\); this request's estimated cost of \$0\.018 is more than the \$0\.01 left\. The estimate prices about 8 prompt tokens and 5 output tokens \(its max_tokens\)/);
    const retryAfter = Number(error.headers?.get('retry-after'));
    const untilMidnight = (Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) - Date.now()) / 1000;
    assert.ok(Math.abs(retryAfter - untilMidnight) < 5, `Retry-After ${retryAfter} s is the time until the daily budget resets (${untilMidnight} s)`);
    assert.equal(error.headers?.get('x-should-retry'), retryAfter > 60 ? 'false' : null);

    // The spend made through names was charged: a provider/model request on the same key is refused too.
    const direct = await refusal(client.chat.completions.create({ model: 'up/m1', max_tokens: 5, messages }));
    assert.equal((direct.error as { code: string }).code, 'budget_exceeded');
    const spent = await spentBy(gw, key.id);
    assert.ok(Math.abs(spent.cost_usd - 0.04) < 1e-9, `the ledger and the budget agree: $${spent.cost_usd}`);
  });

  it('charges a config budget once per streamed call through a group, failover included, at the price of the target that served', async () => {
    const key = await newKey(gw);
    const budget = { 'x-budget': `team-${randomUUID()}` };
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: key.key, maxRetries: 0, defaultHeaders: budget });
    const from = upstream.requests.length;
    for (let call = 0; call < 2; call++) {
      const stream = await client.chat.completions.create({ model: 'pair', max_tokens: 5, stream: true, messages });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      assert.equal(text, 'one two three four five');
    }
    const called = modelsCalled(upstream, from);
    assert.equal(called.filter((model) => model === 'm2').length, 2, `each call was served by the second target (${called.join(', ')})`);
    const error = await refusal(client.chat.completions.create({ model: 'pair', max_tokens: 5, stream: true, messages }));
    assert.match((error.error as { message: string }).message, /team budget \(spent \$0\.04 of \$0\.05 this day\)/, 'each call counted once ($0.02), not per attempt');
    const spent = await spentBy(gw, key.id);
    assert.ok(Math.abs(spent.cost_usd - 0.04) < 1e-9, `ledger: $${spent.cost_usd}`);
  });

  it('refuses an Anthropic-format call the same way, and the Anthropic SDK does not sleep on it', async () => {
    const key = await newKey(gw, { budget: { max_usd: 0.03, period: 'day' } });
    const sdk = counting();
    const client = new Anthropic({ baseURL: gw.url, apiKey: key.key, fetch: sdk.fetch });
    await client.messages.create({ model: 'smart', max_tokens: 5, messages });
    const started = Date.now();
    try {
      await client.messages.create({ model: 'smart', max_tokens: 5, messages });
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof Anthropic.RateLimitError, String(error));
      assert.equal((error.error as { error: { type: string } }).error.type, 'rate_limit_error');
    }
    assert.ok(Date.now() - started < 2000);
    assert.equal(sdk.calls(), 2, 'one answer and one refusal');
  });
});

describe('an alias budget shared by two gateways through Redis', { skip: !withRedis }, () => {
  let upstream: StandIn;
  const nodes: RunningGateway[] = [];
  before(async () => {
    upstream = await startPricedStandIn();
    const config = `${pricedProviderConfig(upstream)}${routing}
redis: "${redisUrl}"
plugins:
  rate-limit:
    key_prefix: "tollgate-test:${randomUUID()}:"
    limits:
      - { scope: global, cost_usd: 0.05, per: day }
`;
    nodes.push(await startGateway(config), await startGateway(config));
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await upstream.close();
  });

  it('counts what each node spent through the alias: $0.02 + $0.02 admitted, the third call refused', async () => {
    const statuses: number[] = [];
    for (let call = 0; call < 3; call++) {
      const response = await fetch(`${nodes[call % 2].baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'smart', max_tokens: 5, messages }) });
      statuses.push(response.status);
      await response.arrayBuffer();
      // The log phase charges Redis after the answer: let it land before the next node reads.
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});
