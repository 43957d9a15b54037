import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyInPieces, replyThenDrop, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { onlyRequest, startProviderGateway, withProviderGateway } from '../../helpers/provider-gateway.ts';
import { collect, isApiError, refusal, textBeforeError, weatherTool } from '../../helpers/openai-sdk.ts';
import { fixtureBytes } from './fixtures.ts';

const model = 'ollama/llama3.2';

/** Ollama's non-streamed answer (or error): one JSON body. */
function json(status: number, fixture: string): Reply {
  return replyWhole(status, { 'content-type': 'application/json; charset=utf-8' }, () => fixtureBytes(fixture));
}

/** A recorded NDJSON stream, written in small pieces so lines are split too. */
function ndjson(fixture: string, pieceSize = 5): Reply {
  return replyInPieces({ 'content-type': 'application/x-ndjson' }, () => fixtureBytes(fixture), pieceSize);
}

describe('ollama provider through the gateway (OpenAI SDK client, zero-config OLLAMA_HOST without a scheme)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;
  let reply: Reply = json(500, 'error-500.json');

  before(async () => {
    // As Ollama's CLI reads it: host:port, no scheme.
    ({ upstream, client, close } = await startProviderGateway((request, response) => reply(request, response), (upstreamUrl) => ({ env: { OLLAMA_HOST: upstreamUrl.replace('http://', '') } })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  /** The one request the stand-in got: POST to the path, JSON, and no credential (none is configured). */
  function sent(path: string): Record<string, unknown> {
    const request = onlyRequest(upstream, path);
    assert.equal(request.headers.authorization, undefined, 'no key configured, and the client key is not forwarded');
    return request.json as Record<string, unknown>;
  }

  it('text: /api/chat with stream false, system message and options; content and usage come back', async () => {
    reply = json(200, 'chat-text.json');
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], temperature: 0.3, max_tokens: 64 });
    assert.deepEqual(sent('/api/chat'), {
      model: 'llama3.2',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      stream: false,
      options: { temperature: 0.3, num_predict: 64 },
    });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, 'llama3.2');
    assert.equal(completion.choices[0].message.content, 'Bonjour ! Je suis Llama — ravi de vous aider. 🌍');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual(completion.usage, { prompt_tokens: 26, completion_tokens: 17, total_tokens: 43 });
  });

  it('stream: stream true and an NDJSON accept header; deltas split across writes arrive whole; usage only when asked for', async () => {
    reply = ndjson('stream-text.ndjson');
    const withUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    assert.equal(sent('/api/chat').stream, true);
    assert.equal(upstream.requests[0].headers.accept, 'application/x-ndjson');
    assert.equal(withUsage[0].choices[0].delta.role, 'assistant');
    assert.equal(withUsage.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
    assert.equal(withUsage.at(-2)?.choices[0].finish_reason, 'stop');
    assert.deepEqual(withUsage.at(-1)?.choices, []);
    assert.deepEqual(withUsage.at(-1)?.usage, { prompt_tokens: 11, completion_tokens: 12, total_tokens: 23 });

    upstream.requests.length = 0;
    const withoutUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    assert.ok(withoutUsage.every((chunk) => chunk.choices.length === 1 && !chunk.usage));
  });

  it('tool call (non-stream): tools go up; tool_calls come back with ids; the follow-up names each result after its call', async () => {
    reply = json(200, 'chat-tool-call.json');
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather and time in Paris?' }];
    const completion = await client.chat.completions.create({ model, messages, tools: [weatherTool] });
    assert.deepEqual(sent('/api/chat').tools, [weatherTool]);
    const message = completion.choices[0].message;
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assert.equal(message.content, null);
    const [weather, time] = message.tool_calls! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[];
    assert.deepEqual([weather.function.name, JSON.parse(weather.function.arguments)], ['get_weather', { city: 'Paris', unit: 'celsius' }]);
    assert.deepEqual([time.function.name, JSON.parse(time.function.arguments)], ['get_time', { timezone: 'Europe/Paris' }]);
    assert.match(weather.id, /^call_[0-9a-f]{16}_0$/);
    assert.notEqual(weather.id, time.id);

    upstream.requests.length = 0;
    reply = json(200, 'chat-text.json');
    await client.chat.completions.create({
      model,
      tools: [weatherTool],
      messages: [...messages, message, { role: 'tool', tool_call_id: time.id, content: '14:05' }, { role: 'tool', tool_call_id: weather.id, content: '{"temperature":21}' }],
    });
    assert.deepEqual((sent('/api/chat').messages as unknown[]).slice(1), [
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } } },
          { type: 'function', function: { name: 'get_time', arguments: { timezone: 'Europe/Paris' } } },
        ],
      },
      { role: 'tool', content: '14:05', tool_name: 'get_time' },
      { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
    ]);
  });

  it('tool call (stream): one delta per call with full arguments and stable indexes; the follow-up maps back', async () => {
    reply = ndjson('stream-tool-call.ndjson', 3);
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
    assert.deepEqual(sent('/api/chat').tools, [weatherTool]);
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(calls.map((call) => [call.index, call.function?.name, JSON.parse(call.function?.arguments ?? '')]), [
      [0, 'get_weather', { city: 'Zürich', unit: 'celsius' }],
      [1, 'get_weather', { city: 'Genève', unit: 'celsius' }],
    ]);
    assert.ok(calls.every((call) => typeof call.id === 'string' && call.id.startsWith('call_')));
    assert.notEqual(calls[0].id, calls[1].id);
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'tool_calls');

    upstream.requests.length = 0;
    reply = json(200, 'chat-text.json');
    await client.chat.completions.create({
      model,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: 'Let me check that for you. ', tool_calls: calls.map((call) => ({ id: call.id!, type: 'function' as const, function: { name: call.function!.name!, arguments: call.function!.arguments! } })) },
        { role: 'tool', tool_call_id: calls[1].id!, content: '12°C' },
      ],
    });
    assert.deepEqual((sent('/api/chat').messages as unknown[]).at(-1), { role: 'tool', content: '12°C', tool_name: 'get_weather' });
  });

  it('image input: a data URL goes up as bare base64 in images; an https URL is a 400 and nothing is sent', async () => {
    reply = json(200, 'chat-text.json');
    await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this?' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } }] }],
    });
    assert.deepEqual(sent('/api/chat').messages, [{ role: 'user', content: 'What is in this?', images: ['/9j/4AAQSkZJRg=='] }]);

    upstream.requests.length = 0;
    await assert.rejects(
      client.chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://169.254.169.254/latest/meta-data' } }] }] }),
      (error: unknown) => error instanceof APIError && error.status === 400 && (error.error as { type?: string }).type === 'invalid_request_error' && /data: URLs/.test(error.message),
    );
    assert.equal(upstream.requests.length, 0);
  });

  it('JSON mode: json_object is format "json", json_schema the schema; JSON comes back', async () => {
    reply = json(200, 'chat-json-format.json');
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Who was Ada Lovelace? Answer in JSON.' }], response_format: { type: 'json_object' } });
    assert.equal(sent('/api/chat').format, 'json');

    upstream.requests.length = 0;
    const schema = { type: 'object', properties: { name: { type: 'string' }, born: { type: 'integer' }, fields: { type: 'array', items: { type: 'string' } } }, required: ['name', 'born', 'fields'] };
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Who was Ada Lovelace?' }], response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } });
    assert.deepEqual(sent('/api/chat').format, schema);
    assert.deepEqual(JSON.parse(completion.choices[0].message.content!), { name: 'Ada Lovelace', born: 1815, fields: ['mathematics', 'computing'] });
  });

  it('thinking: reasoning_effort is think; message.thinking comes back as reasoning_content', async () => {
    reply = json(200, 'chat-thinking.json');
    const completion = await client.chat.completions.create({ model: 'ollama/qwen3', messages: [{ role: 'user', content: 'How many r in strawberry?' }], reasoning_effort: 'high' });
    assert.equal(sent('/api/chat').think, true);
    const message = completion.choices[0].message as typeof completion.choices[0]['message'] & { reasoning_content?: string };
    assert.equal(message.content, 'There are 3 letters "r" in "strawberry".');
    assert.match(message.reasoning_content ?? '', /s-t-r-a-w-b-e-r-r-y/);
  });

  it('embeddings: /api/embed with input as given; vectors and prompt_eval_count come back (the SDK asks for base64)', async () => {
    reply = json(200, 'embed.json');
    const single = await client.embeddings.create({ model: 'ollama/all-minilm', input: 'hello', dimensions: 6 });
    assert.deepEqual(sent('/api/embed'), { model: 'all-minilm', input: 'hello', dimensions: 6 });
    assert.equal(single.data.length, 1);
    assert.ok(Math.abs((single.data[0].embedding[0] as number) - 0.010071029) < 1e-6);
    assert.deepEqual(single.usage, { prompt_tokens: 8, total_tokens: 8 });

    upstream.requests.length = 0;
    reply = json(200, 'embed-batch.json');
    const batch = await client.embeddings.create({ model: 'ollama/all-minilm', input: ['a', 'b', 'c'], encoding_format: 'float' });
    assert.deepEqual(sent('/api/embed'), { model: 'all-minilm', input: ['a', 'b', 'c'] });
    assert.deepEqual(batch.data.map((item) => item.embedding), [[0.1, 0.2, 0.3, 0.4], [-0.1, -0.2, -0.3, -0.4], [0.5, 0.25, 0.125, 0.0625]]);
  });

  it('an error line mid-stream reaches the client in-stream, after the text before it', async () => {
    reply = ndjson('stream-error-midway.ndjson');
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    assert.equal(
      await textBeforeError(stream, (error: unknown) => error instanceof APIError && /unexpected EOF/.test(error.message)),
      'Partial ',
    );
  });
});

