import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { onlyRequest, startProviderGateway, withProviderGateway } from '../../helpers/provider-gateway.ts';
import { collect, isApiError, refusal, textBeforeError, weatherTool } from '../../helpers/openai-sdk.ts';
import { fixtureBytes } from './fixtures.ts';

const model = 'cohere/command-a-03-2025';

function json(status: number, fixture: string, headers: Record<string, string> = {}): Reply {
  return replyWhole(status, { 'content-type': 'application/json', ...headers }, () => fixtureBytes(fixture));
}

/** A stream fixture, written in small pieces. */
function sse(fixture: string, pieceSize = 5): Reply {
  return replyInPieces({ 'content-type': 'text/event-stream' }, () => fixtureBytes(fixture), pieceSize);
}

describe('cohere provider through the gateway (OpenAI SDK client, zero-config env)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;
  let reply: Reply = json(500, 'error-500.json');

  before(async () => {
    // A trailing slash on CO_API_URL must not give //v2/chat.
    ({ upstream, client, close } = await startProviderGateway((request, response) => reply(request, response), (upstreamUrl) => ({ env: { CO_API_KEY: 'test-key', CO_API_URL: `${upstreamUrl}/` } })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  /** The one request the stand-in got, checked for Cohere's path and bearer auth. */
  function sent(path = '/v2/chat'): Record<string, unknown> {
    const request = onlyRequest(upstream, path);
    assert.equal(request.headers.authorization, 'Bearer test-key', 'the provider key, never the client key');
    return request.json as Record<string, unknown>;
  }

  it('text: POST /v2/chat with the mapped body; content and usage come back', async () => {
    reply = json(200, 'chat-text.json');
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], temperature: 0.3, top_p: 0.8, max_tokens: 64, stop: ['###'], seed: 11 });
    assert.deepEqual(sent(), {
      model: 'command-a-03-2025',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      stream: false,
      temperature: 0.3,
      p: 0.8,
      max_tokens: 64,
      stop_sequences: ['###'],
      seed: 11,
    });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0].message.content, 'Bonjour ! Je suis Command — ravi de vous aider. 🌍');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual(completion.usage, { prompt_tokens: 71, completion_tokens: 14, total_tokens: 85 });
  });

  it('stream: stream true and an SSE accept header go up; split deltas arrive whole; usage only when asked for', async () => {
    reply = sse('stream-text.sse');
    const withUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    assert.equal(sent().stream, true);
    assert.equal(upstream.requests[0].headers.accept, 'text/event-stream');
    assert.equal(withUsage[0].choices[0].delta.role, 'assistant');
    assert.equal(withUsage.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
    assert.equal(withUsage.at(-2)?.choices[0].finish_reason, 'stop');
    assert.deepEqual(withUsage.at(-1)?.choices, []);
    assert.deepEqual(withUsage.at(-1)?.usage, { prompt_tokens: 73, completion_tokens: 15, total_tokens: 88 });

    upstream.requests.length = 0;
    const withoutUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    assert.ok(withoutUsage.every((chunk) => chunk.choices.length === 1 && !chunk.usage));
    assert.equal(withoutUsage.at(-1)?.choices[0].finish_reason, 'stop');
  });

  it('tool call (non-stream): tools and tool_choice go up; tool_calls come back; the results and the plan go back', async () => {
    reply = json(200, 'chat-tool-call.json');
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather and time in Paris?' }];
    const completion = await client.chat.completions.create({ model, messages, tools: [weatherTool], tool_choice: 'required' });
    const body = sent();
    assert.deepEqual(body.tools, [weatherTool]);
    assert.equal(body.tool_choice, 'REQUIRED');
    const message = completion.choices[0].message;
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assert.equal(message.content, null);
    assert.equal((message as unknown as { reasoning_content?: string }).reasoning_content, 'I will look up the weather in Paris and the local time.');
    const [weather, time] = message.tool_calls! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[];
    assert.equal(weather.id, 'get_weather_1byjy32y4hvq');
    assert.deepEqual(JSON.parse(weather.function.arguments), { city: 'Paris', unit: 'celsius' });
    assert.equal(time.function.name, 'get_time');

    upstream.requests.length = 0;
    reply = json(200, 'chat-text.json');
    await client.chat.completions.create({
      model,
      tools: [weatherTool],
      messages: [...messages, message, { role: 'tool', tool_call_id: weather.id, content: '{"temperature":21}' }, { role: 'tool', tool_call_id: time.id, content: '14:05' }],
    });
    const followUp = sent();
    assert.equal('tool_choice' in followUp, false);
    assert.deepEqual((followUp.messages as unknown[]).slice(1), [
      {
        role: 'assistant',
        tool_calls: [
          { id: 'get_weather_1byjy32y4hvq', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } },
          { id: 'get_time_9qk2r5mw0d1x', type: 'function', function: { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' } },
        ],
        tool_plan: 'I will look up the weather in Paris and the local time.',
      },
      { role: 'tool', tool_call_id: 'get_weather_1byjy32y4hvq', content: '{"temperature":21}' },
      { role: 'tool', tool_call_id: 'get_time_9qk2r5mw0d1x', content: '14:05' },
    ]);
  });

  it('tool call (stream): id and name first, argument fragments under stable indexes, finish tool_calls', async () => {
    reply = sse('stream-tool-call.sse', 3);
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
    assert.equal(sent().stream, true);
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    for (const delta of chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])) {
      const call = calls.get(delta.index) ?? { arguments: '' };
      call.id ??= delta.id;
      call.name ??= delta.function?.name;
      call.arguments += delta.function?.arguments ?? '';
      calls.set(delta.index, call);
    }
    assert.deepEqual([...calls.entries()].map(([index, call]) => [index, call.id, call.name, JSON.parse(call.arguments)]), [
      [0, 'get_weather_k3v9x1m2p7qz', 'get_weather', { city: 'Zürich', unit: 'celsius' }],
      [1, 'get_weather_w8c2n5b1t4hy', 'get_weather', { city: 'Genève', unit: 'celsius' }],
      [2, 'get_time_r6d0f3j8l2sx', 'get_time', {}],
    ]);
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'tool_calls');
  });

  it('image input: data and https URLs go up as image_url parts beside the text', async () => {
    reply = json(200, 'chat-text.json');
    await client.chat.completions.create({
      model: 'cohere/command-a-vision-07-2025',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/photos/cat.png' } },
          ],
        },
      ],
    });
    const body = sent();
    assert.equal(body.model, 'command-a-vision-07-2025');
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'https://example.com/photos/cat.png' } },
        ],
      },
    ]);
  });

  it('JSON mode: json_schema goes up as json_object with json_schema; JSON comes back', async () => {
    reply = json(200, 'chat-json.json');
    const schema = { type: 'object', properties: { name: { type: 'string' }, born: { type: 'integer' }, fields: { type: 'array', items: { type: 'string' } } }, required: ['name', 'born', 'fields'] };
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Who was Ada Lovelace?' }], response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } });
    assert.deepEqual(sent().response_format, { type: 'json_object', json_schema: schema });
    assert.deepEqual(JSON.parse(completion.choices[0].message.content!), { name: 'Ada Lovelace', born: 1815, fields: ['mathematics', 'computing'] });
    assert.deepEqual(completion.usage?.prompt_tokens_details, { cached_tokens: 64 });

    upstream.requests.length = 0;
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } });
    assert.deepEqual(sent().response_format, { type: 'json_object' });
  });

  it('a named tool_choice declares that tool alone with REQUIRED, so Cohere must call it (F3)', async () => {
    reply = json(200, 'chat-tool-call.json');
    const timeTool = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather?' }], tools: [timeTool, weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    const body = sent();
    assert.equal(body.tool_choice, 'REQUIRED');
    assert.deepEqual((body.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name), ['get_weather']);
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assert.equal(completion.choices[0].message.tool_calls?.[0].type === 'function' && completion.choices[0].message.tool_calls[0].function.name, 'get_weather');
  });

  it('a named tool_choice naming no declared tool is refused (400 tool_choice) before any upstream call', async () => {
    const error = await refusal(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_time' } } }));
    assert.equal(error.status, 400);
    assert.equal((error.error as { param?: string }).param, 'tool_choice');
    assert.equal(upstream.requests.length, 0);
  });

  it('top_p goes up as p inside Cohere\'s 0.01-0.99: OpenAI\'s default of 1 is 0.99, 0 is 0.01', async () => {
    reply = json(200, 'chat-text.json');
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], top_p: 1 });
    assert.equal(sent().p, 0.99);
    upstream.requests.length = 0;
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], top_p: 0 });
    assert.equal(sent().p, 0.01);
  });

  it('penalties OpenAI allows (-2..2) go up clamped into Cohere\'s 0..1; the answer is served', async () => {
    reply = json(200, 'chat-text.json');
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], frequency_penalty: -0.5, presence_penalty: 1.5 });
    const body = sent();
    assert.equal(body.frequency_penalty, 0);
    assert.equal(body.presence_penalty, 1);
    assert.equal(completion.choices[0].finish_reason, 'stop');
  });

  it('n > 1 is refused with 400 naming n, before any upstream call (Cohere answers once)', async () => {
    reply = json(200, 'chat-text.json');
    await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], n: 2 }), (error: unknown) => {
      isApiError(400, 'invalid_request', 'invalid_request_error')(error);
      assert.equal(((error as APIError).error as { param?: string }).param, 'n');
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });

  it('POST /v1/completions answers 400 unsupported_operation (Cohere API v2 has no text completion), without an upstream call', async () => {
    reply = json(200, 'chat-text.json');
    await assert.rejects(client.completions.create({ model, prompt: 'Say hi' }), isApiError(400, 'unsupported_operation', 'invalid_request_error'));
    assert.equal(upstream.requests.length, 0);
  });

  it('embeddings of more than 96 inputs: calls of at most 96 texts, the vectors joined in input order, usage summed', async () => {
    reply = (request, response) => {
      const texts = (request.json as { texts: string[] }).texts;
      if (texts.length > 96) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'x', message: 'invalid request: texts must have at most 96 entries' }));
        return;
      }
      // Each vector is its text's number, so a misplaced vector shows; Cohere bills one token a text here.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'e', embeddings: { float: texts.map((text) => [Number(text.split(' ')[1]), 0.5]) }, texts, meta: { billed_units: { input_tokens: texts.length } } }));
    };
    const input = Array.from({ length: 250 }, (_, index) => `text ${index}`);
    const answer = await client.embeddings.create({ model: 'cohere/embed-v4.0', input, encoding_format: 'float' });
    assert.equal(upstream.requests.length, 3);
    const batches = upstream.requests.map((request) => request.json as { texts: string[]; input_type: string; model: string });
    assert.ok(upstream.requests.every((request) => request.path === '/v2/embed' && request.headers.authorization === 'Bearer test-key'));
    assert.deepEqual(batches.map((batch) => batch.texts.length).sort((a, b) => a - b), [58, 96, 96]);
    assert.ok(batches.every((batch) => batch.input_type === 'search_document' && batch.model === 'embed-v4.0'));
    assert.equal(answer.data.length, 250);
    assert.ok(answer.data.every((item, index) => item.index === index && item.embedding[0] === index));
    assert.deepEqual(answer.usage, { prompt_tokens: 250, total_tokens: 250 });

    // The SDK's default (base64) joins the same way.
    upstream.requests.length = 0;
    const base64 = await client.embeddings.create({ model: 'cohere/embed-v4.0', input: input.slice(0, 100) });
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(base64.data.map((item) => item.embedding[0]), input.slice(0, 100).map((_, index) => index));
  });

  it('embeddings: POST /v2/embed with texts, input_type and float; base64 (the SDK default) and float both come back right', async () => {
    reply = json(200, 'embed.json');
    const base64 = await client.embeddings.create({ model: 'cohere/embed-v4.0', input: ['hello', 'bonjour'], dimensions: 6 });
    assert.deepEqual(sent('/v2/embed'), { model: 'embed-v4.0', texts: ['hello', 'bonjour'], input_type: 'search_document', embedding_types: ['float'], output_dimension: 6 });
    assert.equal(base64.data.length, 2);
    assert.ok(Math.abs((base64.data[0].embedding[0] as number) - 0.0123) < 1e-6);
    assert.deepEqual(base64.data[1].embedding, [-0.5, 0.25, 0.125, -0.0625, 0.03125, 0.015625]);
    assert.deepEqual(base64.usage, { prompt_tokens: 3, total_tokens: 3 });

    upstream.requests.length = 0;
    const floats = await client.embeddings.create({ model: 'cohere/embed-v4.0', input: ['hello', 'bonjour'], encoding_format: 'float' });
    sent('/v2/embed');
    assert.deepEqual(floats.data[0].embedding, [0.0123, -0.0456, 0.0789, 0.1011, -0.1213, 0.1415]);
  });

  it("embeddings: the client's input_type (an extra body field, as LangChain sends it) goes to Cohere; an unknown one is a 400 naming it", async () => {
    reply = json(200, 'embed.json');
    for (const inputType of ['search_query', 'classification', 'clustering', 'search_document']) {
      upstream.requests.length = 0;
      await client.embeddings.create({ model: 'cohere/embed-v4.0', input: ['hello', 'bonjour'], input_type: inputType } as never);
      assert.equal(sent('/v2/embed').input_type, inputType);
    }
    upstream.requests.length = 0;
    for (const inputType of ['query', 'image', 7]) {
      await assert.rejects(client.embeddings.create({ model: 'cohere/embed-v4.0', input: 'hello', input_type: inputType } as never), (error: unknown) => error instanceof APIError && error.status === 400 && (error as { param?: unknown }).param === 'input_type');
    }
    assert.equal(upstream.requests.length, 0);
  });
});

