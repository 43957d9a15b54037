import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatChunk, chatCompletion } from '../helpers/openai-bodies.ts';

// The operator's account limits as OpenAI reports them on every answer.
const providerLimits = {
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-limit-tokens': '2000000',
  'x-ratelimit-remaining-tokens': '1999990',
  'x-ratelimit-reset-tokens': '0s',
};

const completion = chatCompletion('gpt-4o-mini', 'hi', { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 });
const chunk = (delta: object, finish: string | null = null) => chatChunk('gpt-4o-mini', delta, finish);

describe('x-ratelimit-* headers come from one source: the gateway when it limits the caller, else the provider', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      if ((request.json as { model?: string }).model?.endsWith('-429')) {
        // OpenAI's (and Azure's, Groq's) 429: the account's limits come with it, remaining 0.
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2', ...providerLimits, 'x-ratelimit-remaining-requests': '0' });
        response.end(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } }));
        return;
      }
      if ((request.json as { stream?: boolean }).stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream', ...providerLimits });
        response.end(sseBody([chunk({ role: 'assistant', content: 'hi' }), chunk({}, 'stop'), '[DONE]']));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', ...providerLimits });
      response.end(JSON.stringify(completion));
    });
    gw = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1" }
routes:
  - name: limited
    match: { model: "up/limited*" }
    plugins:
      rate-limit:
        limits:
          - { scope: global, requests: 50, per: minute }
`);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it("a provider's 429 keeps its x-ratelimit-* (remaining 0): a client pacing itself needs them most there", async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'up/gpt-4o-mini-429', messages: [{ role: 'user', content: 'hello' }] }) });
    assert.equal(response.status, 429);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'rate_limit_exceeded');
    for (const [name, value] of Object.entries({ ...providerLimits, 'x-ratelimit-remaining-requests': '0' })) assert.equal(response.headers.get(name), value, name);
  });

  it("with a gateway limit, a provider's 429 carries its x-ratelimit-* under x-upstream-ratelimit-*, the gateway's trio as x-ratelimit-*", async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'up/limited-429', messages: [{ role: 'user', content: 'hello' }] }) });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('x-ratelimit-limit-requests'), '50');
    assert.equal(response.headers.get('x-ratelimit-limit-tokens'), null);
    for (const [name, value] of Object.entries({ ...providerLimits, 'x-ratelimit-remaining-requests': '0' })) assert.equal(response.headers.get(name.replace('x-ratelimit-', 'x-upstream-ratelimit-')), value, name);
  });

  for (const stream of [false, true]) {
    const kind = stream ? 'a stream' : 'a JSON answer';

    it(`with a gateway limit, ${kind} carries the gateway's requests trio and the provider's under x-upstream-ratelimit-*`, async () => {
      const { response } = await client.chat.completions.create({ model: 'up/limited', messages: [{ role: 'user', content: 'hello' }], stream }).withResponse();
      const headers = response.headers;
      assert.equal(headers.get('x-ratelimit-limit-requests'), '50');
      assert.ok(Number(headers.get('x-ratelimit-remaining-requests')) < 50);
      assert.match(headers.get('x-ratelimit-reset-requests') ?? '', /s$/);
      // No tokens trio of the provider's beside the gateway's requests trio.
      assert.equal(headers.get('x-ratelimit-limit-tokens'), null);
      assert.equal(headers.get('x-ratelimit-remaining-tokens'), null);
      for (const [name, value] of Object.entries(providerLimits)) assert.equal(headers.get(name.replace('x-ratelimit-', 'x-upstream-ratelimit-')), value, name);
    });

    it(`without a gateway limit, ${kind} carries the provider's x-ratelimit-* as it sent them`, async () => {
      const { response } = await client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], stream }).withResponse();
      for (const [name, value] of Object.entries(providerLimits)) assert.equal(response.headers.get(name), value, name);
      assert.equal(response.headers.get('x-upstream-ratelimit-limit-requests'), null);
    });
  }
});
