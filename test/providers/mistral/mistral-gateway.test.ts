import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { collect, refusal, weatherTool } from '../../helpers/openai-sdk.ts';
import { startProviderGateway, type ProviderGateway } from '../../helpers/provider-gateway.ts';
import { sseBody } from '../../helpers/stand-in-server.ts';
import { mistralKey, mistralStandIn } from './mistral-stand-in.ts';

/** An answer written with Mistral's own spacing, to show that bytes nothing needs to change come back as they were. */
const spacedAnswer = '{"id": "cmpl-raw", "object": "chat.completion", "created": 1702256327, "model": "raw-bytes",\n "choices": [{"index": 0, "message": {"role": "assistant", "tool_calls": null, "content": "caf\u00e9 \\u00e9", "prefix": false}, "finish_reason": "stop"}],\n "usage": {"prompt_tokens": 5, "total_tokens": 9, "completion_tokens": 4}}';

/**
 * A stream whose tool-call delta also carries `content: ""` (Mistral's DeltaMessage may have both);
 * the role chunk and the finish chunk have `content: ""` as Mistral sends them.
 */
function toolCallStreamWithContent(model: string): string {
  const head = { id: 'cmpl-tool-content', object: 'chat.completion.chunk', created: 1702256327, model };
  const call = { id: 'D681PevKs', function: { name: 'get_weather', arguments: '{"city": "Paris", "unit": "celsius"}' }, index: 0 };
  return sseBody([
    { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    { ...head, choices: [{ index: 0, delta: { content: '', tool_calls: [call] }, finish_reason: null }] },
    { ...head, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 9, total_tokens: 21, completion_tokens: 12 } },
    '[DONE]',
  ]);
}

const strictWeatherTool = { ...weatherTool, function: { ...weatherTool.function, strict: true, parameters: { ...weatherTool.function.parameters, additionalProperties: false } } };

interface SentMessage {
  role: string;
  content?: unknown;
  tool_calls?: Array<{ id: string; type?: string; function: Record<string, unknown> }>;
  tool_call_id?: string;
  [field: string]: unknown;
}

