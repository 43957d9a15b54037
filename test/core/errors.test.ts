import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { freePort as deadPort } from '../helpers/free-port.ts';

interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

async function post(url: string, body: string | object, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: ErrorBody }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as ErrorBody };
}

function assertErrorShape(result: { status: number; headers: Headers; body: ErrorBody }, status: number, code: string): void {
  assert.equal(result.status, status, JSON.stringify(result.body));
  assert.equal(result.body.error.code, code);
  assert.equal(typeof result.body.error.message, 'string');
  assert.equal(typeof result.body.error.type, 'string');
  assert.ok(result.headers.get('x-request-id'), 'x-request-id header');
  assert.doesNotMatch(result.body.error.message, /at .*\.ts:\d+/, 'no stack trace');
}


describe('every rejection reaches the client in OpenAI error shape and the gateway stays up', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let chat: string;
  let upstreamAborted = 0;

  before(async () => {
    upstream = await startStandIn(async (request, response, raw) => {
      const model = (request.json as { model?: string }).model;
      if (model === 'bad-request') {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: "Invalid value for 'temperature'.", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } }));
      } else if (model === 'server-error') {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }));
      } else if (model === 'filtered') {
        // Azure OpenAI's content filter: the category that fired is in innererror.
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", type: null, param: 'prompt', code: 'content_filter', status: 400, innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { violence: { filtered: true, severity: 'medium' }, hate: { filtered: false, severity: 'safe' } } } } }));
      } else if (model === 'masked-key') {
        // As OpenAI quotes a wrong key: masked, its last four characters kept.
        const key = String(request.headers.authorization).slice(7);
        response.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'req_masked1' });
        response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
      } else if (model === 'echo-key') {
        // A server that repeats the credential it was sent in its error message.
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `Invalid API key: ${String(request.headers.authorization).slice(7)}`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
      } else if (model === 'org-limited') {
        // OpenAI's rate-limit message names the account the key belongs to.
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        response.end(JSON.stringify({ error: { message: 'Rate limit reached for gpt-4o in organization org-AbCdEfGh12345678 (project proj_Zyxw9876Vuts) on tokens per min (TPM): Limit 30000, Used 29000.', type: 'tokens', param: null, code: 'rate_limit_exceeded' } }));
      } else if (model === 'limited') {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
        response.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }));
      } else if (model === 'broken') {
        response.writeHead(500, { 'content-type': 'text/html' });
        response.end('<html>oops</html>');
      } else if (model === 'slow') {
        await sleep(3000);
        if (!response.destroyed) response.end('{}');
      } else if (model === 'reset') {
        raw.socket.destroy();
      } else if (model === 'cut-stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(sseBody([{ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }] }]));
        await sleep(50);
        raw.socket.destroy();
      } else if (model === 'slow-stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let index = 0; index < 20 && !response.destroyed; index++) {
          response.write(sseBody([{ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] }]));
          await sleep(100);
        }
        response.end();
      } else if (model === 'hang-stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(sseBody([{ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] }]));
        raw.socket.on('close', () => upstreamAborted++);
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
      }
    });
    const dead = await deadPort();
    gw = await startGateway(`
server: { body_limit: 1kb }
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1", timeouts: { first_byte: 300ms } }
  deadline: { type: openai-compatible, base_url: "${upstream.url}/v1", timeouts: { total: 500ms } }
  gone: { type: openai-compatible, base_url: "http://127.0.0.1:${dead}/v1" }
  nokey: { type: openai, base_url: "${upstream.url}/v1" }
  keyed: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: sk-upstream-secret-that-must-not-leak }
models:
  resilient:
    strategy: priority
    targets:
      - { provider: gone, model: a }
      - { provider: up, model: served-by-second }
`);
    chat = `${gw.baseURL}/chat/completions`;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const messages = [{ role: 'user', content: 'hi' }];

  it('malformed JSON -> 400 invalid_json', async () => {
    assertErrorShape(await post(chat, '{"model": "up/x", '), 400, 'invalid_json');
  });

  it('a body that is not UTF-8 -> 400 invalid_json, nothing forwarded (the dos2 audit: the guardrails read U+FFFD where the provider got the raw bytes)', async () => {
    const before = upstream.requests.length;
    const json = Buffer.from(JSON.stringify({ model: 'up/x', messages: [{ role: 'user', content: 'hi XX there' }] }));
    const at = json.indexOf('XX');
    json[at] = 0xc3; // a lead byte with no continuation
    json[at + 1] = 0x28;
    const response = await fetch(chat, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
    const body = (await response.json()) as ErrorBody;
    assertErrorShape({ status: response.status, headers: response.headers, body }, 400, 'invalid_json');
    assert.match(body.error.message, /UTF-8/);
    assert.equal(upstream.requests.length, before);
  });

  it('missing or wrong fields -> 400 naming the field', async () => {
    const noModel = await post(chat, { messages });
    assertErrorShape(noModel, 400, 'missing_required_parameter');
    assert.equal(noModel.body.error.param, 'model');
    const noMessages = await post(chat, { model: 'up/x' });
    assert.equal(noMessages.body.error.param, 'messages');
    const badRole = await post(chat, { model: 'up/x', messages: [{ role: 'user', content: 'a' }, { role: 'robot', content: 'b' }] });
    assertErrorShape(badRole, 400, 'invalid_type');
    assert.equal(badRole.body.error.param, 'messages[1].role');
    const notObject = await post(chat, '[1,2]');
    assertErrorShape(notObject, 400, 'invalid_request');
    const noInput = await post(`${gw.baseURL}/embeddings`, { model: 'up/x' });
    assert.equal(noInput.body.error.param, 'input');
  });

  it('unknown model -> 404 that says how to list models', async () => {
    const result = await post(chat, { model: 'nobody/none', messages });
    assertErrorShape(result, 404, 'model_not_found');
    assert.match(result.body.error.message, /GET \/v1\/models/);
  });

  it('body over the limit -> 413', async () => {
    const result = await post(chat, { model: 'up/x', messages: [{ role: 'user', content: 'x'.repeat(2000) }] });
    assertErrorShape(result, 413, 'request_too_large');
  });

  it('unknown path -> 404, wrong method -> 405', async () => {
    const unknown = await post(`${gw.url}/v2/nothing`, {});
    assertErrorShape(unknown, 404, 'unknown_url');
    assert.equal(unknown.body.error.type, 'invalid_request_error', 'as OpenAI types an unknown URL');
    const response = await fetch(chat);
    assert.equal(response.status, 405);
  });

  it('upstream 4xx is passed on with its status, message and param', async () => {
    const result = await post(chat, { model: 'up/bad-request', messages });
    assertErrorShape(result, 400, 'invalid_value');
    assert.equal(result.body.error.message, "Invalid value for 'temperature'.");
    assert.equal(result.body.error.param, 'temperature');
  });

  it('an upstream error that repeats the provider key reaches the client without it (JSON and stream requests)', async () => {
    for (const stream of [false, true]) {
      const result = await post(chat, { model: 'keyed/echo-key', messages, stream });
      assertErrorShape(result, 401, 'invalid_api_key');
      assert.equal(result.body.error.message, "Provider 'keyed' refused the credential the gateway holds for it (not the key this request sent): Invalid API key: [redacted]");
      assert.doesNotMatch(JSON.stringify(result.body), /sk-upstream-secret/);
    }
  });

  it("a provider that quotes the gateway's key masked (sk-***abcd) does not pass its last characters on; its request id comes along", async () => {
    const result = await post(chat, { model: 'keyed/masked-key', messages });
    assertErrorShape(result, 401, 'invalid_api_key');
    assert.equal(result.body.error.message, "Provider 'keyed' refused the credential the gateway holds for it (not the key this request sent): Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys.");
    assert.equal(result.headers.get('x-upstream-request-id'), 'req_masked1');
  });

  it("a provider's message that names the operator's OpenAI organization or project reaches the client without them", async () => {
    const result = await post(chat, { model: 'up/org-limited', messages });
    assertErrorShape(result, 429, 'rate_limit_exceeded');
    assert.equal(result.body.error.message, 'Rate limit reached for gpt-4o in organization org-[redacted] (project proj_[redacted]) on tokens per min (TPM): Limit 30000, Used 29000.');
  });

  it("an OpenAI-format provider's error object reaches the client as it sent it: a 5xx's type and null code, Azure's innererror", async () => {
    const serverError = await fetch(chat, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'up/server-error', messages }) });
    assert.equal(serverError.status, 500);
    assert.deepEqual(await serverError.json(), { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: 'up/filtered', messages: [{ role: 'user', content: 'hi' }] }), (error: { status: number; code: string; error: { innererror?: { content_filter_result?: { violence?: { filtered: boolean } } } } }) => {
      assert.equal(error.status, 400);
      assert.equal(error.code, 'content_filter');
      assert.equal(error.error.innererror?.content_filter_result?.violence?.filtered, true);
      return true;
    });
  });

  it('upstream 429 keeps Retry-After', async () => {
    const result = await post(chat, { model: 'up/limited', messages });
    assertErrorShape(result, 429, 'rate_limit_exceeded');
    assert.equal(result.headers.get('retry-after'), '7');
  });

  it('upstream 5xx with an HTML body -> its status with a readable message', async () => {
    const result = await post(chat, { model: 'up/broken', messages });
    assertErrorShape(result, 500, 'upstream_http_500');
    assert.doesNotMatch(result.body.error.message, /<html>/);
  });

  it('upstream refused -> 502, upstream reset -> 502', async () => {
    assertErrorShape(await post(chat, { model: 'gone/x', messages }), 502, 'upstream_unreachable');
    assertErrorShape(await post(chat, { model: 'up/reset', messages }), 502, 'upstream_unreachable');
  });

  it('upstream first-byte timeout -> 504', async () => {
    const started = Date.now();
    const result = await post(chat, { model: 'up/slow', messages });
    assertErrorShape(result, 504, 'upstream_timeout');
    assert.ok(Date.now() - started < 2500, 'the timeout applied');
  });

  it('a provider without a key -> 401 naming the provider, not a secret', async () => {
    const result = await post(chat, { model: 'nokey/gpt-4o', messages });
    assertErrorShape(result, 401, 'missing_provider_key');
    assert.match(result.body.error.message, /'nokey'/);
  });

  it('a priority group fails over to the next target before anything is sent', async () => {
    const response = await fetch(chat, { method: 'POST', body: JSON.stringify({ model: 'resilient', messages }) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tollgate-attempts'), '2');
    assert.equal(response.headers.get('x-tollgate-provider'), 'up');
  });

  it('a stream cut by the upstream ends with an in-stream OpenAI error event', async () => {
    const response = await fetch(chat, { method: 'POST', body: JSON.stringify({ model: 'up/cut-stream', stream: true, messages }) });
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /partial/);
    const last = text.trim().split('\n\n').at(-1) ?? '';
    const event = JSON.parse(last.replace(/^data: /, '')) as ErrorBody;
    // The provider answered and streamed: it was reached, and the connection was lost after.
    assert.equal(event.error.code, 'upstream_connection_lost');
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'x', maxRetries: 0 });
    await assert.rejects(async () => {
      const stream = await client.chat.completions.create({ model: 'up/cut-stream', stream: true, messages: [{ role: 'user', content: 'hi' }] });
      for await (const _part of stream) {
        // consume until the error event
      }
    }, /answered, then the connection closed before its response was complete/);
  });

  it('the total deadline ends a stream that runs too long, in-stream, as a timeout', async () => {
    const response = await fetch(chat, { method: 'POST', body: JSON.stringify({ model: 'deadline/slow-stream', stream: true, messages }) });
    const text = await response.text();
    const last = text.trim().split('\n\n').at(-1) ?? '';
    assert.equal((JSON.parse(last.replace(/^data: /, '')) as ErrorBody).error.code, 'upstream_timeout');
  });

  it('a client that disconnects aborts the upstream request at once', async () => {
    const controller = new AbortController();
    const response = await fetch(chat, { method: 'POST', body: JSON.stringify({ model: 'up/hang-stream', stream: true, messages }), signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    const before = upstreamAborted;
    controller.abort();
    for (let waited = 0; waited < 2000 && upstreamAborted === before; waited += 20) await sleep(20);
    assert.equal(upstreamAborted, before + 1);
  });

  it('still serves normal requests after all of the above', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'x', maxRetries: 0 });
    const result = await client.chat.completions.create({ model: 'up/fine', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(result.choices[0].message.content, 'ok');
    assert.equal(gw.gateway.runtime.providers.size >= 3, true);
  });
});
