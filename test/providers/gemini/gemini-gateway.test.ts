import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyInPieces, replyThenDrop, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { onlyRequest, startProviderGateway, withProviderGateway, type GatewaySetup } from '../../helpers/provider-gateway.ts';
import { collect, isApiError, textBeforeError } from '../../helpers/openai-sdk.ts';
import { decodeToolCallId } from '../../../src/providers/gemini/gemini-tool-call-id.ts';
import { fixtureBytes, recordedSignature } from './fixtures.ts';

const model = 'gemini/gemini-2.5-flash';

/** Zero-config: Gemini's key and base URL variables, pointed at the stand-in. */
const zeroConfig: GatewaySetup = (upstreamUrl) => ({ env: { GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: upstreamUrl } });

function json(status: number, fixture: string, headers: Record<string, string> = {}): Reply {
  return replyWhole(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }, () => fixtureBytes(fixture));
}

/** A recorded stream, written in small pieces. */
function sse(fixture: string, pieceSize = 5): Reply {
  return replyInPieces({ 'content-type': 'text/event-stream', 'x-content-type-options': 'nosniff' }, () => fixtureBytes(fixture), pieceSize);
}

// Strict, with additionalProperties: false, which goes up as JSON Schema.
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    strict: true,
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city', 'unit'], additionalProperties: false },
  },
};

