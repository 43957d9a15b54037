import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { startProviderGateway, type ProviderGateway } from '../../helpers/provider-gateway.ts';
import { anthropicMessage, anthropicStream } from './checking-anthropic-stand-in.ts';

const model = 'anthropic/claude-sonnet-4-5';
const upstreamKey = 'sk-ant-api03-upstream-secret-key';

/** An error as Anthropic answers it: the body with request_id, and the request-id and x-should-retry headers. */
function anthropicError(status: number, type: string, message: string, extraHeaders: Record<string, string> = {}): { reply: Reply; body: string } {
  const body = JSON.stringify({ type: 'error', error: { type, message }, request_id: `req_011Error${status}` });
  const headers = { 'content-type': 'application/json', 'request-id': `req_011Error${status}`, 'x-should-retry': status >= 500 || status === 429 ? 'true' : 'false', ...extraHeaders };
  return { reply: replyWhole(status, headers, () => body), body };
}

/**
 * Anthropic SDK clients through the byte passthrough to an Anthropic provider: the client's API
 * version goes up, Anthropic's request id and retry advice come back, errors come back as Anthropic
 * sent them (529 included), bodies the current API takes (system entries in messages, max_tokens 0)
 * are forwarded, and count_tokens is Anthropic's own count.
 */
