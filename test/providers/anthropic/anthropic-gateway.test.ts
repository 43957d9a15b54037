import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import type { RunningGateway } from '../../helpers/start-gateway.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { onlyRequest, startProviderGateway } from '../../helpers/provider-gateway.ts';
import { collect } from '../../helpers/openai-sdk.ts';
import { readFixture, readJsonFixture } from './run-stream-fixture.ts';

const model = 'anthropic/claude-sonnet-4-5';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return replyWhole(status, { 'content-type': 'application/json', 'request-id': 'req_011CSHoEeqs5C35K2UUqR7Fy', ...headers }, () => JSON.stringify(body));
}

/** A recorded stream, written in small pieces. */
function sse(fixture: string, pieceSize = 7): Reply {
  return replyInPieces({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }, () => readFixture(`streams/${fixture}.sse`), pieceSize);
}

function responseFixture(name: string): unknown {
  return readJsonFixture<{ anthropic: unknown }>(`responses/${name}.json`).anthropic;
}

describe('anthropic provider through the gateway (OpenAI SDK client, zero-config env)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;
  let close: () => Promise<void>;
  let reply: Reply = json(500, {});

  before(async () => {
    ({ upstream, gateway, client, close } = await startProviderGateway((request, response) => reply(request, response), (upstreamUrl) => ({ env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: upstreamUrl } })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  /** The one request the stand-in got, checked for Anthropic's path and headers. */
  function sentBody(): Record<string, unknown> {
    const request = onlyRequest(upstream, '/v1/messages');
    assert.equal(request.headers['x-api-key'], 'test-key');
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.equal(request.headers.authorization, undefined, 'the client key is not forwarded');
    return request.json as Record<string, unknown>;
  }

  it('text: system split out, default max_tokens, usage mapped', async () => {
    reply = json(200, responseFixture('text'));
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], seed: 1 });
    assert.deepEqual(sentBody(), {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Be brief.' }],
    });
    assert.equal(completion.choices[0].message.content, 'Hi! My name is Claude. How can I help?');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(completion.usage?.prompt_tokens, 3395);
    assert.equal(completion.usage?.prompt_tokens_details?.cached_tokens, 1000);
    assert.equal(completion.usage?.completion_tokens, 503);
  });

  it('stream: text deltas, finish_reason, and the usage chunk only when asked for', async () => {
    reply = sse('text');
    const withUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    assert.equal((sentBody() as { stream?: boolean }).stream, true);
    assert.equal(withUsage[0].choices[0].delta.role, 'assistant');
    assert.equal(withUsage.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Hello! How can I help you today?');
    assert.equal(withUsage.at(-2)?.choices[0].finish_reason, 'stop');
    assert.deepEqual(withUsage.at(-1)?.choices, []);
    assert.equal(withUsage.at(-1)?.usage?.total_tokens, 37);

    upstream.requests.length = 0;
    const withoutUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    assert.ok(withoutUsage.every((chunk) => chunk.choices.length === 1 && !chunk.usage));
  });

  it('stream: multi-byte characters split across TCP writes arrive whole', async () => {
    reply = sse('utf8', 3);
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Grüße aus 東京 🌸 — naïve café 👩‍💻, Ελληνικά');
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'length');
  });

  it('tool call (non-stream): tools and tool_choice go up, tool_calls come back', async () => {
    reply = json(200, responseFixture('tool-use'));
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Weather in SF?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }],
      tool_choice: 'required',
    });
    const body = sentBody();
    assert.deepEqual(body.tools, [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }]);
    assert.deepEqual(body.tool_choice, { type: 'any' });
    const message = completion.choices[0].message;
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assert.equal(message.tool_calls?.length, 2);
    const first = message.tool_calls![0] as { id: string; function: { name: string; arguments: string } };
    assert.equal(first.id, 'toolu_01A09q90qw90lq917835lq9');
    assert.equal(first.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(first.function.arguments), { location: 'San Francisco, CA', unit: 'celsius' });
  });

  it("tool_choice allowed_tools: only the allowed tools go up, with its mode as the choice", async () => {
    reply = json(200, responseFixture('tool-use'));
    const tool = (name: string) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: {} } } });
    await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Weather in SF?' }],
      tools: [tool('get_weather'), tool('get_time'), tool('delete_account')],
      tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }, { type: 'function', function: { name: 'get_time' } }] } },
    });
    const body = sentBody();
    assert.deepEqual((body.tools as Array<{ name: string }>).map((declared) => declared.name), ['get_weather', 'get_time']);
    assert.deepEqual(body.tool_choice, { type: 'any' });
    upstream.requests.length = 0;
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], tools: [tool('get_weather')], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'get_weather' } }] } } });
    assert.deepEqual(sentBody().tool_choice, { type: 'auto' });
    upstream.requests.length = 0;
    // A malformed one is the client's error, in OpenAI's shape, and nothing goes up.
    await assert.rejects(
      client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], tools: [tool('get_weather')], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'sometimes', tools: [] } } as never }),
      (error: APIError) => error.status === 400 && (error.param ?? '').startsWith('tool_choice'),
    );
    assert.equal(upstream.requests.length, 0);
  });

  it('tool call (stream): tool results go up as one user turn; tool call deltas assemble by index', async () => {
    reply = sse('tool-use');
    const stream = await client.chat.completions.create({
      model,
      stream: true,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_a', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Oslo"}' } }, { id: 'toolu_b', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Rome"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_a', content: '3°C' },
        { role: 'tool', tool_call_id: 'toolu_b', content: '21°C' },
      ],
    });
    const chunks = await collect(stream);
    const body = sentBody() as { messages: unknown[] };
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: '3°C' }, { type: 'tool_result', tool_use_id: 'toolu_b', content: '21°C' }] });
    assert.deepEqual((body.messages[1] as { content: unknown[] }).content[0], { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { location: 'Oslo' } });
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        calls[delta.index] ??= { id: '', name: '', arguments: '' };
        if (delta.id) calls[delta.index].id = delta.id;
        if (delta.function?.name) calls[delta.index].name = delta.function.name;
        calls[delta.index].arguments += delta.function?.arguments ?? '';
      }
    }
    assert.deepEqual(calls.map((call) => [call.id, call.name, JSON.parse(call.arguments)]), [
      ['toolu_01T1x1fJ34qAmk2tNTrN7Up6', 'get_weather', { location: 'San Francisco, CA' }],
      ['toolu_01AbCdEfGhIjKlMnOpQrStUv', 'get_weather', { location: 'Paris' }],
      ['toolu_01NoArgumentsAtAll00000', 'get_time', {}],
    ]);
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'tool_calls');
  });

  it('image input: data URL as base64 source, https URL as url source', async () => {
    reply = json(200, responseFixture('text'));
    await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
    });
    const body = sentBody() as { messages: Array<{ content: unknown[] }> };
    assert.deepEqual(body.messages[0].content.slice(1), [
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    ]);
  });

  it('JSON mode: a forced tool goes up, its input comes back as the content', async () => {
    reply = json(200, responseFixture('json-tool'));
    const schema = { type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'number' } }, required: ['city', 'temperature'] };
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Paris weather as JSON' }], response_format: { type: 'json_schema', json_schema: { name: 'weather', schema } } });
    const body = sentBody() as { tools: Array<{ name: string; input_schema: unknown }>; tool_choice: unknown };
    assert.deepEqual(body.tools.map((tool) => [tool.name, tool.input_schema]), [['json_response', schema]]);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'json_response' });
    assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), { city: 'Paris', temperature: 18 });
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(completion.choices[0].message.tool_calls, undefined);
  });

  it('JSON mode (stream): the forced tool streams as content', async () => {
    reply = sse('json-tool');
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' }, stream: true }));
    assert.deepEqual(JSON.parse(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')), { city: 'Paris', temperature: 18 });
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'stop');
  });

  it('429: status, OpenAI error shape and retry-after reach the client', async () => {
    reply = json(429, { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }, { 'retry-after': '7' });
    const error = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof APIError);
    assert.equal(error.status, 429);
    assert.equal(error.type, 'rate_limit_error');
    assert.equal(error.code, 'rate_limit_exceeded', "OpenAI's code, as the other providers give it");
    assert.equal(error.headers?.get('retry-after'), '7');
    assert.match(error.message, /per-minute rate limit/);
  });

  it('401: authentication_error, and the key is nowhere in the answer', async () => {
    reply = json(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key: test-key' } });
    const raw = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }) });
    const text = await raw.text();
    assert.equal(raw.status, 401);
    assert.equal(JSON.parse(text).error.type, 'authentication_error');
    assert.doesNotMatch(text, /test-key/);
  });

  it('prompt too long: 400 context_length_exceeded', async () => {
    reply = json(400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } });
    const error = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof APIError);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'context_length_exceeded');
  });

  it('n > 1 is refused before any upstream call', async () => {
    const error = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], n: 2 }).catch((caught: unknown) => caught);
    assert.ok(error instanceof APIError);
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(upstream.requests.length, 0);
  });

  it('a mid-stream error event is reported in the stream after the text so far', async () => {
    reply = sse('mid-stream-error');
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Tell a story' }], stream: true });
    const received: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((caught: unknown) => caught);
    assert.equal(received.join(''), 'Once upon a');
    assert.ok(error instanceof APIError);
    assert.match(error.message, /Overloaded/);
    assert.equal((error.error as { code?: string }).code, 'overloaded_error');
  });
});