/**
 * Failures feed the gateway's passive health, and these need their own config, so each runs
 * against its own gateway and stand-in.
 */
describe('ollama provider with a config: key, headers, strict params, errors', () => {
  function withGateway(reply: Reply, config: (url: string) => string, check: (client: OpenAI, upstream: StandIn) => Promise<void>): Promise<void> {
    return withProviderGateway(reply, (upstreamUrl) => ({ config: config(upstreamUrl), env: {} }), check);
  }

  const withKey = (url: string) => `providers:\n  ollama:\n    type: ollama\n    base_url: "${url}/"\n    api_key: sk-ollama-secret-9876\n    headers: { x-team: search }\n`;
  const strict = (url: string) => `providers:\n  ollama:\n    type: ollama\n    base_url: "${url}"\n    strict_params: true\n`;
  const lenient = (url: string) => `providers:\n  ollama:\n    type: ollama\n    base_url: "${url}"\n`;

  it('an API key is sent as a bearer token, with the configured headers; a trailing slash in base_url is fine', async () => {
    await withGateway(json(200, 'chat-text.json'), withKey, async (client, upstream) => {
      await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
      assert.equal(upstream.requests.length, 1);
      assert.equal(upstream.requests[0].path, '/api/chat');
      assert.equal(upstream.requests[0].headers.authorization, 'Bearer sk-ollama-secret-9876');
      assert.equal(upstream.requests[0].headers['x-team'], 'search');
    });
  });

  it('404 model not found: a 404 not_found_error / model_not_found in the OpenAI error shape, without the key', async () => {
    await withGateway(json(404, 'error-404-model-not-found.json'), withKey, async (client) => {
      await assert.rejects(client.chat.completions.create({ model: 'ollama/llama3.3', messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(404, 'model_not_found', 'not_found_error')(error);
        const body = (error as APIError).error as { message?: string; param?: string };
        assert.equal(body.message, 'model "llama3.3" not found, try pulling it first');
        assert.equal(body.param, 'model');
        assert.doesNotMatch(JSON.stringify(body), /sk-ollama-secret/);
        return true;
      });
    });
  });

  it('400 and 500 keep their status with the matching type, streamed or not', async () => {
    await withGateway(json(400, 'error-400.json'), lenient, async (client) => {
      await assert.rejects(client.chat.completions.create({ model: 'ollama/gemma:2b', messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool] }), (error: unknown) => {
        isApiError(400, 'upstream_http_400', 'invalid_request_error')(error);
        assert.match((error as APIError).message, /does not support tools/);
        return true;
      });
      await assert.rejects(client.chat.completions.create({ model: 'ollama/gemma:2b', messages: [{ role: 'user', content: 'Hi' }], stream: true }), isApiError(400, 'upstream_http_400', 'invalid_request_error'));
    });
    await withGateway(json(500, 'error-500.json'), lenient, async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof APIError && error.status >= 500 && /llama runner process has terminated/.test(error.message));
    });
  });

  it('a connection dropped mid-stream is reported in-stream as an upstream failure, after the text before it', async () => {
    // The first line whole, then nothing.
    const drop = replyThenDrop({ 'content-type': 'application/x-ndjson' }, () => {
      const bytes = fixtureBytes('stream-text.ndjson');
      return bytes.subarray(0, bytes.indexOf('\n') + 1);
    });
    await withGateway(drop, lenient, async (client) => {
      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true });
      assert.equal(
        await textBeforeError(stream, (error: unknown) => error instanceof APIError && !/failed to handle/.test(error.message)),
        'Grüß Gott! ',
      );
    });
  });

  it('tool_choice required: refused (400 unsupported_parameter) under strict_params, else dropped and the tools still sent', async () => {
    await withGateway(json(200, 'chat-tool-call.json'), strict, async (client, upstream) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: 'required' }), isApiError(400, 'unsupported_parameter', 'invalid_request_error'));
      assert.equal(upstream.requests.length, 0);
      // auto is what Ollama does anyway: not refused.
      await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: 'auto' });
      assert.equal(upstream.requests.length, 1);
    });
    await withGateway(json(200, 'chat-tool-call.json'), lenient, async (client, upstream) => {
      const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
      assert.equal(completion.choices[0].finish_reason, 'tool_calls');
      const body = upstream.requests[0].json as Record<string, unknown>;
      assert.deepEqual(body.tools, [weatherTool]);
      assert.equal('tool_choice' in body, false);
    });
  });

  it('a named tool_choice sends that tool alone, so the model can call no other (F3); a name not among the tools is a 400', async () => {
    const timeTool = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };
    await withGateway(json(200, 'chat-tool-call.json'), lenient, async (client, upstream) => {
      const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], tools: [timeTool, weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
      assert.equal(completion.choices[0].finish_reason, 'tool_calls');
      const body = upstream.requests[0].json as Record<string, unknown>;
      assert.deepEqual(body.tools, [weatherTool]);
      assert.equal('tool_choice' in body, false);
      upstream.requests.length = 0;
      const error = await refusal(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_time' } } }));
      assert.deepEqual([error.status, (error.error as { param?: string }).param], [400, 'tool_choice']);
      assert.equal(upstream.requests.length, 0);
    });
  });
});
