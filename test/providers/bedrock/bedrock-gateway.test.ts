import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import type { RunningGateway } from '../../helpers/start-gateway.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyInPieces, replyThenDrop, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { onlyRequest, startProviderGateway } from '../../helpers/provider-gateway.ts';
import { collect, textBeforeError } from '../../helpers/openai-sdk.ts';
import { encodeEventStream, fixtureBytes, streamBytes, type streamFixtureNames } from './event-stream-fixtures.ts';
import { verifySigV4 } from './sigv4-verifier.ts';

const aws = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const model = `bedrock/${modelId}`;
const encodedModelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1%3A0';

function json(status: number, fixture: string, headers: Record<string, string> = {}): Reply {
  return replyWhole(status, { 'content-type': 'application/json', 'x-amzn-requestid': '5f3e0a52-1f3c-4d7e-9a8b-0c1d2e3f4a5b', ...headers }, () => fixtureBytes(fixture));
}

function awsError(status: number, errorType: string, fixture: string, headers: Record<string, string> = {}): Reply {
  return json(status, fixture, { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...headers });
}

/** A binary event stream in small pieces, so preludes and CRCs are split too. */
function eventStream(name: (typeof streamFixtureNames)[number], pieceSize = 7): Reply {
  return replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': '5f3e0a52-1f3c-4d7e-9a8b-0c1d2e3f4a5b' }, () => streamBytes(name), pieceSize);
}

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] } },
};
const timeTool = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };

