import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import type { StandIn } from '../helpers/stand-in-server.ts';
import { modelsCalled, pricedProviderConfig, startPricedStandIn } from './priced-stand-in.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];

/** An SDK fetch that records every HTTP answer the SDK saw (retries included). */
function recording(): { fetch: typeof fetch; answers: Array<{ status: number; headers: Headers }> } {
  const answers: Array<{ status: number; headers: Headers }> = [];
  return {
    answers,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      answers.push({ status: response.status, headers: response.headers });
      return response;
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof APIError, String(error));
    return error;
  }
  assert.fail('expected an error');
}

/**
 * What the official SDKs are told to do with a refusal (`x-should-retry`, `Retry-After`), seen
 * through the SDKs themselves: a refusal that clears within a minute is left to their retries,
 * one that cannot (a request larger than the whole limit, a Retry-After beyond a minute, a
 * failure the gateway already retried) makes them give up at once.
 */
describe('retry advice to the SDKs (x-should-retry, Retry-After)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startPricedStandIn();
    gw = await startGateway(`${pricedProviderConfig(upstream)}
routing: { retry: { backoff: { base: 10ms, max: 20ms }, retry_after_max: 1s } }
models:
  retried: { retry: { attempts: 2 }, targets: [{ provider: up, model: fails-500-retried }] }
plugins:
  rate-limit:
    limits:
      - { scope: "header:x-rps", requests: 1, per: second }
      - { scope: "header:x-tpm", tokens: 100, per: minute }
      - { scope: "header:x-usd", cost_usd: 0.01, per: month, name: "tiny budget" }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('leaves a short Retry-After to the SDK: it waits and its retry succeeds', async () => {
    const sdk = recording();
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 1, fetch: sdk.fetch, defaultHeaders: { 'x-rps': randomUUID() } });
    await client.chat.completions.create({ model: 'up/m1', max_tokens: 5, messages });
    await client.chat.completions.create({ model: 'up/m1', max_tokens: 5, messages });
    assert.deepEqual(sdk.answers.map((answer) => answer.status), [200, 429, 200], 'the SDK slept out the Retry-After and retried');
    const refusal = sdk.answers[1].headers;
    assert.ok(Number(refusal.get('retry-after')) >= 1 && Number(refusal.get('retry-after')) <= 2);
    assert.equal(refusal.get('x-should-retry'), null);
  });

  it('refuses a request larger than the whole token limit as never admissible: no Retry-After, x-should-retry: false, one attempt', async () => {
    const sdk = recording();
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', fetch: sdk.fetch, defaultHeaders: { 'x-tpm': randomUUID() } });
    const error = await failure(client.chat.completions.create({ model: 'up/m1', messages }));
    assert.equal(error.status, 429);
    assert.equal(sdk.answers.length, 1, 'the SDK (maxRetries 2 by default) did not retry');
    assert.equal(error.headers?.get('x-should-retry'), 'false');
    assert.equal(error.headers?.get('retry-after'), null, 'no wait would make it fit');
    const body = error.error as { code: string; message: string };
    assert.equal(body.code, 'rate_limit_exceeded');
    assert.match(body.message, /it needs 1032 tokens: about 8 prompt tokens and 1024 output tokens \(the request sets no max_tokens, so default_max_output_tokens is reserved\)\. That is more than the whole limit of 100 per minute, so it can never be admitted\./);
  });

  it('refuses embeddings larger than the whole token limit or budget speaking of their input only: no max_tokens, no output tokens', async () => {
    const input = Array.from({ length: 500 }, (_, index) => 1000 + index);
    const tokens = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0, defaultHeaders: { 'x-tpm': randomUUID() } });
    const overLimit = (await failure(tokens.embeddings.create({ model: 'up/m1', input }))).error as { message: string };
    assert.match(overLimit.message, /it needs 500 tokens: about 500 input tokens \(an embedding has no output tokens\)\. That is more than the whole limit of 100 per minute, so it can never be admitted\. Send fewer or shorter inputs\.$/);
    const budget = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0, defaultHeaders: { 'x-usd': randomUUID() } });
    const overBudget = (await failure(budget.embeddings.create({ model: 'up/m1', input }))).error as { message: string };
    assert.match(overBudget.message, /its estimated cost of \$0\.5 is more than the whole budget of \$0\.01, so it can never be admitted\. The estimate prices about 500 input tokens \(an embedding has no output tokens\) at the most expensive model that may serve it\. Send fewer or shorter inputs\.$/);
    for (const message of [overLimit.message, overBudget.message]) assert.doesNotMatch(message, /max_tokens|output tokens \(|prompt tokens/);
  });

  it("refuses a request whose estimate is more than the whole budget, and says it is the estimate, not a spend of $0", async () => {
    const sdk = recording();
    const client = new Anthropic({ baseURL: gw.url, apiKey: 'unused', fetch: sdk.fetch, defaultHeaders: { 'x-usd': randomUUID() } });
    try {
      await client.messages.create({ model: 'up/m1', max_tokens: 1000, messages });
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof Anthropic.RateLimitError, String(error));
      assert.equal(error.headers?.get('x-should-retry'), 'false');
      assert.equal(error.headers?.get('retry-after'), null);
      const message = (error.error as { error: { message: string } }).error.message;
      assert.match(message, /tiny budget\): its estimated cost of \$2\.008 is more than the whole budget of \$0\.01, so it can never be admitted\. The estimate prices about 8 prompt tokens and 1000 output tokens \(its max_tokens\)/);
      assert.doesNotMatch(message, /spent \$0 of/);
    }
    assert.equal(sdk.answers.length, 1, 'the Anthropic SDK did not retry');
  });

  it('tells the SDK not to retry a provider failure the gateway already retried (3 attempts upstream, 1 SDK call)', async () => {
    const sdk = recording();
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', fetch: sdk.fetch });
    const from = upstream.requests.length;
    const error = await failure(client.chat.completions.create({ model: 'retried', max_tokens: 5, messages }));
    assert.equal(error.status, 500);
    assert.equal(error.headers?.get('x-tollgate-attempts'), '3');
    assert.equal(error.headers?.get('x-should-retry'), 'false');
    assert.equal(sdk.answers.length, 1);
    assert.equal(modelsCalled(upstream, from).length, 3, 'not 3 × 3');
  });

  it("leaves a provider failure the gateway tried once to the SDK's own retries", async () => {
    const sdk = recording();
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 1, fetch: sdk.fetch });
    const error = await failure(client.chat.completions.create({ model: 'up/fails-500-once', max_tokens: 5, messages }));
    assert.equal(error.status, 500);
    assert.equal(sdk.answers[0].headers.get('x-tollgate-attempts'), '1');
    assert.equal(sdk.answers[0].headers.get('x-should-retry'), null);
    assert.equal(sdk.answers.length, 2, 'the SDK retried once, as configured');
  });

  it("passes a provider's long Retry-After on honestly, with x-should-retry: false; a short one without", async () => {
    const sdk = recording();
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', fetch: sdk.fetch });
    const started = Date.now();
    const error = await failure(client.chat.completions.create({ model: 'up/limited-120', max_tokens: 5, messages }));
    assert.equal(error.status, 429);
    assert.equal(error.headers?.get('retry-after'), '120');
    assert.equal(error.headers?.get('x-should-retry'), 'false');
    assert.equal(sdk.answers.length, 1);
    assert.ok(Date.now() - started < 2000);
    const short = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'up/limited-2', max_tokens: 5, messages }) });
    await short.arrayBuffer();
    assert.equal(short.status, 429);
    assert.equal(short.headers.get('retry-after'), '2');
    assert.equal(short.headers.get('x-should-retry'), null, 'two seconds is worth the SDK waiting');
  });
});
