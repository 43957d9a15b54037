import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { refusal } from '../../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

/** Groq's flex tier at capacity: "requests will fail quickly with status 498 and error capacity_exceeded" (console.groq.com/docs/flex-processing). */
const capacityExceeded = { error: { message: 'Flex tier capacity exceeded. This is a temporary error.', type: 'invalid_request_error', code: 'capacity_exceeded' } };

function answer(model: string): Record<string, unknown> {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: `Hello from ${model}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 } };
}

/** A 498 for every model named `flex-full…`, an answer for any other; the same server stands in for Groq and for a non-Groq server. */
function service(request: RecordedRequest, response: ServerResponse): void {
  const model = (request.json as { model: string }).model;
  const full = model.startsWith('flex-full');
  response.writeHead(full ? 498 : 200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(full ? capacityExceeded : answer(model)));
}

describe("Groq's 498 (flex tier capacity exceeded) is retried and falls back, as a 503", () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn(service);
    gateway = await startGateway(`
providers:
  groq: { type: groq, api_key: gsk-key, base_url: "${upstream.url}/groq" }
  groq-two: { type: groq, api_key: gsk-key, base_url: "${upstream.url}/groq-two" }
  other: { type: openai-compatible, base_url: "${upstream.url}/other" }
  backup: { type: openai-compatible, base_url: "${upstream.url}/backup" }
models:
  flex-first:
    strategy: priority
    targets:
      - { provider: groq, model: flex-full }
      - { provider: backup, model: backup-model }
  flex-only:
    strategy: priority
    targets:
      - { provider: groq, model: flex-full-a }
      - { provider: groq-two, model: flex-full-b }
  flex-primary: { targets: [{ provider: groq, model: flex-full-c }] }
  backup-group: { targets: [{ provider: backup, model: fallback-model }] }
  other-first:
    strategy: priority
    targets:
      - { provider: other, model: flex-full-d }
      - { provider: backup, model: backup-model }
routes:
  - match: { model: flex-primary }
    fallbacks: [backup-group]
`);
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it("a group fails over from Groq's 498 to its next target", async () => {
    const { data, response } = await client.chat.completions.create({ model: 'flex-first', messages: [{ role: 'user', content: 'hi' }], service_tier: 'flex' } as OpenAI.ChatCompletionCreateParamsNonStreaming).withResponse();
    assert.equal(data.choices[0].message.content, 'Hello from backup-model');
    assert.equal(response.headers.get('x-tollgate-attempts'), '2');
    assert.deepEqual(upstream.requests.map((request) => request.path), ['/groq/chat/completions', '/backup/chat/completions']);
  });

  it("a route falls back (fallback_on: retryable, the default) when its group's only target answers 498", async () => {
    const { data, response } = await client.chat.completions.create({ model: 'flex-primary', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(data.choices[0].message.content, 'Hello from fallback-model');
    assert.equal(response.headers.get('x-tollgate-attempts'), '2');
  });

  it('when every target answers 498, the client gets Groq\'s 498 with x-should-retry: false (the gateway has retried)', async () => {
    const error = await refusal(client.chat.completions.create({ model: 'flex-only', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(error.status, 498);
    assert.equal(error.code, 'capacity_exceeded');
    assert.equal(error.headers?.get('x-should-retry'), 'false');
    assert.equal(error.headers?.get('x-tollgate-attempts'), '2');
    assert.equal(upstream.requests.length, 2);
  });

  it('a 498 after a single attempt says x-should-retry: true, so the SDK retries it as it would a 503', async () => {
    const error = await refusal(client.chat.completions.create({ model: 'groq/flex-full', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(error.status, 498);
    assert.equal(error.headers?.get('x-should-retry'), 'true');
    upstream.requests.length = 0;
    const retrying = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 1 });
    await assert.rejects(retrying.chat.completions.create({ model: 'groq/flex-full', messages: [{ role: 'user', content: 'hi' }] }), (thrown: unknown) => thrown instanceof APIError && thrown.status === 498);
    assert.equal(upstream.requests.length, 2, 'the SDK retried once');
  });

  it("another server's 498 is not Groq's: returned as it is, no failover, no retry advice", async () => {
    const error = await refusal(client.chat.completions.create({ model: 'other-first', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(error.status, 498);
    assert.equal(error.headers?.get('x-should-retry'), null);
    assert.equal(error.headers?.get('x-tollgate-attempts'), '1');
    assert.deepEqual(upstream.requests.map((request) => request.path), ['/other/chat/completions']);
  });
});
