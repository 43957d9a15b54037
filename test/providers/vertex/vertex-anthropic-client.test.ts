import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { replyInPieces, replyWhole } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { fixtureBytes as geminiFixture } from '../gemini/fixtures.ts';
import { readFixture as anthropicFixture, readJsonFixture as anthropicJsonFixture } from '../anthropic/run-stream-fixture.ts';
import { GoogleStandIn, serviceAccountFile, vertexFixture } from './google-stand-in.ts';

const claude = 'vertex/claude-sonnet-4-5@20250929';
const rawPredictPath = '/v1/projects/my-project/locations/europe-west1/publishers/anthropic/models/claude-sonnet-4-5@20250929';

describe('Anthropic Messages API clients (official @anthropic-ai/sdk) through the gateway to Claude on Vertex', () => {
  const google = new GoogleStandIn();
  let client: Anthropic;
  let close: () => Promise<void>;
  let started: Awaited<ReturnType<typeof startProviderGateway>>;

  before(async () => {
    // Anthropic's own Vertex SDK variables: CLOUD_ML_REGION and ANTHROPIC_VERTEX_PROJECT_ID.
    started = await startProviderGateway(google.handler, (url) => ({
      env: { GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(`${url}/token`), ANTHROPIC_VERTEX_PROJECT_ID: 'my-project', CLOUD_ML_REGION: 'europe-west1', VERTEX_BASE_URL: url },
    }));
    close = started.close;
    client = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => google.reset());
  after(() => close());

  it('a message: rawPredict gets the client body without model, with anthropic_version; the answer bytes come back as Vertex sent them', async () => {
    const fixture = anthropicJsonFixture<{ anthropic: Record<string, unknown> }>('responses/text.json').anthropic;
    const sentBytes = JSON.stringify(fixture);
    google.reply = replyWhole(200, { 'content-type': 'application/json' }, () => sentBytes);
    const { data: message, response } = await client.messages
      .create({ model: claude, max_tokens: 200, system: [{ type: 'text', text: 'A long, stable system prompt.', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    const [request] = google.vertexRequests();
    assert.equal(request.path, `${rawPredictPath}:rawPredict`);
    assert.equal(request.headers.authorization, `Bearer ${google.issued[0]}`);
    assert.deepEqual(request.json, {
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 200,
      system: [{ type: 'text', text: 'A long, stable system prompt.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    assert.ok(!JSON.stringify(request.headers).includes('client-key'));
    assert.deepEqual(message, fixture, 'passed through: cache usage fields and all');
    assert.equal(response.status, 200);
  });

  it("the client's bytes reach Vertex with only the model taken out and anthropic_version put in: big integers and number spellings as written", async () => {
    google.reply = replyWhole(200, { 'content-type': 'application/json' }, () => JSON.stringify(anthropicJsonFixture<{ anthropic: Record<string, unknown> }>('responses/text.json').anthropic));
    const rest = `"max_tokens": 1e2, "temperature": 1.0, "messages": [{"role":"user","content":"Hi"}], "big": 12345678901234567891`;
    for (const [raw, expected] of [
      [`{"model": "${claude}", ${rest}}`, `{"anthropic_version":"vertex-2023-10-16",${rest}}`],
      [`{${rest}, "model": "${claude}" }`, `{"anthropic_version":"vertex-2023-10-16",${rest} }`],
    ]) {
      google.reset();
      const response = await fetch(`${started.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
      assert.equal(response.status, 200);
      assert.equal(google.vertexRequests()[0].body, expected);
    }
  });

  it('a stream: streamRawPredict, the events forwarded as they came; betas go up as anthropic-beta', async () => {
    google.reply = replyInPieces({ 'content-type': 'text/event-stream; charset=utf-8' }, () => anthropicFixture('streams/tool-use.sse'), 13);
    const stream = client.messages.stream(
      { model: claude, max_tokens: 300, messages: [{ role: 'user', content: 'Weather?' }], tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }] },
      { headers: { 'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14' } },
    );
    const final = await stream.finalMessage();
    const [request] = google.vertexRequests();
    assert.equal(request.path, `${rawPredictPath}:streamRawPredict`);
    assert.equal(request.headers['anthropic-beta'], 'fine-grained-tool-streaming-2025-05-14');
    assert.equal((request.json as { stream?: boolean; model?: string }).stream, true);
    assert.equal((request.json as { model?: string }).model, undefined);
    assert.equal(final.stop_reason, 'tool_use');
    assert.deepEqual(
      final.content.filter((block) => block.type === 'tool_use').map((block) => [block.name, block.input]),
      [
        ['get_weather', { location: 'San Francisco, CA' }],
        ['get_weather', { location: 'Paris' }],
        ['get_time', {}],
      ],
    );
  });

  it("Vertex's 429 reaches the client as Anthropic's rate_limit_error with Retry-After", async () => {
    google.reply = replyWhole(429, { 'content-type': 'application/json', 'retry-after': '7' }, () => vertexFixture('error-429-resource-exhausted.json'));
    await assert.rejects(client.messages.create({ model: claude, max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 429);
      assert.equal((error.error as { error?: { type?: string } }).error?.type, 'rate_limit_error');
      assert.equal(error.headers?.get('retry-after'), '7');
      return true;
    });
  });

  it("Claude's 529 overloaded_error through Vertex stays 529 for an Anthropic client (the SDK's OverloadedError), its body as sent", async () => {
    const body = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_vrtx_529"}';
    google.reply = replyWhole(529, { 'content-type': 'application/json' }, () => body);
    await assert.rejects(client.messages.create({ model: claude, max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.OverloadedError, String(error));
      assert.equal(error.status, 529);
      assert.equal((error.error as { request_id?: string }).request_id, 'req_vrtx_529');
      return true;
    });
  });

  it('a Gemini model on the same provider is translated for an Anthropic client', async () => {
    google.reply = replyWhole(200, { 'content-type': 'application/json; charset=UTF-8' }, () => geminiFixture('generate-text.json'));
    const message = await client.messages.create({ model: 'vertex/gemini-2.5-flash', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    const [request] = google.vertexRequests();
    assert.equal(request.path, '/v1/projects/my-project/locations/europe-west1/publishers/google/models/gemini-2.5-flash:generateContent');
    assert.deepEqual((request.json as { contents: unknown }).contents, [{ role: 'user', parts: [{ text: 'Hi' }] }]);
    assert.equal(message.type, 'message');
    assert.equal(message.content[0].type === 'text' ? message.content[0].text : '', 'Bonjour ! Je suis Gemini — ravi de vous aider. 🌍');
    assert.equal(message.usage.output_tokens, 39);
  });

  it("count_tokens for a Claude model: Vertex's count-tokens:rawPredict with the model in the body, its count back; a Gemini model is the gateway's estimate", async () => {
    google.reply = replyWhole(200, { 'content-type': 'application/json' }, () => JSON.stringify({ input_tokens: 1234 }));
    const counted = await client.messages.countTokens(
      { model: claude, system: 'Be brief.', messages: [{ role: 'user', content: 'How many tokens is this?' }] },
      { headers: { 'anthropic-beta': 'token-counting-2024-11-01' } },
    );
    assert.equal(counted.input_tokens, 1234);
    const [request] = google.vertexRequests();
    assert.equal(request.path, '/v1/projects/my-project/locations/europe-west1/publishers/anthropic/models/count-tokens:rawPredict');
    assert.equal(request.headers.authorization, `Bearer ${google.issued[0]}`);
    assert.equal(request.headers['anthropic-beta'], 'token-counting-2024-11-01');
    assert.deepEqual(request.json, { model: 'claude-sonnet-4-5@20250929', system: 'Be brief.', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
    google.reset();
    const estimated = await client.messages.countTokens({ model: 'vertex/gemini-2.5-flash', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
    assert.ok(estimated.input_tokens > 3 && estimated.input_tokens < 30, String(estimated.input_tokens));
    assert.equal(google.vertexRequests().length, 0);
  });

  it("count_tokens: Vertex's refusal reaches the Anthropic client as Anthropic's error", async () => {
    google.reply = replyWhole(400, { 'content-type': 'application/json' }, () => JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'messages: field required' } }));
    await assert.rejects(client.messages.countTokens({ model: claude, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 400);
      assert.equal((error.error as { error?: { type?: string } }).error?.type, 'invalid_request_error');
      return true;
    });
  });
});