describe('anthropic provider: the passthrough for Anthropic SDK clients', () => {
  let running: ProviderGateway;
  let client: Anthropic;
  let reply: Reply = replyWhole(200, { 'content-type': 'application/json', 'request-id': 'req_011Answered' }, () => JSON.stringify(anthropicMessage('hi')));

  before(async () => {
    running = await startProviderGateway((request, response) => reply(request, response), (url) => ({ env: { ANTHROPIC_API_KEY: upstreamKey, ANTHROPIC_BASE_URL: url } }));
    client = new Anthropic({ baseURL: running.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
    reply = replyWhole(200, { 'content-type': 'application/json', 'request-id': 'req_011Answered' }, () => JSON.stringify(anthropicMessage('hi')));
  });
  after(() => running.close());

  it("the client's anthropic-version goes up with its bytes; 2023-06-01 only when it sent none", async () => {
    const message = await client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(message.content[0].type, 'text');
    const sdkVersion = running.upstream.requests[0].headers['anthropic-version'];
    assert.notEqual(sdkVersion, undefined);
    assert.notEqual(sdkVersion, '2023-06-01', 'this SDK sends a newer version, and the upstream got it');
    running.upstream.requests.length = 0;
    await client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'anthropic-version': '2026-10-21', 'anthropic-beta': 'context-1m-2025-08-07' } });
    assert.equal(running.upstream.requests[0].headers['anthropic-version'], '2026-10-21');
    assert.equal(running.upstream.requests[0].headers['anthropic-beta'], 'context-1m-2025-08-07');
    running.upstream.requests.length = 0;
    const raw = await fetch(`${running.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(raw.status, 200);
    assert.equal(running.upstream.requests[0].headers['anthropic-version'], '2023-06-01');
  });

  it("Anthropic's request-id reaches the SDK (message and stream)", async () => {
    const message = await client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(message._request_id, 'req_011Answered');
    const { response } = await client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.ok(response.headers.get('x-request-id'), "the gateway's own id is there too");
    reply = replyWhole(200, { 'content-type': 'text/event-stream', 'request-id': 'req_011Streamed' }, () => anthropicStream('hello there'));
    const stream = client.messages.stream({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const final = await stream.finalMessage();
    assert.equal((final.content[0] as { text: string }).text, 'hello there');
    assert.equal(stream.request_id, 'req_011Streamed');
  });

  it('errors come back as Anthropic sent them: status (529 stays 529), body with request_id, request-id and x-should-retry', async () => {
    const cases: Array<[number, string, new (...args: never[]) => Error]> = [
      [400, 'invalid_request_error', Anthropic.BadRequestError],
      [401, 'authentication_error', Anthropic.AuthenticationError],
      [403, 'permission_error', Anthropic.PermissionDeniedError],
      [404, 'not_found_error', Anthropic.NotFoundError],
      [413, 'request_too_large', Anthropic.APIError],
      [429, 'rate_limit_error', Anthropic.RateLimitError],
      [500, 'api_error', Anthropic.InternalServerError],
      [529, 'overloaded_error', Anthropic.OverloadedError],
    ];
    for (const [status, type, errorClass] of cases) {
      const upstreamError = anthropicError(status, type, `failed with ${status}`, status === 429 ? { 'retry-after': '3' } : {});
      reply = upstreamError.reply;
      const raw = await fetch(`${running.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(raw.status, status);
      assert.equal(await raw.text(), upstreamError.body, `${status}: the body is Anthropic's, byte for byte`);
      assert.equal(raw.headers.get('request-id'), `req_011Error${status}`);
      assert.equal(raw.headers.get('x-should-retry'), status >= 500 || status === 429 ? 'true' : 'false');
      if (status === 429) assert.equal(raw.headers.get('retry-after'), '3');
      await assert.rejects(client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
        assert.ok(error instanceof errorClass, `${status}: ${String(error)}`);
        const apiError = error as InstanceType<typeof Anthropic.APIError>;
        assert.equal(apiError.status, status);
        assert.equal(apiError.requestID, `req_011Error${status}`);
        assert.deepEqual(apiError.error, JSON.parse(upstreamError.body));
        return true;
      });
    }
  });

  it('a key the provider echoes in an error is still scrubbed; the rest of the body stays', async () => {
    reply = anthropicError(401, 'authentication_error', `invalid x-api-key: ${upstreamKey}`).reply;
    const raw = await fetch(`${running.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
    const text = await raw.text();
    assert.equal(raw.status, 401);
    assert.doesNotMatch(text, /upstream-secret-key/);
    assert.deepEqual(JSON.parse(text), { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key: [redacted]' }, request_id: 'req_011Error401' });
  });

  it('OpenAI-format clients keep getting 503 for overloaded and an OpenAI error body', async () => {
    reply = anthropicError(529, 'overloaded_error', 'Overloaded').reply;
    const openai = new OpenAI({ baseURL: running.gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    await assert.rejects(openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 503);
      assert.equal(error.code, 'overloaded_error');
      assert.equal(error.headers?.get('x-should-retry'), 'true', "one attempt (a single target): Anthropic's own advice reaches the OpenAI SDK, which obeys it too");
      return true;
    });
  });

  it("an OpenAI SDK obeys Anthropic's x-should-retry: false on a 500 (one upstream call, not 3)", async () => {
    reply = anthropicError(500, 'api_error', 'Internal server error', { 'x-should-retry': 'false' }).reply;
    const openai = new OpenAI({ baseURL: running.gateway.baseURL, apiKey: 'client-key', maxRetries: 2 });
    await assert.rejects(openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.InternalServerError);
      assert.equal(error.headers?.get('x-should-retry'), 'false');
      return true;
    });
    assert.equal(running.upstream.requests.length, 1);
  });

  it('system entries inside messages and max_tokens 0 (cache pre-warming) are forwarded unchanged', async () => {
    const raw = JSON.stringify({
      model,
      max_tokens: 0,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'system', content: 'Now answer in French.' },
        { role: 'system', content: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: 'c' },
      ],
    });
    const response = await fetch(`${running.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    assert.equal(response.status, 200);
    assert.equal(running.upstream.requests[0].body, raw.replace('"anthropic/claude-sonnet-4-5"', '"claude-sonnet-4-5"'));
    running.upstream.requests.length = 0;
    await client.messages.create({ model, max_tokens: 0, messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 'Be brief.' }, { role: 'user', content: 'b' }] });
    assert.equal((running.upstream.requests[0].json as { max_tokens: number }).max_tokens, 0);
  });

  it("a routed model name is edited into the client's bytes: big integers, number spellings and spacing reach Anthropic as written", async () => {
    // JSON.parse and JSON.stringify would round 12345678901234567891 to 12345678901234567000 and respell 1.0 and 1e2.
    const raw = `{ "model" : "${model}", "max_tokens": 1e2, "temperature": 1.0,\n "messages": [{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"ok"}]}],
 "tools": [{"name":"lookup","input_schema":{"type":"object","properties":{"model":{"type":"string"}}}}], "metadata": {"user_id": "u"},
 "messages_before": null, "big": 12345678901234567891 }`;
    const response = await fetch(`${running.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    assert.equal(response.status, 200);
    assert.equal(running.upstream.requests[0].body, raw.replace(`"${model}"`, '"claude-sonnet-4-5"'));
  });

  it("count_tokens is Anthropic's own count for an anthropic provider; its errors come back as for messages", async () => {
    reply = replyWhole(200, { 'content-type': 'application/json', 'request-id': 'req_011Counted' }, () => '{"input_tokens":1234}');
    const counted = await client.messages.countTokens({ model, system: 'Be brief.', messages: [{ role: 'user', content: 'hello there' }] });
    assert.equal(counted.input_tokens, 1234);
    const [request] = running.upstream.requests;
    assert.equal(request.path, '/v1/messages/count_tokens');
    assert.equal(request.headers['x-api-key'], upstreamKey);
    assert.ok(!JSON.stringify(request.headers).includes('client-key'), 'the client key is not forwarded');
    assert.deepEqual(request.json, { model: 'claude-sonnet-4-5', system: 'Be brief.', messages: [{ role: 'user', content: 'hello there' }] });

    // A field the endpoint refuses is Anthropic's to refuse.
    reply = anthropicError(400, 'invalid_request_error', 'max_tokens: Extra inputs are not permitted').reply;
    await assert.rejects(client.messages.countTokens({ model, messages: [{ role: 'user', content: 'x' }], max_tokens: 5 } as never), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError);
      assert.equal(error.requestID, 'req_011Error400');
      assert.match(error.message, /Extra inputs are not permitted/);
      return true;
    });
    reply = anthropicError(529, 'overloaded_error', 'Overloaded').reply;
    await assert.rejects(client.messages.countTokens({ model, messages: [{ role: 'user', content: 'x' }] }), Anthropic.OverloadedError);
  });
});
