import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { isQuotaExhausted, retryAfterMs } from '../../src/routing/retry-policy.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// OpenAI's 429 `insufficient_quota` ("You exceeded your current quota, please check your plan and
// billing details"): the account is out of credit and no wait fixes it (audit openai2, finding 2).
// It was handled as a short rate limit: no `x-should-retry: false` after a single attempt (the
// SDK sent it 3 times) and a 1 s cooldown (the exhausted account was tried first again at once).
const quotaBody = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } };
const rateLimitBody = { error: { message: 'Rate limit reached for gpt-5 on tokens per min (TPM).', type: 'tokens', param: null, code: 'rate_limit_exceeded' } };

function completion(model: string) {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hi', refusal: null }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } };
}

/** An OpenAI account: out of credit (insufficient_quota), rate-limited without Retry-After, or serving. */
interface Account {
  standIn: StandIn;
  hits: number;
  answer: 'quota' | 'rate' | 'ok';
}

async function account(answer: Account['answer']): Promise<Account> {
  const state = { hits: 0, answer } as Account;
  state.standIn = await startStandIn((request, response) => {
    state.hits++;
    const model = (request.json as { model: string }).model;
    if (state.answer === 'ok') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion(model)));
      return;
    }
    response.writeHead(429, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
    response.end(JSON.stringify(state.answer === 'quota' ? quotaBody : rateLimitBody));
  });
  return state;
}

async function post(baseURL: string, model: string): Promise<{ status: number; headers: Headers; body: { error?: { code?: string; type?: string } } }> {
  const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer client-key' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { error?: { code?: string; type?: string } } };
}

describe('insufficient_quota is a refusal no wait can fix', () => {
  let gateway: RunningGateway;
  let exhausted: Account;
  let spare: Account;
  let limited: Account;

  before(async () => {
    [exhausted, spare, limited] = await Promise.all([account('quota'), account('ok'), account('rate')]);
    gateway = await startGateway(`
providers:
  acct_a: { type: openai, api_key: sk-a, base_url: "${exhausted.standIn.url}/v1" }
  acct_b: { type: openai, api_key: sk-b, base_url: "${spare.standIn.url}/v1" }
  acct_c: { type: openai, api_key: sk-c, base_url: "${limited.standIn.url}/v1" }
models:
  solo:    { targets: [{ provider: acct_a, model: gpt-5 }] }
  pair:    { strategy: priority, targets: [{ provider: acct_a, model: gpt-5 }, { provider: acct_b, model: gpt-5 }] }
  limited: { targets: [{ provider: acct_c, model: gpt-5 }] }
`);
  });
  after(async () => {
    await gateway.close();
    await Promise.all([exhausted, spare, limited].map((upstream) => upstream.standIn.close()));
  });

  it('one target: the 429 goes back as sent with x-should-retry: false and no Retry-After, so the SDK does not retry it', async () => {
    exhausted.hits = 0;
    const answer = await post(gateway.baseURL, 'solo');
    assert.equal(answer.status, 429);
    assert.equal(answer.body.error?.code, 'insufficient_quota');
    assert.equal(answer.body.error?.type, 'insufficient_quota');
    assert.equal(answer.headers.get('x-should-retry'), 'false');
    assert.equal(answer.headers.get('retry-after'), null);
    assert.equal(answer.headers.get('x-tollgate-attempts'), '1');
    // The official SDK with its default retries: one upstream call, not three.
    exhausted.hits = 0;
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 2 });
    await assert.rejects(client.chat.completions.create({ model: 'solo', messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof OpenAI.RateLimitError && error.code === 'insufficient_quota');
    assert.equal(exhausted.hits, 1);
  });

  it('a group of two: fails over, then the exhausted target rests for minutes, not 1 s', async () => {
    exhausted.hits = 0;
    spare.hits = 0;
    // The solo group's refusals already rest acct_a's gpt-5 (a target's health is shared by every
    // group that names it), so this group goes straight to acct_b; without them it fails over.
    const first = await post(gateway.baseURL, 'pair');
    assert.equal(first.status, 200);
    assert.equal(spare.hits, 1);
    // Past the 1 s a rate limit without Retry-After rests a target, acct_a is still left out.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const second = await post(gateway.baseURL, 'pair');
    assert.equal(second.status, 200);
    assert.equal(second.headers.get('x-tollgate-attempts'), '1');
    assert.equal(exhausted.hits, 0);
    assert.equal(spare.hits, 2);
  });

  it('a plain rate limit without Retry-After after one attempt is still left to the SDK', async () => {
    const answer = await post(gateway.baseURL, 'limited');
    assert.equal(answer.status, 429);
    assert.equal(answer.body.error?.code, 'rate_limit_exceeded');
    assert.equal(answer.headers.get('x-should-retry'), null);
  });
});

describe('insufficient_quota in a fresh group of two', () => {
  let gateway: RunningGateway;
  let exhausted: Account;
  let spare: Account;

  before(async () => {
    [exhausted, spare] = await Promise.all([account('quota'), account('ok')]);
    gateway = await startGateway(`
providers:
  acct_a: { type: openai, api_key: sk-a, base_url: "${exhausted.standIn.url}/v1" }
  acct_b: { type: openai, api_key: sk-b, base_url: "${spare.standIn.url}/v1" }
models:
  pair: { strategy: priority, targets: [{ provider: acct_a, model: gpt-5 }, { provider: acct_b, model: gpt-5 }] }
`);
  });
  after(async () => {
    await gateway.close();
    await Promise.all([exhausted, spare].map((upstream) => upstream.standIn.close()));
  });

  it('fails over to the other account, then keeps sending the next requests there first', async () => {
    const first = await post(gateway.baseURL, 'pair');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-tollgate-attempts'), '2');
    assert.equal(exhausted.hits, 1);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    for (let request = 0; request < 3; request++) {
      const next = await post(gateway.baseURL, 'pair');
      assert.equal(next.status, 200);
      assert.equal(next.headers.get('x-tollgate-attempts'), '1');
    }
    assert.equal(exhausted.hits, 1);
    assert.equal(spare.hits, 4);
  });
});

describe('which refusals are an account out of credit', () => {
  const upstreamError = (type: string, code: string, status = 429) => new GatewayError({ status, type: type as never, code, message: 'm', upstream: true, headers: { 'retry-after': '2' } });
  it("OpenAI's insufficient_quota and billing_hard_limit_reached, whatever Retry-After says; not Bedrock's ServiceQuotaExceededException (a rate limit)", () => {
    assert.equal(isQuotaExhausted(upstreamError('insufficient_quota', 'insufficient_quota')), true);
    assert.equal(retryAfterMs(upstreamError('insufficient_quota', 'insufficient_quota')), Infinity);
    assert.equal(isQuotaExhausted(upstreamError('invalid_request_error', 'billing_hard_limit_reached', 400)), true);
    assert.equal(isQuotaExhausted(upstreamError('rate_limit_error', 'insufficient_quota')), false);
    assert.equal(retryAfterMs(upstreamError('rate_limit_error', 'insufficient_quota')), 2000);
    assert.equal(isQuotaExhausted(upstreamError('tokens', 'rate_limit_exceeded')), false);
  });
});
