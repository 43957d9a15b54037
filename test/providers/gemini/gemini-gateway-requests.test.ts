import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { RecordedRequest, StandIn } from '../../helpers/stand-in-server.ts';
import { sseBody } from '../../helpers/stand-in-server.ts';
import { startProviderGateway, withProviderGateway, type GatewaySetup } from '../../helpers/provider-gateway.ts';
import { collect, isApiError } from '../../helpers/openai-sdk.ts';
import { fixtureBytes } from './fixtures.ts';

/**
 * Requests the Gemini API used to refuse, or answer with more than asked, through the real
 * gateway with the official SDKs: free-form object schemas, reasoning_effort none/xhigh/max,
 * more than 100 embedding inputs, Gemini's functionCall ids, function names Google refuses, and
 * an Anthropic client's top_k.
 */

const model = 'gemini/gemini-2.5-flash';
const zeroConfig: GatewaySetup = (upstreamUrl) => ({ env: { GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: upstreamUrl } });

type Body = Record<string, unknown>;
type Handler = (request: RecordedRequest, response: ServerResponse) => void;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

/**
 * Google's check of the OpenAPI-subset fields: an OBJECT with no properties in `parameters` or
 * `responseSchema` is a 400 ("should be non-empty for OBJECT type"); the JSON Schema fields take it.
 */
function refusedSchema(body: Body): string | undefined {
  const empty = (schema: unknown, where: string): string | undefined => {
    if (schema === null || typeof schema !== 'object') return undefined;
    const node = schema as Record<string, unknown>;
    if (String(node.type).toLowerCase() === 'object' && (node.properties === undefined || Object.keys(node.properties as object).length === 0)) return `${where}.properties: should be non-empty for OBJECT type`;
    for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, unknown>)) {
      const found = empty(child, `${where}.properties[${name}].value`);
      if (found) return found;
    }
    return empty(node.items, `${where}.items`);
  };
  const tools = (body.tools ?? []) as Array<{ functionDeclarations?: Array<{ parameters?: unknown }> }>;
  for (const [index, declaration] of (tools[0]?.functionDeclarations ?? []).entries()) {
    const found = empty(declaration.parameters, `tools[0].function_declarations[${index}].parameters`);
    if (found) return found;
  }
  return empty((body.generationConfig as Body | undefined)?.responseSchema, 'generation_config.response_schema');
}

const textAnswer = JSON.parse(fixtureBytes('generate-text.json').toString('utf8')) as Body;

