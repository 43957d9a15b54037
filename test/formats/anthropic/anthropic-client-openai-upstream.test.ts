import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../openai-responses/ledger-record.ts';

type Reply = (request: RecordedRequest, response: ServerResponse) => void;
type Body = { model?: string; max_tokens?: number; max_completion_tokens?: number; [field: string]: unknown };

/** OpenAI's reasoning models (o-series, gpt-5): they refuse `max_tokens`, as OpenAI documents. */
const reasoningModel = /^(o\d|gpt-5)/;

/** Answers like OpenAI's Chat Completions: 400 unsupported_parameter for max_tokens to a reasoning model, else `answer`. */
function checkingOpenAI(answer: Reply): Reply {
  return (request, response) => {
    const body = request.json as Body;
    if (!reasoningModel.test(String(body.model)) && 'reasoning_effort' in body) {
      response.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'req_upstream_400' });
      response.end(JSON.stringify({ error: { message: "Unsupported parameter: 'reasoning_effort' is not supported with this model.", type: 'invalid_request_error', param: 'reasoning_effort', code: 'unsupported_parameter' } }));
      return;
    }
    if (reasoningModel.test(String(body.model)) && 'max_tokens' in body) {
      response.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'req_upstream_400' });
      response.end(JSON.stringify({ error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } }));
      return;
    }
    answer(request, response);
  };
}