describe('mistral: the OpenAI SDK through the gateway to a Mistral stand-in', () => {
  let running: ProviderGateway;
  let client: OpenAI;

  before(async () => {
    running = await startProviderGateway(
      mistralStandIn((request, response) => {
        const model = (request.json as { model?: string } | undefined)?.model;
        if (model === 'tool-content-stream') {
          response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
          response.end(toolCallStreamWithContent(model));
          return true;
        }
        if (model !== 'raw-bytes') return false;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(spacedAnswer);
        return true;
      }),
      (url) => ({
        config: [
          'providers:',
          `  mistral: { type: mistral, api_key: ${mistralKey}, base_url: "${url}/v1" }`,
          `  strict: { type: mistral, api_key: ${mistralKey}, base_url: "${url}/v1", strict_params: true }`,
          `  quiet: { type: mistral, api_key: ${mistralKey}, base_url: "${url}/v1", options: { stream_usage: false } }`,
        ].join('\n'),
      }),
    );
    client = running.client;
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
  });
  after(() => running.close());

  const sent = () => running.upstream.requests.at(-1)!.json as { messages: SentMessage[]; [field: string]: unknown };

  it('a request and an answer that need no fix go as bytes: the client\'s up, Mistral\'s down', async () => {
    const raw = '{ "model" : "mistral/raw-bytes",\n "messages": [{"role":"user","content":"hi"}], "temperature": 0.3 }';
    const response = await fetch(`${running.gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), spacedAnswer);
    assert.equal(running.upstream.requests[0].body, raw.replace('mistral/raw-bytes', 'raw-bytes'));
  });

  it('tool calls get type "function" (Mistral leaves it out): create() and parse() with a strict tool', async () => {
    const result = await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] });
    assert.equal(result.choices[0].finish_reason, 'tool_calls');
    const [call] = result.choices[0].message.tool_calls!;
    assert.deepEqual({ id: call.id, type: call.type }, { id: 'D681PevKs', type: 'function' });

    const parsed = await client.chat.completions.parse({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [strictWeatherTool] });
    const parsedCall = parsed.choices[0].message.tool_calls![0] as unknown as { type: string; function: { parsed_arguments: unknown } };
    assert.equal(parsedCall.type, 'function');
    assert.deepEqual(parsedCall.function.parsed_arguments, { city: 'Paris', unit: 'celsius' });
  });

  it('streamed tool calls too: each delta has type and index, and stream().finalChatCompletion() works', async () => {
    const chunks = await collect(await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
    const deltas = chunks.flatMap((chunk: ChatCompletionChunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(deltas, [{ id: 'D681PevKs', type: 'function', index: 0, function: { name: 'get_weather', arguments: '{"city": "Paris", "unit": "celsius"}' } }]);

    const final = await client.chat.completions.stream({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool] }).finalChatCompletion();
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    assert.equal(final.choices[0].message.tool_calls![0].type, 'function');
  });

  it('content is null beside tool calls, as OpenAI answers (Mistral sends ""), streamed or not; "" stays where there are none', async () => {
    const result = await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] });
    assert.equal(result.choices[0].message.content, null);
    assert.equal(result.choices[0].message.tool_calls?.length, 1);

    const chunks = await collect(await client.chat.completions.create({ model: 'mistral/tool-content-stream', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
    const deltas = chunks.filter((chunk) => chunk.choices.length > 0).map((chunk) => chunk.choices[0].delta);
    assert.deepEqual(deltas, [
      { role: 'assistant', content: '' },
      { content: null, tool_calls: [{ id: 'D681PevKs', type: 'function', index: 0, function: { name: 'get_weather', arguments: '{"city": "Paris", "unit": "celsius"}' } }] },
      { content: '' },
    ]);
  });

  it('an OpenAI model\'s history is sent as Mistral takes it: OpenAI-only message fields left out, call ids mapped the same way on the call and its result', async () => {
    // The assistant message as the OpenAI SDK returns it from OpenAI, pushed back into the history.
    const fromOpenAI = { role: 'assistant', content: null, refusal: null, annotations: [], audio: null, tool_calls: [{ id: 'call_dZgLqkQ2bm1Jr1T4aZ3vXk9h', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }, { id: 'call_other0000000000000000', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] } as unknown as ChatCompletionMessageParam;
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris and Lyon?' },
      fromOpenAI,
      { role: 'tool', tool_call_id: 'call_dZgLqkQ2bm1Jr1T4aZ3vXk9h', content: '{"t":20}' },
      { role: 'tool', tool_call_id: 'call_other0000000000000000', content: '{"t":18}' },
    ];
    const result = await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages, tools: [weatherTool] });
    assert.equal(result.choices[0].message.content, 'It is 20 degrees in Paris.');
    const [, assistant, paris, lyon] = sent().messages;
    assert.deepEqual(Object.keys(assistant).sort(), ['content', 'role', 'tool_calls']);
    const ids = assistant.tool_calls!.map((call) => call.id);
    for (const id of ids) assert.match(id, /^[a-zA-Z0-9]{9}$/);
    assert.notEqual(ids[0], ids[1]);
    assert.deepEqual([paris.tool_call_id, lyon.tool_call_id], ids);

    // The next turn maps them to the same ids again; Mistral's own ids go unchanged.
    await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [...messages, { role: 'assistant', content: null, tool_calls: [{ id: 'D681PevKs', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'D681PevKs', content: '{}' }] });
    const again = sent().messages;
    assert.deepEqual(again[1].tool_calls!.map((call) => call.id), ids);
    assert.equal(again[4].tool_calls![0].id, 'D681PevKs');
    assert.equal(again[5].tool_call_id, 'D681PevKs');
  });

  it('role "developer" becomes "system", and names Mistral refuses are left out (a tool message keeps its name)', async () => {
    await client.chat.completions.create({
      model: 'mistral/mistral-small-latest',
      messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'hi', name: 'ann' }, { role: 'assistant', content: 'hello', name: 'bot' }, { role: 'user', content: 'again' }],
    });
    assert.deepEqual(sent().messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'again' }]);
  });

  it('OpenAI-only parameters are left out, seed and max_completion_tokens renamed, reasoning_effort mapped; what Mistral has passes', async () => {
    const openAIOnly = { verbosity: 'low', safety_identifier: 'user-hash', store: true, service_tier: 'auto', user: 'u-1', logprobs: true, top_logprobs: 2, logit_bias: { '1': 1 }, modalities: ['text'] };
    const kept = { metadata: { team: 'search' }, prediction: { type: 'content' as const, content: 'x' }, prompt_cache_key: 'k', parallel_tool_calls: false, n: 2, stop: ['zz'] };
    await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], seed: 7, max_completion_tokens: 40, reasoning_effort: 'low', ...openAIOnly, ...kept } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    assert.deepEqual(sent(), { model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], random_seed: 7, max_tokens: 40, reasoning_effort: 'high', ...kept });

    for (const [effort, mapped] of [['minimal', 'none'], ['none', 'none'], ['medium', 'high'], ['high', 'high']]) {
      await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], reasoning_effort: effort as 'high' });
      assert.equal(sent().reasoning_effort, mapped, effort);
    }
  });

  it('strict_params: a parameter Mistral cannot take is refused with 400 unsupported_parameter, before any upstream call', async () => {
    const error = await refusal(client.chat.completions.create({ model: 'strict/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], verbosity: 'low' }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unsupported_parameter');
    assert.match(error.message, /'verbosity'/);
    assert.equal(running.upstream.requests.length, 0);
  });

  it('finish_reason model_length reaches the client as length, streamed and not', async () => {
    const result = await client.chat.completions.create({ model: 'mistral/model-length', messages: [{ role: 'user', content: 'long' }] });
    assert.equal(result.choices[0].finish_reason, 'length');
    const chunks = await collect(await client.chat.completions.create({ model: 'mistral/model-length', messages: [{ role: 'user', content: 'long' }], stream: true }));
    assert.deepEqual(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean), ['length']);
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Hello from Mistral');
  });

  it('stream usage as OpenAI sends it: a last chunk with choices: [] and the usage when include_usage is true, no usage at all when not asked', async () => {
    const hasUsage = (chunk: ChatCompletionChunk) => chunk.usage !== null && chunk.usage !== undefined;
    const messages = [{ role: 'user' as const, content: 'hi' }];
    for (const model of ['mistral/mistral-small-latest', 'quiet/mistral-small-latest']) {
      const asked = await collect(await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } }));
      const last = asked.at(-1)!;
      assert.deepEqual(last.choices, [], model);
      assert.deepEqual(last.usage, { prompt_tokens: 9, total_tokens: 21, completion_tokens: 12 }, model);
      assert.deepEqual(asked.slice(0, -1).filter(hasUsage), [], `${model}: usage only in the usage chunk`);
      assert.equal(asked.at(-2)!.choices[0].finish_reason, 'stop', model);
      assert.equal(asked.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Hello from Mistral', model);

      for (const streamOptions of [undefined, { include_usage: false }]) {
        const unasked = await collect(await client.chat.completions.create({ model, messages, stream: true, stream_options: streamOptions }));
        assert.deepEqual(unasked.filter(hasUsage), [], `${model}: no usage when not asked`);
        assert.ok(unasked.every((chunk) => chunk.choices.length === 1), `${model}: no usage chunk`);
        assert.equal(unasked.at(-1)!.choices[0].finish_reason, 'stop', model);
      }
    }
    // A streamed tool call ends the same way.
    const tools = await collect(await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true, stream_options: { include_usage: true } }));
    assert.deepEqual([tools.at(-2)!.choices[0].finish_reason, tools.at(-1)!.choices, tools.at(-1)!.usage?.total_tokens], ['tool_calls', [], 21]);
  });

  it('Magistral\'s thinking and text chunks: a string content and the thinking as reasoning_content, streamed and not', async () => {
    const result = await client.chat.completions.create({ model: 'mistral/magistral-medium-latest', messages: [{ role: 'user', content: 'hi' }] });
    const message = result.choices[0].message as typeof result.choices[0]['message'] & { reasoning_content?: string };
    assert.equal(message.content, 'Hello from Mistral');
    assert.equal(message.reasoning_content, 'The user greets me. I greet back.');

    const chunks = await collect(await client.chat.completions.create({ model: 'mistral/magistral-medium-latest', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }));
    let text = '';
    let reasoning = '';
    for (const chunk of chunks) {
      const delta = chunk.choices[0]?.delta as (ChatCompletionChunk['choices'][0]['delta'] & { reasoning_content?: string }) | undefined;
      if (delta?.content !== undefined && delta.content !== null) assert.equal(typeof delta.content, 'string');
      text += delta?.content ?? '';
      reasoning += delta?.reasoning_content ?? '';
    }
    assert.equal(text, 'Hello from Mistral');
    assert.equal(reasoning, 'The user greets me. I greet back.');
    assert.equal(chunks.at(-1)!.usage?.total_tokens, 21);

    const final = await client.chat.completions.stream({ model: 'mistral/magistral-medium-latest', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion();
    assert.equal(final.choices[0].message.content, 'Hello from Mistral');
  });

  it('a request Mistral still refuses (422): the message says which field and why, in OpenAI\'s error shape', async () => {
    const error = await refusal(client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], guardrail_level: 'x' } as OpenAI.ChatCompletionCreateParamsNonStreaming));
    assert.ok(error instanceof OpenAI.UnprocessableEntityError, error.constructor.name);
    assert.equal(error.status, 422);
    assert.equal((error.error as { type?: string }).type, 'invalid_request_error');
    assert.equal(error.param, 'guardrail_level');
    assert.equal((error.error as { message?: string }).message, "Provider 'mistral' refused the request (HTTP 422): guardrail_level: Extra inputs are not permitted.");
  });

  it('embeddings: dimensions goes as output_dimension and user is left out, so the SDK call with both succeeds', async () => {
    const result = await client.embeddings.create({ model: 'mistral/codestral-embed', input: ['def f(): pass', 'class A: ...'], dimensions: 256, user: 'end-user-7', encoding_format: 'float' });
    assert.deepEqual(sent(), { model: 'codestral-embed', input: ['def f(): pass', 'class A: ...'], encoding_format: 'float', output_dimension: 256 });
    assert.equal(running.upstream.requests[0].path, '/v1/embeddings');
    assert.equal(result.data.length, 2);
    assert.equal(result.data[1].embedding.length, 256);
    // The SDK's default (base64, decoded by the SDK) with only dimensions.
    running.upstream.requests.length = 0;
    const decoded = await client.embeddings.create({ model: 'mistral/codestral-embed', input: 'x', dimensions: 8 });
    assert.equal(decoded.data[0].embedding.length, 8);
    assert.equal(sent().dimensions, undefined);
  });

  it("embeddings: Mistral's own fields pass; a request with nothing to change goes as the client's bytes", async () => {
    await client.embeddings.create({ model: 'mistral/codestral-embed', input: 'x', output_dimension: 4, output_dtype: 'float', encoding_format: 'float' } as never);
    assert.deepEqual(sent(), { model: 'codestral-embed', input: 'x', output_dimension: 4, output_dtype: 'float', encoding_format: 'float' });
    running.upstream.requests.length = 0;
    const raw = '{ "model" : "mistral/mistral-embed", "input": "caf\u00e9",\n "encoding_format": "float" }';
    const response = await fetch(`${running.gateway.baseURL}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    assert.equal(response.status, 200);
    assert.equal(running.upstream.requests[0].body, raw.replace('mistral/mistral-embed', 'mistral-embed'));
  });

  it('embeddings: token-id input is a 400 from the gateway naming the input, not a 422 from Mistral', async () => {
    const error = await refusal(client.embeddings.create({ model: 'mistral/mistral-embed', input: [[1, 2, 3]] }));
    assert.ok(error instanceof OpenAI.BadRequestError, error.constructor.name);
    assert.equal(error.param, 'input[0]');
    assert.match(error.message, /embeds text only/);
    assert.equal(running.upstream.requests.length, 0);
  });
});

describe('mistral: an Anthropic-format client', () => {
  let running: ProviderGateway;
  let client: Anthropic;

  before(async () => {
    running = await startProviderGateway(mistralStandIn(), (url) => ({ env: { MISTRAL_API_KEY: mistralKey, MISTRAL_BASE_URL: `${url}/v1` } }));
    client = new Anthropic({ baseURL: running.gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  after(() => running.close());

  it('tool_use ids become ids Mistral accepts, and Magistral\'s thinking comes back as a thinking block', async () => {
    await client.messages.create({
      model: 'mistral/mistral-small-latest',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: '20 degrees' }] },
      ],
    });
    const messages = (running.upstream.requests.at(-1)!.json as { messages: SentMessage[] }).messages;
    const id = messages[1].tool_calls![0].id;
    assert.match(id, /^[a-zA-Z0-9]{9}$/);
    assert.equal(messages[2].tool_call_id, id);

    const message = await client.messages.create({ model: 'mistral/magistral-medium-latest', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(message.content.map((block) => block.type), ['thinking', 'text']);
    assert.equal((message.content[0] as { thinking: string }).thinking, 'The user greets me. I greet back.');
    assert.equal((message.content[1] as { text: string }).text, 'Hello from Mistral');
  });

  it('max_tokens: 0 (prompt-cache pre-warming) goes up as max_tokens 1, the least a provider other than Anthropic takes', async () => {
    await client.messages.create({ model: 'mistral/mistral-small-latest', max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal((running.upstream.requests.at(-1)!.json as { max_tokens: number }).max_tokens, 1);
  });
});