describe('gemini provider through the gateway (OpenAI SDK client, zero-config env)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let reply: Reply = json(500, 'error-500.json');

  let close: () => Promise<void>;

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway((request, response) => reply(request, response), zeroConfig));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  /** The one request the stand-in got, checked for Gemini's path and key header. */
  function sent(path: string): Record<string, unknown> {
    const request = onlyRequest(upstream, path);
    assert.equal(request.headers['x-goog-api-key'], 'test-key');
    assert.equal(request.headers.authorization, undefined, 'the client key is not forwarded');
    return request.json as Record<string, unknown>;
  }

  it('text: generateContent with systemInstruction and generationConfig; content and usage come back', async () => {
    reply = json(200, 'generate-text.json');
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], temperature: 0.3, max_tokens: 64 });
    assert.deepEqual(sent('/v1beta/models/gemini-2.5-flash:generateContent'), {
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.3, maxOutputTokens: 64 },
    });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0].message.content, 'Bonjour ! Je suis Gemini — ravi de vous aider. 🌍');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual(completion.usage, { prompt_tokens: 9, completion_tokens: 39, total_tokens: 48, completion_tokens_details: { reasoning_tokens: 25 } });
  });

  it('stream: streamGenerateContent?alt=sse, deltas split across writes arrive whole, usage only when asked for', async () => {
    reply = sse('stream-text.sse');
    const withUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    sent('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.equal(upstream.requests[0].headers.accept, 'text/event-stream');
    assert.equal(withUsage[0].choices[0].delta.role, 'assistant');
    assert.equal(withUsage.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
    assert.equal(withUsage.at(-2)?.choices[0].finish_reason, 'stop');
    assert.deepEqual(withUsage.at(-1)?.choices, []);
    assert.equal(withUsage.at(-1)?.usage?.total_tokens, 40);

    upstream.requests.length = 0;
    const withoutUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    assert.ok(withoutUsage.every((chunk) => chunk.choices.length === 1 && !chunk.usage));
  });

  it('tool call (non-stream): declarations and toolConfig go up; tool_calls come back and their results go back with the signature (the ids the gateway made up stay here)', async () => {
    reply = json(200, 'generate-tool-call.json');
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather and time in Paris?' }];
    const completion = await client.chat.completions.create({ model, messages, tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    const body = sent('/v1beta/models/gemini-2.5-flash:generateContent');
    assert.deepEqual(body.tools, [
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather',
            parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city', 'unit'], additionalProperties: false },
          },
        ],
      },
    ]);
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    const message = completion.choices[0].message;
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assert.equal(message.tool_calls?.length, 2);
    const [weather, time] = message.tool_calls! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[];
    assert.deepEqual(JSON.parse(weather.function.arguments), { city: 'Paris', unit: 'celsius' });
    assert.equal(time.function.name, 'get_time');
    assert.equal(decodeToolCallId(weather.id).signature, recordedSignature);

    upstream.requests.length = 0;
    reply = json(200, 'generate-text.json');
    await client.chat.completions.create({
      model,
      tools: [weatherTool],
      messages: [...messages, message, { role: 'tool', tool_call_id: weather.id, content: '{"temperature":21}' }, { role: 'tool', tool_call_id: time.id, content: '14:05' }],
    });
    const followUp = sent('/v1beta/models/gemini-2.5-flash:generateContent');
    assert.deepEqual((followUp.contents as unknown[]).slice(1), [
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }, thoughtSignature: recordedSignature },
          { functionCall: { name: 'get_time', args: { timezone: 'Europe/Paris' } } },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { temperature: 21 } } }, { functionResponse: { name: 'get_time', response: { result: '14:05' } } }],
      },
    ]);
  });

  it('tool call (stream): one delta per call with full arguments and stable indexes', async () => {
    reply = sse('stream-tool-call.sse', 3);
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
    sent('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(calls.map((call) => [call.index, call.function?.name, JSON.parse(call.function?.arguments ?? '')]), [
      [0, 'get_weather', { city: 'Zürich', unit: 'celsius' }],
      [1, 'get_weather', { city: 'Genève', unit: 'celsius' }],
    ]);
    assert.ok(calls.every((call) => typeof call.id === 'string' && call.id.startsWith('call_')));
    assert.notEqual(calls[0].id, calls[1].id);
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'tool_calls');
  });

  it('image input: a data URL goes up as inlineData, an https URL as fileData', async () => {
    reply = json(200, 'generate-text.json');
    await client.chat.completions.create({
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
            { type: 'image_url', image_url: { url: 'https://example.com/photos/cat.png' } },
          ],
        },
      ],
    });
    const body = sent('/v1beta/models/gemini-2.5-flash:generateContent');
    assert.deepEqual(body.contents, [
      {
        role: 'user',
        parts: [{ text: 'What is in these?' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } }, { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/photos/cat.png' } }],
      },
    ]);
  });

  it('JSON mode (json_schema): responseMimeType and the schema as responseJsonSchema go up; JSON comes back', async () => {
    reply = json(200, 'generate-json-schema.json');
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Who was Ada Lovelace?' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          strict: true,
          schema: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, born: { type: 'integer' }, fields: { type: 'array', items: { type: 'string' } } }, required: ['name', 'born', 'fields'] },
        },
      },
    });
    const body = sent('/v1beta/models/gemini-2.5-flash:generateContent');
    assert.deepEqual(body.generationConfig, {
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, born: { type: 'integer' }, fields: { type: 'array', items: { type: 'string' } } }, required: ['name', 'born', 'fields'] },
    });
    assert.deepEqual(JSON.parse(completion.choices[0].message.content!), { name: 'Ada Lovelace', born: 1815, fields: ['mathematics', 'computing'] });
  });

  it('embeddings: one input via embedContent, several via batchEmbedContents (the SDK asks for base64); without dimensions, Google\'s values as they came', async () => {
    reply = json(200, 'embed-content.json');
    const single = await client.embeddings.create({ model: 'gemini/text-embedding-004', input: 'hello', dimensions: 6 });
    assert.deepEqual(sent('/v1beta/models/text-embedding-004:embedContent'), { model: 'models/text-embedding-004', content: { parts: [{ text: 'hello' }] }, outputDimensionality: 6 });
    assert.equal(single.data.length, 1);
    // Shortened with dimensions, so scaled to unit length (Google's values are not): 0.0123 / |v|.
    const values = [0.0123, -0.0456, 0.0789, 0.25, -0.5, 0.125];
    const norm = Math.hypot(...values);
    assert.ok(Math.abs((single.data[0].embedding[0] as number) - 0.0123 / norm) < 1e-6);

    upstream.requests.length = 0;
    reply = json(200, 'batch-embed-contents.json');
    const batch = await client.embeddings.create({ model: 'gemini/text-embedding-004', input: ['a', 'b', 'c'], encoding_format: 'float' });
    const body = sent('/v1beta/models/text-embedding-004:batchEmbedContents');
    assert.equal((body.requests as unknown[]).length, 3);
    assert.deepEqual(batch.data.map((item) => item.embedding), [[0.1, 0.2, 0.3, 0.4], [-0.1, -0.2, -0.3, -0.4], [0.5, 0.25, 0.125, 0.0625]]);
    assert.ok(batch.usage.prompt_tokens > 0);
  });

  it('a stream answered without SSE framing (a JSON array) is still mapped', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify([
        { candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] }, index: 0 }] },
        { candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 2, totalTokenCount: 4 } },
      ]));
    };
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Hello');
    assert.equal(chunks.at(-1)?.usage?.total_tokens, 4);
  });
});