/**
 * Failures feed the gateway's passive health (a 429 starts a cooldown, errors count toward the
 * circuit breaker), so each of these runs against its own gateway and stand-in.
 */
describe('cohere provider failures through the gateway', () => {
  /** `$UPSTREAM` in the config stands for the stand-in's URL. */
  function withGateway(reply: Reply, check: (client: OpenAI, upstream: StandIn) => Promise<void>, config = '{}'): Promise<void> {
    return withProviderGateway(reply, (upstreamUrl) => ({ config: config.replace('$UPSTREAM', upstreamUrl), env: { CO_API_KEY: 'test-key', CO_API_URL: upstreamUrl } }), check);
  }

  it('429: a rate_limit_error with Cohere\'s message and Retry-After', async () => {
    await withGateway(json(429, 'error-429.json', { 'retry-after': '7' }), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(429, 'rate_limit_exceeded', 'rate_limit_error')(error);
        assert.equal((error as APIError).headers?.get('retry-after'), '7');
        assert.match((error as APIError).message, /Trial key/);
        return true;
      });
    });
  });

  it('401: an authentication_error in OpenAI\'s shape, the key never in it even when Cohere echoes it', async () => {
    const echoing: Reply = (request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `invalid api token ${String(request.headers.authorization)}` }));
    };
    await withGateway(echoing, async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(401, 'invalid_api_key', 'authentication_error')(error);
        const body = (error as APIError).error as Record<string, unknown>;
        assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'param', 'type']);
        assert.doesNotMatch(JSON.stringify(body), /test-key/);
        assert.match(String(body.message), /\[redacted\]/);
        return true;
      });
    });
    await withGateway(json(401, 'error-401.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), isApiError(401, 'invalid_api_key', 'authentication_error'));
    });
  });

  it('400 too many tokens: context_length_exceeded; 400 other: invalid_request', async () => {
    await withGateway(json(400, 'error-400-context-length.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), isApiError(400, 'context_length_exceeded', 'invalid_request_error'));
    });
    await withGateway(json(400, 'error-400.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), isApiError(400, 'invalid_request', 'invalid_request_error'));
    });
  });

  it('404 unknown model: model_not_found; 500: an upstream_error with status 500', async () => {
    await withGateway(json(404, 'error-404.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model: 'cohere/command-z', messages: [{ role: 'user', content: 'Hi' }] }), isApiError(404, 'model_not_found', 'not_found_error'));
    });
    await withGateway(json(500, 'error-500.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }), isApiError(500, 'upstream_server_error', 'upstream_error'));
    });
  });

  it('finish_reason ERROR mid-stream reaches the client in-stream after the text before it', async () => {
    await withGateway(sse('stream-error.sse'), async (client) => {
      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true });
      assert.equal(
        await textBeforeError(stream, (error: unknown) => error instanceof APIError && /internal error while generating/.test(error.message)),
        'Partial answ',
      );
    });
  });

  it('embeddings of more than 96 inputs: an error in any batch fails the call with that error', async () => {
    const failing: Reply = (request, response) => {
      const texts = (request.json as { texts: string[] }).texts;
      if (texts.includes('text 150')) {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
        response.end(JSON.stringify({ id: 'x', message: 'You are using a Trial key, which is limited to 100 API calls / minute.' }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'e', embeddings: { float: texts.map(() => [0.1]) }, meta: { billed_units: { input_tokens: texts.length } } }));
    };
    await withGateway(failing, async (client, upstream) => {
      const input = Array.from({ length: 200 }, (_, index) => `text ${index}`);
      await assert.rejects(client.embeddings.create({ model: 'cohere/embed-v4.0', input, encoding_format: 'float' }), (error: unknown) => {
        isApiError(429, 'rate_limit_exceeded', 'rate_limit_error')(error);
        assert.equal((error as APIError).headers?.get('retry-after'), '3');
        assert.match((error as APIError).message, /Trial key/);
        return true;
      });
      assert.ok(upstream.requests.length >= 2 && upstream.requests.length <= 3);
    });
  });

  it('penalties outside Cohere\'s 0..1 are refused with 400 under strict_params, before any upstream call; in range they go up', async () => {
    const config = `
providers:
  co: { type: cohere, api_key: test-key, base_url: "$UPSTREAM", strict_params: true }
`;
    await withGateway(json(200, 'chat-text.json'), async (client, upstream) => {
      await assert.rejects(client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }], presence_penalty: 1.5 }), (error: unknown) => {
        isApiError(400, 'unsupported_parameter', 'invalid_request_error')(error);
        assert.equal(((error as APIError).error as { param?: string }).param, 'presence_penalty');
        return true;
      });
      assert.equal(upstream.requests.length, 0);
      // top_p 1 is clamped without a word, even under strict_params.
      await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }], presence_penalty: 0.5, top_p: 1 });
      assert.deepEqual([(upstream.requests[0].json as { presence_penalty: number }).presence_penalty, (upstream.requests[0].json as { p: number }).p], [0.5, 0.99]);
    }, config);
  });

  it('a named tool_choice is honoured, so strict_params serves it (F3)', async () => {
    const config = `
providers:
  co: { type: cohere, api_key: test-key, base_url: "$UPSTREAM", strict_params: true }
`;
    await withGateway(json(200, 'chat-tool-call.json'), async (client, upstream) => {
      const completion = await client.chat.completions.create({ model: 'co/command-a-03-2025', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
      assert.equal(completion.choices[0].finish_reason, 'tool_calls');
      assert.equal((upstream.requests[0].json as { tool_choice?: string }).tool_choice, 'REQUIRED');
    }, config);
  });
});