describe('bedrock provider through the gateway (OpenAI SDK client, zero-config AWS env, SigV4 checked)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;
  let close: () => Promise<void>;
  let reply: Reply = awsError(500, 'InternalServerException', 'error-500-internal.json');
  const signatureProblems: string[] = [];

  before(async () => {
    const verifyThenReply: Reply = async (request, response) => {
      // What AWS does first: a request whose signature does not verify never reaches the model.
      const verdict = await verifySigV4(request, aws);
      if (!verdict.ok) {
        signatureProblems.push(verdict.reason);
        return awsError(403, 'InvalidSignatureException', 'error-403-unrecognized-client.json')(request, response);
      }
      return reply(request, response);
    };
    ({ upstream, gateway, client, close } = await startProviderGateway(verifyThenReply, (upstreamUrl) => ({
      env: { AWS_ACCESS_KEY_ID: aws.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.secretAccessKey, AWS_REGION: 'us-west-2', BEDROCK_BASE_URL: upstreamUrl },
    })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    signatureProblems.length = 0;
  });
  after(() => close());

  /** The one request the stand-in got: its path, a verified SigV4 signature for us-west-2, and its JSON body. */
  function sent(path: string): Record<string, unknown> {
    assert.deepEqual(signatureProblems, []);
    const request = onlyRequest(upstream, path);
    assert.match(String(request.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-west-2\/bedrock\/aws4_request, /);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.ok(!request.body.includes('client-key') && !JSON.stringify(request.headers).includes('client-key'), 'the client key is not forwarded');
    return request.json as Record<string, unknown>;
  }

  it('text: Converse with system, inferenceConfig; content and usage come back', async () => {
    reply = json(200, 'converse-text.json');
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], temperature: 0.3, max_tokens: 64, stop: ['###'] });
    assert.deepEqual(sent(`/model/${encodedModelId}/converse`), {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 64, temperature: 0.3, stopSequences: ['###'] },
      additionalModelResponseFieldPaths: ['/stop_sequence'],
    });
    assert.equal(upstream.requests[0].headers.accept, 'application/json');
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, modelId);
    assert.equal(completion.choices[0].message.content, 'Bonjour ! Je suis Claude — ravi de vous aider. 🌍');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual(completion.usage, { prompt_tokens: 18, completion_tokens: 21, total_tokens: 39 });
  });

  it('parameters Converse cannot honour (seed, penalties, logprobs, user) are left out of the body', async () => {
    reply = json(200, 'converse-text.json');
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], seed: 7, frequency_penalty: 0.5, presence_penalty: 0.1, logprobs: true, user: 'u-1', top_p: 0.8 });
    assert.deepEqual(sent(`/model/${encodedModelId}/converse`), { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { topP: 0.8 } });
  });

  it('stream: converse-stream, binary frames split across writes arrive whole, usage only when asked for', async () => {
    reply = eventStream('text');
    const withUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    sent(`/model/${encodedModelId}/converse-stream`);
    assert.equal(upstream.requests[0].headers.accept, 'application/vnd.amazon.eventstream');
    assert.equal(withUsage[0].choices[0].delta.role, 'assistant');
    assert.equal(withUsage.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
    assert.equal(withUsage.at(-2)?.choices[0].finish_reason, 'stop');
    assert.deepEqual(withUsage.at(-1)?.choices, []);
    assert.deepEqual(withUsage.at(-1)?.usage, { prompt_tokens: 14, completion_tokens: 26, total_tokens: 40 });

    upstream.requests.length = 0;
    const withoutUsage = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    assert.ok(withoutUsage.length > 3 && withoutUsage.every((chunk) => chunk.choices.length === 1 && !chunk.usage));
  });

  it('tool call (non-stream): toolConfig goes up, tool_calls come back, results go back as one user turn of toolResults', async () => {
    reply = json(200, 'converse-tool-use.json');
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather and time in Paris?' }];
    const completion = await client.chat.completions.create({ model, messages, tools: [weatherTool, timeTool], tool_choice: 'required' });
    const body = sent(`/model/${encodedModelId}/converse`);
    assert.deepEqual(body.toolConfig, {
      tools: [
        { toolSpec: { name: 'get_weather', description: 'Current weather', inputSchema: { json: weatherTool.function.parameters } } },
        { toolSpec: { name: 'get_time', inputSchema: { json: { type: 'object', properties: {} } } } },
      ],
      toolChoice: { any: {} },
    });
    const message = completion.choices[0].message;
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    const [weather, time] = message.tool_calls as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[];
    assert.deepEqual([weather.id, weather.function.name, JSON.parse(weather.function.arguments)], ['tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', 'get_weather', { city: 'Paris', unit: 'celsius' }]);
    assert.deepEqual([time.id, time.function.name, time.function.arguments], ['tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', 'get_time', '{}']);

    upstream.requests.length = 0;
    reply = json(200, 'converse-text.json');
    await client.chat.completions.create({
      model,
      tools: [weatherTool, timeTool],
      messages: [...messages, message, { role: 'tool', tool_call_id: weather.id, content: '{"temperature":21}' }, { role: 'tool', tool_call_id: time.id, content: '14:05' }],
    });
    const followUp = sent(`/model/${encodedModelId}/converse`);
    assert.deepEqual((followUp.messages as unknown[]).slice(1), [
      {
        role: 'assistant',
        content: [
          { text: "I'll look up the weather and the time in Paris." },
          { toolUse: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } } },
          { toolUse: { toolUseId: 'tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', name: 'get_time', input: {} } },
        ],
      },
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', content: [{ text: '{"temperature":21}' }] } }, { toolResult: { toolUseId: 'tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', content: [{ text: '14:05' }] } }],
      },
    ]);
    assert.equal((followUp.toolConfig as { toolChoice?: unknown }).toolChoice, undefined);
  });

  it('tool call (stream): starts with id and name, argument fragments, stable indexes', async () => {
    reply = eventStream('tool-use', 5);
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools: [weatherTool, timeTool], stream: true }));
    sent(`/model/${encodedModelId}/converse-stream`);
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = calls.get(delta.index) ?? { arguments: '' };
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name = delta.function.name;
        call.arguments += delta.function?.arguments ?? '';
        calls.set(delta.index, call);
      }
    }
    assert.deepEqual([...calls.entries()], [
      [0, { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', arguments: '{"city": "Paris", "unit": "celsius"}' }],
      [1, { id: 'tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', name: 'get_time', arguments: '{}' }],
    ]);
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Let me check both.');
    assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0].finish_reason, 'tool_calls');
  });

  it('image input: a data URL goes up as image bytes; an https URL is refused with a 400 before any call', async () => {
    reply = json(200, 'converse-text.json');
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }] });
    assert.deepEqual(sent(`/model/${encodedModelId}/converse`).messages, [{ role: 'user', content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: png } } }] }]);

    upstream.requests.length = 0;
    await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }), (error: unknown) => {
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 400);
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, /http\(s\) image URLs cannot be sent to Bedrock/);
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });

  it('JSON mode (json_schema): a forced tool goes up; its input comes back as the content', async () => {
    reply = json(200, 'converse-json-tool.json');
    const schema = { type: 'object', properties: { name: { type: 'string' }, born: { type: 'integer' } }, required: ['name', 'born'] };
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Who wrote the first program?' }], response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } });
    assert.deepEqual(sent(`/model/${encodedModelId}/converse`).toolConfig, {
      tools: [{ toolSpec: { name: 'json_response', description: 'Give your final answer by calling this tool; its input is the answer as JSON.', inputSchema: { json: schema } } }],
      toolChoice: { tool: { name: 'json_response' } },
    });
    assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), { name: 'Ada Lovelace', born: 1815 });
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(completion.choices[0].message.tool_calls, undefined);
  });

  it('JSON mode streamed: the forced tool input streams as content', async () => {
    reply = eventStream('json-tool', 3);
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Who?' }], response_format: { type: 'json_object' }, stream: true }));
    assert.deepEqual(JSON.parse(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')), { name: 'Ada Lovelace', born: 1815 });
  });

  it('an inference profile ARN as the model: one encoded path segment, still signed correctly', async () => {
    reply = json(200, 'converse-text.json');
    const arn = 'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/a1b2c3d4e5f6';
    await client.chat.completions.create({ model: `bedrock/${arn}`, messages: [{ role: 'user', content: 'Hi' }] });
    sent('/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Aapplication-inference-profile%2Fa1b2c3d4e5f6/converse');
  });

  it('errors: status, OpenAI error shape and Retry-After; the AWS secret never appears', async () => {
    const cases: Array<{ reply: Reply; status: number; type: string; code: string; retryAfter?: string }> = [
      { reply: awsError(400, 'ValidationException', 'error-400-validation.json'), status: 400, type: 'invalid_request_error', code: 'invalid_request' },
      { reply: awsError(400, 'ValidationException', 'error-400-context-length.json'), status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' },
      { reply: awsError(400, 'ValidationException', 'error-400-context-limit.json'), status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' },
      { reply: awsError(403, 'AccessDeniedException', 'error-403-access-denied.json'), status: 403, type: 'permission_error', code: 'access_denied' },
      { reply: awsError(404, 'ResourceNotFoundException', 'error-404-not-found.json'), status: 404, type: 'not_found_error', code: 'model_not_found' },
      { reply: awsError(429, 'ThrottlingException', 'error-429-throttling.json', { 'retry-after': '3' }), status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', retryAfter: '3' },
      { reply: awsError(500, 'InternalServerException', 'error-500-internal.json'), status: 500, type: 'upstream_error', code: 'internal_server_error' },
      { reply: awsError(503, 'ServiceUnavailableException', 'error-503-unavailable.json'), status: 503, type: 'upstream_error', code: 'service_unavailable' },
    ];
    for (const expected of cases) {
      reply = expected.reply;
      const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer client-key' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }) });
      const text = await response.text();
      assert.equal(response.status, expected.status, text);
      const body = JSON.parse(text) as { error: { message: string; type: string; code: string } };
      assert.equal(body.error.type, expected.type);
      assert.equal(body.error.code, expected.code);
      assert.ok(body.error.message.length > 0);
      assert.ok(!text.includes(aws.secretAccessKey) && !text.includes('wJalrXUtnFEMI'), 'the secret is not in the response');
      assert.equal(response.headers.get('retry-after'), expected.retryAfter ?? null);
      assert.ok(response.headers.get('x-request-id'));
    }
  });

  it('the SDK sees the status as its error class (429 RateLimitError)', async () => {
    reply = awsError(429, 'ThrottlingException', 'error-429-throttling.json');
    await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof OpenAI.RateLimitError && /Too many requests/.test(error.message));
  });

  it("AWS refusing the access keys the gateway signs with: 401 with the message saying it is the gateway's credential (chat, stream, Messages API)", async () => {
    const prefix = "Provider 'bedrock' refused the credential the gateway holds for it (not the key this request sent): ";
    reply = awsError(403, 'UnrecognizedClientException', 'error-403-unrecognized-client.json');
    for (const stream of [false, true]) {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.AuthenticationError);
        assert.equal(error.status, 401);
        assert.equal((error.error as { message?: string }).message, `${prefix}The security token included in the request is invalid.`);
        return true;
      });
    }
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
    await assert.rejects(anthropic.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.AuthenticationError);
      assert.equal((error.error as { error?: { message?: string } }).error?.message, `${prefix}The security token included in the request is invalid.`);
      return true;
    });
  });

  it('an exception as the first stream message is an HTTP error (429), not a 200 stream', async () => {
    reply = replyWhole(200, { 'content-type': 'application/vnd.amazon.eventstream' }, () =>
      encodeEventStream([{ messageType: 'exception', exceptionType: 'throttlingException', payload: { message: 'Too many tokens, please wait before trying again.' } }]),
    );
    await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }), (error: unknown) => {
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 429);
      assert.equal(error.type, 'rate_limit_error');
      assert.match(error.message, /Too many tokens/);
      return true;
    });
  });

  it('a connection dropped mid-stream is reported in-stream as an upstream failure', async () => {
    reply = replyThenDrop({ 'content-type': 'application/vnd.amazon.eventstream' }, () => {
      const bytes = streamBytes('text');
      // Two whole frames (messageStart, the first delta) and part of the third.
      const firstLength = bytes.readUInt32BE(0);
      const secondLength = bytes.readUInt32BE(firstLength);
      return bytes.subarray(0, firstLength + secondLength + 10);
    });
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    assert.equal(
      await textBeforeError(stream, (error: unknown) => error instanceof APIError && !/failed to handle/.test(error.message)),
      'Grüß Gott! ',
    );
  });

  it('embeddings (Titan): one InvokeModel call per input, vectors in order, reported token usage', async () => {
    reply = json(200, 'invoke-titan-embed.json', { 'x-amzn-bedrock-input-token-count': '6' });
    const result = await client.embeddings.create({ model: 'bedrock/amazon.titan-embed-text-v2:0', input: ['first text', 'second text'], dimensions: 256 });
    assert.deepEqual(signatureProblems, []);
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(upstream.requests.map((request) => [request.path, request.json]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
      ['/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'first text', dimensions: 256 }],
      ['/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'second text', dimensions: 256 }],
    ]);
    assert.ok(upstream.requests.every((request) => /\/us-west-2\/bedrock\/aws4_request/.test(String(request.headers.authorization))));
    assert.deepEqual(result.data.map((item) => [item.index, item.embedding]), [
      [0, [0.5, -0.25, 0.125, 1]],
      [1, [0.5, -0.25, 0.125, 1]],
    ]);
    assert.deepEqual(result.usage, { prompt_tokens: 12, total_tokens: 12 });
  });

  it('embeddings (Cohere): one call with all texts and input_type; usage from the token-count header', async () => {
    reply = json(200, 'invoke-cohere-embed.json', { 'x-amzn-bedrock-input-token-count': '5' });
    const result = await client.embeddings.create({ model: 'bedrock/cohere.embed-english-v3', input: ['first text', 'second text'], encoding_format: 'float' });
    assert.equal(upstream.requests.length, 1);
    assert.equal(upstream.requests[0].path, '/model/cohere.embed-english-v3/invoke');
    assert.deepEqual(upstream.requests[0].json, { texts: ['first text', 'second text'], input_type: 'search_document' });
    assert.deepEqual(result.data.map((item) => item.embedding), [[0.5, -0.25, 0.125, 1], [-1, 0.75, 0, 0.25]]);
    assert.deepEqual(result.usage, { prompt_tokens: 5, total_tokens: 5 });
  });

  it("embeddings (Cohere): the client's input_type goes in the body; one Cohere does not take for text is a 400 before any call", async () => {
    reply = json(200, 'invoke-cohere-embed.json', { 'x-amzn-bedrock-input-token-count': '5' });
    await client.embeddings.create({ model: 'bedrock/cohere.embed-english-v3', input: ['first text', 'second text'], encoding_format: 'float', input_type: 'search_query' } as never);
    assert.deepEqual(upstream.requests[0].json, { texts: ['first text', 'second text'], input_type: 'search_query' });
    upstream.requests.length = 0;
    await assert.rejects(client.embeddings.create({ model: 'bedrock/cohere.embed-english-v3', input: 'x', input_type: 'query' } as never), (error: unknown) => error instanceof APIError && error.status === 400 && (error as { param?: unknown }).param === 'input_type');
    assert.equal(upstream.requests.length, 0);
  });

  it('embeddings with a chat model are refused with a 400 before any call', async () => {
    await assert.rejects(client.embeddings.create({ model, input: 'x' }), (error: unknown) => error instanceof APIError && error.status === 400 && /Titan Text Embeddings.*Cohere Embed/.test(error.message));
    assert.equal(upstream.requests.length, 0);
  });

  it('an exception event mid-stream reaches the client in-stream, after the text before it', async () => {
    reply = eventStream('exception-midway');
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    assert.equal(
      await textBeforeError(stream, (error: unknown) => error instanceof APIError && /error while streaming the response/.test(error.message)),
      'The first part arrives, then',
    );
  });
});