function callAnswer(calls: Array<{ id?: string; name: string; args: Body }>): Body {
  return {
    candidates: [{ content: { role: 'model', parts: calls.map((call) => ({ functionCall: call })) }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
  };
}

describe('gemini requests through the gateway (OpenAI and Anthropic SDK clients)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let anthropic: Anthropic;
  let close: () => Promise<void>;
  let handler: Handler = (_request, response) => json(response, 200, textAnswer);

  before(async () => {
    const started = await startProviderGateway((request, response) => {
      const refused = request.path.includes('enerateContent') ? refusedSchema(request.json as Body) : undefined;
      if (refused) return json(response, 400, { error: { code: 400, message: `* GenerateContentRequest.${refused}`, status: 'INVALID_ARGUMENT' } });
      handler(request, response);
    }, zeroConfig);
    ({ upstream, client, close } = started);
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    handler = (_request, response) => json(response, 200, textAnswer);
  });
  after(() => close());

  const sentBodies = () => upstream.requests.map((request) => request.json as Body);

  it('free-form object parameters and json_schema properties go up as JSON Schema, which Gemini accepts', async () => {
    const tool = {
      type: 'function' as const,
      function: {
        name: 'f',
        parameters: { type: 'object', properties: { p: { type: 'object' }, headers: { type: 'object', additionalProperties: { type: 'string' } }, q: { type: 'string' } }, required: ['q'] },
      },
    };
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], tools: [tool] });
    const [body] = sentBodies();
    const [declaration] = (body.tools as Array<{ functionDeclarations: Body[] }>)[0].functionDeclarations;
    assert.deepEqual(declaration, { name: 'f', parametersJsonSchema: tool.function.parameters });

    upstream.requests.length = 0;
    const schema = { type: 'object', properties: { data: { type: 'object' }, list: { type: 'array', items: { type: 'object', properties: {} } } }, required: ['data'] };
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } });
    assert.deepEqual(sentBodies()[0].generationConfig, { responseMimeType: 'application/json', responseJsonSchema: schema });
  });

  it('reasoning_effort none turns thinking off (2.5 Flash) or to its least (2.5 Pro, Gemini 3); xhigh and max think at least as much as high', async () => {
    const thinking = async (modelName: string, effort: string) => {
      upstream.requests.length = 0;
      await client.chat.completions.create({ model: `gemini/${modelName}`, messages: [{ role: 'user', content: 'x' }], reasoning_effort: effort as OpenAI.ReasoningEffort });
      return (sentBodies()[0].generationConfig as Body).thinkingConfig;
    };
    assert.deepEqual(await thinking('gemini-2.5-flash', 'none'), { thinkingBudget: 0 });
    assert.deepEqual(await thinking('gemini-2.5-pro', 'none'), { thinkingBudget: 128 });
    assert.deepEqual(await thinking('gemini-3-pro-preview', 'none'), { thinkingLevel: 'low' });
    assert.deepEqual(await thinking('gemini-3-flash-preview', 'none'), { thinkingLevel: 'minimal' });
    assert.deepEqual(await thinking('gemini-2.5-flash', 'high'), { includeThoughts: true, thinkingBudget: 24576 });
    assert.deepEqual(await thinking('gemini-2.5-flash', 'xhigh'), { includeThoughts: true, thinkingBudget: 24576 });
    assert.deepEqual(await thinking('gemini-2.5-pro', 'max'), { includeThoughts: true, thinkingBudget: 32768 });
    assert.deepEqual(await thinking('gemini-3-pro-preview', 'max'), { includeThoughts: true, thinkingLevel: 'high' });
  });

  it("Gemini's functionCall id is the tool call id, and goes back on the call and its result (stream too)", async () => {
    handler = (_request, response) => json(response, 200, callAnswer([{ id: 'fc-abc123', name: 'get_weather', args: { city: 'Rome' } }]));
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Rome?' }];
    const completion = await client.chat.completions.create({ model, messages, tools });
    const message = completion.choices[0].message;
    assert.equal(message.tool_calls?.[0].id, 'fc-abc123');

    upstream.requests.length = 0;
    handler = (_request, response) => json(response, 200, textAnswer);
    await client.chat.completions.create({ model, tools, messages: [...messages, message, { role: 'tool', tool_call_id: 'fc-abc123', content: '{"t":1}' }] });
    const contents = sentBodies()[0].contents as Array<{ parts: Body[] }>;
    assert.deepEqual(contents[1].parts[0].functionCall, { id: 'fc-abc123', name: 'get_weather', args: { city: 'Rome' } });
    assert.deepEqual(contents[2].parts[0].functionResponse, { id: 'fc-abc123', name: 'get_weather', response: { t: 1 } });

    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([callAnswer([{ id: 'fc-1', name: 'get_weather', args: { city: 'A' } }, { id: 'fc-2', name: 'get_weather', args: { city: 'B' } }])]));
    };
    const chunks = await collect(await client.chat.completions.create({ model, messages, tools, stream: true }));
    assert.deepEqual(chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).map((call) => [call.index, call.id]), [[0, 'fc-1'], [1, 'fc-2']]);
  });

  it('a function name Google refuses (leading digit) goes up renamed and comes back as the client named it, streamed or not', async () => {
    const tools = [{ type: 'function' as const, function: { name: '2fa_check', parameters: { type: 'object', properties: { code: { type: 'string' } } } } }];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Check 123' }];
    handler = (request, response) => {
      const declared = ((request.json as Body).tools as Array<{ functionDeclarations: Array<{ name: string }> }>)[0].functionDeclarations[0].name;
      json(response, 200, callAnswer([{ name: declared, args: { code: '123' } }]));
    };
    const completion = await client.chat.completions.create({ model, messages, tools, tool_choice: { type: 'function', function: { name: '2fa_check' } } });
    const body = sentBodies()[0];
    assert.equal((body.tools as Array<{ functionDeclarations: Array<{ name: string }> }>)[0].functionDeclarations[0].name, '_2fa_check');
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['_2fa_check'] } });
    const message = completion.choices[0].message;
    assert.equal((message.tool_calls?.[0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall).function.name, '2fa_check');

    upstream.requests.length = 0;
    handler = (_request, response) => json(response, 200, textAnswer);
    await client.chat.completions.create({ model, tools, messages: [...messages, message, { role: 'tool', tool_call_id: message.tool_calls![0].id, content: 'valid' }] });
    const contents = sentBodies()[0].contents as Array<{ parts: Body[] }>;
    assert.equal((contents[1].parts[0].functionCall as Body).name, '_2fa_check');
    assert.equal((contents[2].parts[0].functionResponse as Body).name, '_2fa_check');

    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([callAnswer([{ name: '_2fa_check', args: { code: '9' } }])]));
    };
    const chunks = await collect(await client.chat.completions.create({ model, messages, tools, stream: true }));
    assert.deepEqual(chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).map((call) => call.function?.name), ['2fa_check']);
  });

  it("an Anthropic client's top_k reaches Gemini as generationConfig.topK", async () => {
    // top_k is Messages API's (this SDK version's types leave it out; the wire field is the same).
    const params = { model, max_tokens: 100, top_k: 20, top_p: 0.9, temperature: 0.4, messages: [{ role: 'user' as const, content: 'Hi' }] };
    await anthropic.messages.create(params as Anthropic.MessageCreateParamsNonStreaming);
    assert.equal((upstream.requests[0].json as Body).top_k, undefined);
    assert.deepEqual(sentBodies()[0].generationConfig, { temperature: 0.4, topP: 0.9, topK: 20, maxOutputTokens: 100 });
  });

  it('embeddings with more than 100 inputs go in batches of at most 100; vectors come back in input order', async () => {
    handler = (request, response) => {
      const requests = (request.json as { requests: Array<{ content: { parts: Array<{ text: string }> } }> }).requests;
      json(response, 200, { embeddings: requests.map((item) => ({ values: [Number(item.content.parts[0].text.split(' ')[1]), 0.5] })) });
    };
    const input = Array.from({ length: 250 }, (_, index) => `text ${index}`);
    const result = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input, encoding_format: 'float' });
    const sizes = sentBodies().map((body) => (body.requests as unknown[]).length).sort((a, b) => b - a);
    assert.deepEqual(sizes, [100, 100, 50]);
    assert.ok(upstream.requests.every((request) => request.path === '/v1beta/models/gemini-embedding-001:batchEmbedContents'));
    assert.deepEqual(result.data.map((item) => item.embedding[0]), input.map((_, index) => index));
    assert.deepEqual(result.data.map((item) => item.index), input.map((_, index) => index));
    assert.ok(result.usage.prompt_tokens >= 250, 'the estimate covers every batch');

    // The SDK's default (base64) decodes to the same vectors.
    const base64 = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: input.slice(0, 120) });
    assert.deepEqual(base64.data.map((item) => item.embedding[0]), input.slice(0, 120).map((_, index) => index));
  });

  it("embeddings: the client's task_type (or taskType) goes as Gemini's taskType, on one input and on each batched one; a malformed one is a 400 naming it", async () => {
    handler = (request, response) => {
      const body = request.json as { requests?: unknown[] };
      if (body.requests) json(response, 200, { embeddings: body.requests.map(() => ({ values: [1, 2] })) });
      else json(response, 200, { embedding: { values: [1, 2] } });
    };
    await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'what is a gateway?', task_type: 'RETRIEVAL_QUERY' } as never);
    assert.equal(upstream.requests[0].path, '/v1beta/models/gemini-embedding-001:embedContent');
    assert.equal(sentBodies()[0].taskType, 'RETRIEVAL_QUERY');
    upstream.requests.length = 0;
    await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: ['a', 'b'], taskType: 'retrieval_document' } as never);
    assert.deepEqual((sentBodies()[0].requests as Body[]).map((item) => item.taskType), ['RETRIEVAL_DOCUMENT', 'RETRIEVAL_DOCUMENT']);
    upstream.requests.length = 0;
    await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'no task type' });
    assert.equal('taskType' in sentBodies()[0], false);
    upstream.requests.length = 0;
    await assert.rejects(client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'x', task_type: 'retrieval query!' } as never), (error: unknown) => error instanceof OpenAI.APIError && error.status === 400 && (error as { param?: unknown }).param === 'task_type');
    assert.equal(upstream.requests.length, 0);
  });
});

