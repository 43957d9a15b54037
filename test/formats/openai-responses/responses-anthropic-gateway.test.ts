import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { replyInPieces } from '../../helpers/provider-replies.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

type Reply = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

const fixtures = new URL('../../fixtures/anthropic/streams/', import.meta.url);

function json(status: number, body: unknown): Reply {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
}

function message(content: unknown[], stopReason: string, usage: Record<string, number> = { input_tokens: 25, output_tokens: 9 }): Record<string, unknown> {
  return { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content, stop_reason: stopReason, stop_sequence: null, usage };
}

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: null };

describe('Responses API clients through the gateway: Anthropic provider (stand-in), translated both ways', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;
  let reply: Reply = json(500, {});

  before(async () => {
    upstream = await startStandIn((request, response) => reply(request, response));
    gateway = await startGateway('{}', { ANTHROPIC_API_KEY: 'anthropic-upstream-key', ANTHROPIC_BASE_URL: upstream.url });
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  /** The one Messages request the stand-in got. */
  function sentMessages(): Record<string, unknown> {
    assert.equal(upstream.requests.length, 1);
    const [request] = upstream.requests;
    assert.equal(request.path, '/v1/messages');
    assert.equal(request.headers['x-api-key'], 'anthropic-upstream-key');
    return request.json as Record<string, unknown>;
  }

  it('instructions become system, max_output_tokens max_tokens; the Message comes back as a Response', async () => {
    reply = json(200, message([{ type: 'text', text: 'Hi there!' }], 'end_turn', { input_tokens: 25, output_tokens: 9, cache_read_input_tokens: 10 }));
    const response = await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', instructions: 'Be friendly.', input: 'Hello', max_output_tokens: 64, temperature: 0.5 });
    assert.deepEqual(sentMessages(), {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      max_tokens: 64,
      system: [{ type: 'text', text: 'Be friendly.' }],
      temperature: 0.5,
    });
    assert.equal(response.output_text, 'Hi there!');
    assert.equal(response.status, 'completed');
    assert.equal(response.model, 'claude-sonnet-4-5-20250929');
    assert.deepEqual(response.usage, { input_tokens: 35, input_tokens_details: { cached_tokens: 10, cache_write_tokens: 0 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 44 });
  });

  it('a tool call round trip: tool_use -> function_call, function_call_output -> tool_result', async () => {
    reply = json(200, message([{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }], 'tool_use'));
    const input: ResponseInputItem[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', input, tools: [weatherTool], tool_choice: 'required' });
    const sent = sentMessages();
    assert.deepEqual(sent.tools, [{ name: 'get_weather', description: 'Weather of a city', input_schema: weatherTool.parameters }]);
    assert.deepEqual(sent.tool_choice, { type: 'any' });
    assert.deepEqual(
      first.output.map((item) => item.type),
      ['message', 'function_call'],
    );
    assert.equal(first.output_text, 'Let me check.');
    const call = first.output[1];
    assert.ok(call.type === 'function_call');
    assert.deepEqual([call.call_id, call.name, JSON.parse(call.arguments)], ['toolu_1', 'get_weather', { city: 'Paris' }]);

    upstream.requests.length = 0;
    reply = json(200, message([{ type: 'text', text: 'Sunny.' }], 'end_turn'));
    const second = await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', tools: [weatherTool], input: [...input, ...(first.output as ResponseInputItem[]), { type: 'function_call_output', call_id: 'toolu_1', output: '21°C and sunny' }] });
    assert.deepEqual((sentMessages().messages as unknown[]).slice(1), [
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '21°C and sunny' }] },
    ]);
    assert.equal(second.output_text, 'Sunny.');
  });

  it('an image input becomes an Anthropic image block', async () => {
    reply = json(200, message([{ type: 'text', text: 'A red dot.' }], 'end_turn'));
    await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' }, { type: 'input_text', text: 'What is it?' }] }] });
    assert.deepEqual((sentMessages().messages as unknown[])[0], {
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'text', text: 'What is it?' },
      ],
    });
  });

  it('stream: thinking becomes a reasoning item, text a message; usage arrives in response.completed', async () => {
    reply = replyInPieces({ 'content-type': 'text/event-stream' }, () => readFileSync(new URL('thinking.sse', fixtures)), 17);
    const events: ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', input: '27 * 453?', reasoning: { effort: 'medium' }, stream: true })) events.push(event);
    const sent = sentMessages();
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.thinking, { type: 'enabled', budget_tokens: 4096 });
    const completed = events.at(-1);
    assert.ok(completed?.type === 'response.completed');
    const [reasoning, text] = completed.response.output;
    assert.ok(reasoning.type === 'reasoning');
    assert.deepEqual(reasoning.content, [{ type: 'reasoning_text', text: 'The user asks for 27 * 453.\n27 * 453 = 12231.' }]);
    assert.ok(text.type === 'message');
    assert.deepEqual(text.content, [{ type: 'output_text', text: '27 * 453 = 12,231', annotations: [], logprobs: [] }]);
    assert.equal(completed.response.usage?.input_tokens, 2188);
    assert.equal(completed.response.usage?.input_tokens_details.cached_tokens, 2048);
    assert.equal(completed.response.usage?.output_tokens, 57);
  });

  it('stream with the SDK helper: each tool_use block becomes a function_call item with its arguments', async () => {
    reply = replyInPieces({ 'content-type': 'text/event-stream' }, () => readFileSync(new URL('tool-use.sse', fixtures)), 23);
    const final = await client.responses.stream({ model: 'anthropic/claude-sonnet-4-5', input: 'Weather in San Francisco and Paris, and the time?', tools: [weatherTool] }).finalResponse();
    assert.equal(final.output_text, "I'll check the weather in both cities.");
    const calls = final.output.flatMap((item) => (item.type === 'function_call' ? [[item.call_id, item.name, JSON.parse(item.arguments)]] : []));
    assert.deepEqual(calls, [
      ['toolu_01T1x1fJ34qAmk2tNTrN7Up6', 'get_weather', { location: 'San Francisco, CA' }],
      ['toolu_01AbCdEfGhIjKlMnOpQrStUv', 'get_weather', { location: 'Paris' }],
      ['toolu_01NoArgumentsAtAll00000', 'get_time', {}],
    ]);
    assert.equal(final.usage?.input_tokens, 472);
  });

  it("an Anthropic error before the stream is an HTTP error in OpenAI's shape", async () => {
    reply = json(400, { type: 'error', error: { type: 'invalid_request_error', message: 'messages: text content blocks must be non-empty' } });
    await assert.rejects(client.responses.create({ model: 'anthropic/claude-sonnet-4-5', input: 'x' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal((error.error as { type: string }).type, 'invalid_request_error');
      assert.match(error.message, /non-empty/);
      return true;
    });
  });
});
