import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1700000000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from upstream', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
  system_fingerprint: 'fp_1',
};

function chunk(delta: object, finish: string | null = null, usage: object | null = null) {
  return { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', system_fingerprint: 'fp_1', choices: usage ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage };
}

const streamEvents = [
  chunk({ role: 'assistant', content: '', refusal: null }),
  chunk({ content: 'Hel' }),
  chunk({ content: 'lo ✓' }),
  chunk({}, 'stop'),
  chunk({}, null, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }),
  '[DONE]',
];

describe('OpenAI-compatible passthrough (zero-config OPENAI_API_KEY / OPENAI_BASE_URL)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { stream?: boolean; model?: string };
      if (request.path === '/v1/embeddings') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 2, total_tokens: 2 } }));
        return;
      }
      if (body.stream) {
        // As OpenAI does: the usage chunk only when stream_options.include_usage is set.
        const wantsUsage = (body as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage === true;
        response.writeHead(200, { 'content-type': 'text/event-stream', 'x-ratelimit-remaining-requests': '99' });
        response.end(sseBody(wantsUsage ? streamEvents : streamEvents.filter((event) => typeof event === 'string' || event.choices.length > 0)));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining-requests': '99', 'openai-processing-ms': '12', 'x-request-id': 'req_upstream123', 'openai-organization': 'org-operator', 'openai-project': 'proj_operator' });
      response.end(JSON.stringify(completion));
    });
    gw = await startGateway('{}', { OPENAI_API_KEY: 'sk-configured-secret', OPENAI_BASE_URL: `${upstream.url}/v1` });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('forwards openai/<model> with the configured key and the provider model name', async () => {
    const result = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 });
    assert.equal(result.choices[0].message.content, 'Hello from upstream');
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, 'Bearer sk-configured-secret');
    assert.deepEqual(sent.json, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 });
  });

  it('passes provider headers on and keeps the body byte for byte', async () => {
    const clientBody = '{ "messages": [{"role":"user","content":"x"}],\n  "model": "openai/gpt-4o-mini", "temperature": 1.0 }';
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: clientBody });
    assert.equal(response.status, 200);
    assert.equal(upstream.requests[0].body, clientBody.replace('openai/gpt-4o-mini', 'gpt-4o-mini'), 'the client bytes, only the model edited');
    assert.equal(response.headers.get('x-ratelimit-remaining-requests'), '99');
    assert.equal(response.headers.get('openai-processing-ms'), '12');
    assert.equal(response.headers.get('x-tollgate-model'), 'gpt-4o-mini');
    // The provider's id of the call beside the gateway's; the operator's account ids stay behind.
    assert.equal(response.headers.get('x-upstream-request-id'), 'req_upstream123');
    assert.notEqual(response.headers.get('x-request-id'), 'req_upstream123');
    assert.equal(response.headers.get('openai-organization'), null);
    assert.equal(response.headers.get('openai-project'), null);
    assert.equal(await response.text(), JSON.stringify(completion));
  });

  it('streams the upstream events through unchanged, [DONE] included', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] }) });
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(await response.text(), sseBody(streamEvents));
  });

  it('asks the provider for stream usage the client did not ask for, and hides that chunk and the null usage members from the client', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }] }) });
    const withoutUsage = streamEvents.filter((event) => typeof event === 'string' || event.choices.length > 0).map((event) => (typeof event === 'string' ? event : { ...event, usage: undefined }));
    assert.equal(await response.text(), sseBody(withoutUsage));
    assert.deepEqual((upstream.requests[0].json as { stream_options: unknown }).stream_options, { include_usage: true });
  });

  it('streams to the openai SDK', async () => {
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] });
    let text = '';
    let usage = 0;
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? '';
      usage += part.usage?.total_tokens ?? 0;
    }
    assert.equal(text, 'Hello ✓');
    assert.equal(usage, 8);
  });

  it('forwards embeddings', async () => {
    const result = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'abc', encoding_format: 'float' });
    assert.deepEqual(result.data[0].embedding, [0.1, 0.2]);
    assert.equal(upstream.requests[0].path, '/v1/embeddings');
  });

  it('lists no provider models it was not told about, and 404s unknown names', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) });
    assert.equal(response.status, 404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'model_not_found');
    assert.match(body.error.message, /GET \/v1\/models/);
    assert.equal(upstream.requests.length, 0);
  });
});

describe('BYOK and named OpenAI-compatible providers', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion));
    });
    gw = await startGateway(`
providers:
  byok-provider: { type: openai-compatible, base_url: "${upstream.url}/v1", byok: true, api_key: "sk-server" }
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [llama-3.1-8b] }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it("uses the client's own key when the provider allows BYOK", async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'sk-client-own', maxRetries: 0 });
    await client.chat.completions.create({ model: 'byok-provider/m', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(upstream.requests.at(-1)?.headers.authorization, 'Bearer sk-client-own');
  });

  it('never forwards the client key to a provider without BYOK', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'sk-client-own', maxRetries: 0 });
    await client.chat.completions.create({ model: 'llama-3.1-8b', messages: [{ role: 'user', content: 'x' }] });
    const sent = upstream.requests.at(-1);
    assert.equal(sent?.headers.authorization, undefined);
    assert.equal((sent?.json as { model: string }).model, 'llama-3.1-8b');
  });
});