describe('gemini embeddings batches that fail', () => {
  it('an error in any batch fails the call with that error', async () => {
    let calls = 0;
    const handler = (request: RecordedRequest, response: ServerResponse) => {
      calls++;
      const requests = (request.json as { requests: Array<{ content: { parts: Array<{ text: string }> } }> }).requests;
      if (requests[0].content.parts[0].text === 'text 100') return json(response, 400, JSON.parse(fixtureBytes('error-400-invalid-argument.json').toString('utf8')));
      json(response, 200, { embeddings: requests.map(() => ({ values: [1] })) });
    };
    await withProviderGateway(handler, zeroConfig, async (client) => {
      const input = Array.from({ length: 150 }, (_, index) => `text ${index}`);
      await assert.rejects(client.embeddings.create({ model: 'gemini/gemini-embedding-001', input, encoding_format: 'float' }), isApiError(400, 'invalid_argument', 'invalid_request_error'));
      assert.equal(calls, 2);
    });
  });

  it('after a failure no other batch is started (4 in flight at most)', async () => {
    let calls = 0;
    const handler = (request: RecordedRequest, response: ServerResponse) => {
      calls++;
      const requests = (request.json as { requests: Array<{ content: { parts: Array<{ text: string }> } }> }).requests;
      if (requests[0].content.parts[0].text === 'text 0') return json(response, 400, JSON.parse(fixtureBytes('error-400-invalid-argument.json').toString('utf8')));
      setTimeout(() => json(response, 200, { embeddings: requests.map(() => ({ values: [1] })) }), 200).unref();
    };
    await withProviderGateway(handler, zeroConfig, async (client) => {
      const input = Array.from({ length: 600 }, (_, index) => `text ${index}`);
      await assert.rejects(client.embeddings.create({ model: 'gemini/gemini-embedding-001', input, encoding_format: 'float' }), isApiError(400, 'invalid_argument', 'invalid_request_error'));
      assert.ok(calls <= 4, `${calls} batches reached Gemini`);
    });
  });
});