function completion(message: Record<string, unknown>, finishReason: string, model = 'gpt-4o'): Record<string, unknown> {
  return { id: 'chatcmpl-F1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, finish_reason: finishReason }], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } };
}

function chunk(delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  return { id: 'chatcmpl-F1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] };
}

const usageChunk = { id: 'chatcmpl-F1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } };

/** A whole answer, or a stream when the request asked for one. */
function answering(whole: () => Record<string, unknown>, events: () => unknown[]): Reply {
  return (request, response) => {
    const streamed = (request.json as { stream?: boolean }).stream === true;
    response.writeHead(200, { 'content-type': streamed ? 'text/event-stream' : 'application/json', 'x-request-id': 'req_upstream_1' });
    response.end(streamed ? sseBody(events()) : JSON.stringify(whole()));
  };
}

const plainAnswer = answering(
  () => completion({ content: 'Hello there' }, 'stop'),
  () => [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello there' }), chunk({}, 'stop'), usageChunk, '[DONE]'],
);

const weatherTool = { name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
const timeTool = { name: 'get_time', description: 'Time zone of a city', input_schema: { type: 'object' as const, properties: { tz: { type: 'string' } } } };

/**
 * What OpenAI answers for a named tool_choice (measured, and what vLLM and sglang do too): the
 * call, with `finish_reason: "stop"`.
 */
const toolCallWithStop = answering(
  () => completion({ tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, 'stop'),
  () => [
    chunk({ role: 'assistant', content: null }),
    chunk({ tool_calls: [{ index: 0, id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
    chunk({}, 'stop'),
    usageChunk,
    '[DONE]',
  ],
);

/**
 * Anthropic SDK clients on OpenAI-format providers (openai, azure, openai-compatible), as the
 * blind Anthropic-fidelity audit drove them: reasoning models' output limit, tool calls that end
 * with `stop`, streams cut without a finish, interleaved parallel calls, tool results of several
 * blocks, and the `request-id` the SDK reads.
 */
describe('Anthropic Messages API clients on OpenAI-format providers (audit findings)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;
  let openai: OpenAI;
  let reply: Reply = checkingOpenAI(plainAnswer);

  before(async () => {
    upstream = await startStandIn((request, response) => reply(request, response));
    gateway = await startGateway(`
providers:
  oai: { type: openai, base_url: "${upstream.url}/v1", api_key: oai-key }
  vllm: { type: openai-compatible, base_url: "${upstream.url}/v1" }
  az: { type: azure, base_url: "${upstream.url}", api_key: az-key }
  azold: { type: azure, base_url: "${upstream.url}", api_key: az-key, options: { api_version: "2024-06-01" } }
`);
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    reply = checkingOpenAI(plainAnswer);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  function sent(): Body {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0].json as Body;
  }

  describe('F1: the output limit of a request the gateway writes', () => {
    it('to OpenAI reasoning models goes as max_completion_tokens, so they answer (create, stream, with thinking)', async () => {
      const message = await client.messages.create({ model: 'oai/o3', max_tokens: 200, messages: [{ role: 'user', content: 'Hi' }] });
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(sent().max_completion_tokens, 200);
      assert.equal('max_tokens' in sent(), false);

      upstream.requests.length = 0;
      const final = await client.messages.stream({ model: 'oai/gpt-5', max_tokens: 300, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
      assert.equal((final.content[0] as { text: string }).text, 'Hello there');
      assert.deepEqual([sent().max_completion_tokens, 'max_tokens' in sent()], [300, false]);

      upstream.requests.length = 0;
      await client.messages.create({ model: 'oai/o4-mini', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'Think' }] });
      assert.deepEqual([sent().max_completion_tokens, 'max_tokens' in sent(), sent().reasoning_effort], [4000, false, 'low']);
    });

    it('to Azure OpenAI from api-version 2024-09-01 on as max_completion_tokens; older api-versions keep max_tokens', async () => {
      await client.messages.create({ model: 'az/o3-deployment', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] });
      assert.match(upstream.requests[0].path, /^\/openai\/deployments\/o3-deployment\/chat\/completions\?api-version=2024-10-21$/);
      assert.deepEqual([sent().max_completion_tokens, 'max_tokens' in sent()], [100, false]);

      upstream.requests.length = 0;
      await client.messages.create({ model: 'azold/gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] });
      assert.deepEqual([sent().max_tokens, 'max_completion_tokens' in sent()], [100, false]);
    });

    it('to an openai-compatible server stays max_tokens (some do not know the new name)', async () => {
      await client.messages.create({ model: 'vllm/qwen3', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] });
      assert.deepEqual([sent().max_tokens, 'max_completion_tokens' in sent()], [100, false]);
    });

    it("an OpenAI-format client's own request goes as its bytes (max_tokens untouched)", async () => {
      const body = '{"model":"oai/gpt-4o","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}';
      const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer client-key' }, body });
      assert.equal(response.status, 200);
      assert.equal(upstream.requests[0].body, body.replace('"oai/gpt-4o"', '"gpt-4o"'));
      // The SDK's own request to a reasoning model gets OpenAI's refusal, as it would from OpenAI.
      await assert.rejects(openai.chat.completions.create({ model: 'oai/o3', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof OpenAI.BadRequestError && /max_completion_tokens/.test(error.message));
    });
  });

  describe('F8: an answer with tool calls stops with tool_use, whatever its finish_reason', () => {
    const request = { max_tokens: 200, tools: [weatherTool], tool_choice: { type: 'tool' as const, name: 'get_weather' }, messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };

    it('messages.create: a forced tool answered with finish_reason "stop" (OpenAI, openai-compatible)', async () => {
      reply = checkingOpenAI(toolCallWithStop);
      for (const model of ['oai/gpt-4o', 'vllm/qwen3']) {
        const message = await client.messages.create({ model, ...request });
        assert.equal(message.stop_reason, 'tool_use', model);
        assert.deepEqual(message.content, [{ type: 'tool_use', id: 'call_abc123', name: 'get_weather', input: { city: 'Paris' } }]);
      }
    });

    it('messages.stream: message_delta says tool_use', async () => {
      reply = checkingOpenAI(toolCallWithStop);
      for (const model of ['oai/gpt-4o', 'vllm/qwen3']) {
        const final = await client.messages.stream({ model, ...request }).finalMessage();
        assert.equal(final.stop_reason, 'tool_use', model);
        assert.deepEqual(final.content, [{ type: 'tool_use', id: 'call_abc123', name: 'get_weather', input: { city: 'Paris' } }]);
      }
    });

    it('an answer without tool calls still ends its turn', async () => {
      const message = await client.messages.create({ model: 'oai/gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
      assert.equal(message.stop_reason, 'end_turn');
    });
  });

  describe('F9: an OpenAI-format stream that ends without a finish_reason was cut', () => {
    const cut = () => [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello from ' }), chunk({ content: 'openai' })];

    it('the Anthropic client gets an error event, not an end_turn answer; the ledger records the failure', async () => {
      reply = answering(() => ({}), cut);
      for (const model of ['oai/gpt-4o', 'vllm/qwen3']) {
        const { data: stream, response } = await client.messages.create({ model, max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
        const types: string[] = [];
        await assert.rejects(
          (async () => {
            for await (const event of stream) types.push(event.type);
          })(),
          (error: unknown) => error instanceof Anthropic.APIError && /ended before the answer was finished/.test(error.message),
        );
        assert.ok(types.includes('content_block_delta'), 'the text so far came');
        assert.ok(!types.includes('message_stop') && !types.includes('message_delta'), types.join(','));
        const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
        assert.equal(record.error_code, 'upstream_bad_response', model);
      }
      // The SDK's helper rejects instead of resolving with the cut text.
      await assert.rejects(client.messages.stream({ model: 'oai/gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage(), Anthropic.APIError);
    });

    it('a Responses API client gets response.failed', async () => {
      reply = answering(() => ({}), cut);
      const events: ResponseStreamEvent[] = [];
      const stream = await openai.responses.create({ model: 'oai/gpt-4o', input: 'Hi', stream: true });
      for await (const event of stream) events.push(event);
      assert.equal(events.at(-1)?.type, 'response.failed');
      assert.ok(!events.some((event) => event.type === 'response.completed'));
    });

    it('a stream with a finish_reason but no [DONE] is whole', async () => {
      reply = answering(() => ({}), () => [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello there' }), chunk({}, 'stop'), usageChunk]);
      const final = await client.messages.stream({ model: 'oai/gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
      assert.deepEqual([final.stop_reason, (final.content[0] as { text: string }).text], ['end_turn', 'Hello there']);
    });
  });

  it("thinking on: an effort for a reasoning model, none for one that does not reason (OpenAI refuses reasoning_effort there; anthin audit)", async () => {
    for (const [model, effort] of [['oai/gpt-4o-mini', undefined], ['oai/gpt-4.1', undefined], ['oai/o4-mini', 'low'], ['oai/gpt-5', 'low']] as const) {
      upstream.requests.length = 0;
      const message = await client.messages.create({ model, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1500 }, messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(message.content[0].type, 'text', model);
      assert.equal(sent().reasoning_effort, effort, model);
    }
  });

  it('F5: interleaved parallel calls: each block is whole at its content_block_stop (the SDK contentBlock event)', async () => {
    // A server interleaving two calls' argument deltas: index 0 starts, index 1 comes whole, index 0 ends.
    reply = answering(
      () => ({}),
      () => [
        chunk({ role: 'assistant', content: null }),
        chunk({ tool_calls: [{ index: 0, id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'call_def456', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: '{"tz":"CET"}' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        chunk({}, 'tool_calls'),
        usageChunk,
        '[DONE]',
      ],
    );
    const stream = client.messages.stream({ model: 'oai/gpt-4o', max_tokens: 200, tools: [weatherTool, timeTool], messages: [{ role: 'user', content: 'Weather and time in Paris?' }] });
    const blocks: unknown[] = [];
    const order: string[] = [];
    stream.on('contentBlock', (block) => blocks.push(block));
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_start' || event.type === 'content_block_delta' || event.type === 'content_block_stop') order.push(`${event.type}:${event.index}`);
    });
    const final = await stream.finalMessage();
    assert.deepEqual(blocks, [
      { type: 'tool_use', id: 'call_abc123', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_def456', name: 'get_time', input: { tz: 'CET' } },
    ]);
    assert.deepEqual(final.content, blocks);
    assert.deepEqual(order, ['content_block_start:0', 'content_block_delta:0', 'content_block_stop:0', 'content_block_start:1', 'content_block_delta:1', 'content_block_stop:1']);
  });

  it('F3: a tool_result of several text blocks reaches the tool message as lines, not glued', async () => {
    for (const model of ['oai/gpt-4o', 'vllm/qwen3']) {
      upstream.requests.length = 0;
      await client.messages.create({
        model,
        max_tokens: 100,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: 'Result one.' }, { type: 'text', text: 'Result two.' }] }] },
        ],
      });
      assert.deepEqual((sent().messages as unknown[])[2], { role: 'tool', tool_call_id: 'toolu_01A', content: 'Result one.\nResult two.' }, model);
    }
  });

  it("F7: the gateway's request id is the SDK's _request_id (request-id header), for answers and errors", async () => {
    const { response, request_id: requestId } = await client.messages.create({ model: 'oai/gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    assert.ok(response.headers.get('x-request-id'));
    assert.equal(requestId, response.headers.get('x-request-id'));
    const message = await client.messages.create({ model: 'oai/gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
    assert.match(String(message._request_id), /^[0-9a-f-]{36}$/);

    const stream = client.messages.stream({ model: 'oai/gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
    await stream.finalMessage();
    assert.match(String(stream.request_id), /^[0-9a-f-]{36}$/);

    // A provider's refusal (OpenAI's 400) and the gateway's own (404 unknown model) alike.
    for (const model of ['oai/o3-refused', 'nowhere/model']) {
      reply = (_request, response) => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'bad', type: 'invalid_request_error', param: null, code: null } }));
      };
      const error = await client.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
      assert.ok(error instanceof Anthropic.APIError, model);
      assert.match(String(error.requestID), /^[0-9a-f-]{36}$/, model);
    }
  });
});