describe('bedrock provider with a Bedrock API key (bearer token), configured and BYOK', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let close: () => Promise<void>;

  before(async () => {
    const config = (upstreamUrl: string) => `
providers:
  aws:
    type: bedrock
    api_key: bedrock-api-key-configured
    base_url: ${upstreamUrl}
    byok: true
    strict_params: true
    options: { region: eu-central-1, guardrail: { identifier: gr-abc123, version: "2" } }
`;
    // Each test makes its own client: the keys it sends are what is being tested.
    ({ upstream, gateway, close } = await startProviderGateway(json(200, 'converse-text.json'), (upstreamUrl) => ({ config: config(upstreamUrl), env: {} })));
  });
  after(() => close());

  it('the configured key goes up as Authorization: Bearer, unsigned', async () => {
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'tg-unused', maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'aws/amazon.nova-pro-v1:0', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(completion.choices[0].message.content, 'Bonjour ! Je suis Claude — ravi de vous aider. 🌍');
    const [request] = upstream.requests;
    assert.equal(request.path, '/model/amazon.nova-pro-v1%3A0/converse');
    assert.equal(request.headers.authorization, 'Bearer bedrock-api-key-configured');
    assert.equal(request.headers['x-amz-date'], undefined);
    assert.deepEqual(request.json, { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], guardrailConfig: { guardrailIdentifier: 'gr-abc123', guardrailVersion: '2' } });
  });

  it("BYOK: the client's own key (x-provider-api-key) is used as the Bedrock API key", async () => {
    upstream.requests.length = 0;
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'tg-unused', maxRetries: 0, defaultHeaders: { 'x-provider-api-key': 'bedrock-api-key-of-the-client' } });
    await client.chat.completions.create({ model: 'aws/amazon.nova-pro-v1:0', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(upstream.requests[0].headers.authorization, 'Bearer bedrock-api-key-of-the-client');
  });

  it('strict_params: a parameter Converse cannot honour is refused with a 400 naming it, before any call', async () => {
    upstream.requests.length = 0;
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'tg-unused', maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: 'aws/amazon.nova-pro-v1:0', messages: [{ role: 'user', content: 'Hi' }], seed: 7 }), (error: unknown) => {
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'unsupported_parameter');
      assert.match(error.message, /'seed'/);
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });
});