/**
 * Failures feed the gateway's passive health (a 429 starts a cooldown, errors count toward the
 * circuit breaker), so each of these runs against its own gateway and stand-in.
 */
describe('gemini provider failures through the gateway', () => {
  const withGateway = (reply: Reply, check: (client: OpenAI) => Promise<void>) => withProviderGateway(reply, zeroConfig, check);

  it('safety: a blocked prompt is a 400 content_filter error, streamed or not', async () => {
    await withGateway(json(200, 'generate-prompt-blocked.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'something bad' }] }), (error: unknown) => {
        isApiError(400, 'content_filter', 'invalid_request_error')(error);
        assert.match((error as APIError).message, /PROHIBITED_CONTENT/);
        return true;
      });
    });
    await withGateway(sse('stream-prompt-blocked.sse'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'something bad' }], stream: true }), isApiError(400, 'content_filter', 'invalid_request_error'));
    });
  });

  it('a candidate Gemini stopped for safety is a 200 with finish_reason content_filter', async () => {
    await withGateway(json(200, 'generate-safety-candidate.json'), async (client) => {
      const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
      assert.equal(completion.choices[0].finish_reason, 'content_filter');
      assert.equal(completion.choices[0].message.content, null);
    });
  });

  it('429 RESOURCE_EXHAUSTED: a rate_limit_error with Retry-After', async () => {
    await withGateway(json(429, 'error-429.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(429, 'rate_limit_exceeded', 'rate_limit_error')(error);
        assert.equal((error as APIError).headers?.get('retry-after'), '37');
        return true;
      });
    });
  });

  it('400 API_KEY_INVALID: a 401 authentication_error without the key in it', async () => {
    await withGateway(json(400, 'error-400-api-key-invalid.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(401, 'invalid_api_key', 'authentication_error')(error);
        assert.doesNotMatch(JSON.stringify((error as APIError).error), /test-key/);
        return true;
      });
    });
  });

  it('400 with a token count over the limit: context_length_exceeded', async () => {
    await withGateway(json(400, 'error-400-context-length.json'), async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), isApiError(400, 'context_length_exceeded', 'invalid_request_error'));
    });
  });

  it('an error as the first stream event is an HTTP error, not a 200 stream', async () => {
    const firstEventError = replyWhole(200, { 'content-type': 'text/event-stream' }, () => 'data: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}\r\n\r\n');
    await withGateway(firstEventError, async (client) => {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }), (error: unknown) => error instanceof APIError && error.status === 503);
    });
  });

  it('an error event mid-stream reaches the client in-stream', async () => {
    await withGateway(sse('stream-error-midway.sse'), async (client) => {
      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true });
      assert.equal(
        await textBeforeError(stream, (error: unknown) => error instanceof APIError && /overloaded/.test(error.message)),
        'Partial ',
      );
    });
  });

  it('a connection dropped mid-stream is reported in-stream as an upstream failure', async () => {
    // The first event whole, then nothing.
    const drop = replyThenDrop({ 'content-type': 'text/event-stream' }, () => {
      const bytes = fixtureBytes('stream-text.sse');
      return bytes.subarray(0, bytes.indexOf('\r\n\r\n') + 4);
    });
    await withGateway(drop, async (client) => {
      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true });
      assert.equal(
        await textBeforeError(stream, (error: unknown) => error instanceof APIError && !/failed to handle/.test(error.message)),
        'Grüß Gott! ',
      );
    });
  });
});
