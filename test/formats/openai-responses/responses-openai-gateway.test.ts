import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { replyThenDrop } from '../../helpers/provider-replies.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from './ledger-record.ts';

type Reply = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

const upstreamSecret = 'sk-upstream-secret-7f3a';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}

function sse(events: unknown[]): Reply {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(sseBody(events));
  };
}

function completion(message: Record<string, unknown>, finish: string, usage: Record<string, unknown> = { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 }): Record<string, unknown> {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1700000000, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }], usage };
}

const base = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini-2024-07-18' };
const delta = (value: unknown, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta: value, finish_reason: finish }] });
const usageChunk = (usage: Record<string, unknown>) => ({ ...base, choices: [], usage });

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false };

describe('Responses API clients through the gateway: OpenAI provider (stand-in)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;
  let reply: Reply = json(500, {});

  before(async () => {
    upstream = await startStandIn((request, response) => reply(request, response));
    gateway = await startGateway('pricing:\n  openai: { "*": { input: 1000, output: 2000 } }\n', { OPENAI_API_KEY: upstreamSecret, OPENAI_BASE_URL: `${upstream.url}/v1` });
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  /** The one chat request the stand-in got. */
  function sentChat(): Record<string, unknown> {
    assert.equal(upstream.requests.length, 1);
    const [request] = upstream.requests;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${upstreamSecret}`, 'the provider key goes up; the client key does not');
    return request.json as Record<string, unknown>;
  }

  it('text with instructions: the provider gets a chat request; the answer is a Response with usage', async () => {
    reply = json(200, completion({ content: 'Bonjour.' }, 'stop', { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28, prompt_tokens_details: { cached_tokens: 12 }, completion_tokens_details: { reasoning_tokens: 3 } }));
    const { data: response, response: http } = await client.responses.create({ model: 'openai/gpt-4o-mini', instructions: 'Answer in French.', input: 'Hello', max_output_tokens: 50, ...({ max_tool_calls: 3 } as object), temperature: 0.2, user: 'user-9', metadata: { run: '1' } }).withResponse();
    assert.deepEqual(sentChat(), {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
      temperature: 0.2,
      max_completion_tokens: 50,
      user: 'user-9',
    });
    assert.equal(response.output_text, 'Bonjour.');
    assert.equal(response.model, 'gpt-4o-mini-2024-07-18');
    assert.equal(response.max_output_tokens, 50);
    assert.equal((response as unknown as { max_tool_calls?: number }).max_tool_calls, 3, 'repeated as OpenAI repeats it (this SDK version does not type it)');
    assert.deepEqual(response.usage, { input_tokens: 20, input_tokens_details: { cached_tokens: 12, cache_write_tokens: 0 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 28 });
    assert.ok(Number(http.headers.get('x-tollgate-cost-usd')) > 0, 'the cost plugin priced the translated answer');
  });

  it('a tool call round trip: function_call out, then function_call_output in the next request', async () => {
    reply = json(200, completion({ content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, 'tool_calls'));
    const input: ResponseInputItem[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.responses.create({ model: 'openai/gpt-4o-mini', input, tools: [weatherTool], tool_choice: 'auto', parallel_tool_calls: false });
    const sent = sentChat();
    assert.deepEqual(sent.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: weatherTool.parameters, strict: false } }]);
    assert.equal(sent.tool_choice, 'auto');
    assert.equal(sent.parallel_tool_calls, false);
    assert.equal(first.output.length, 1);
    const call = first.output[0];
    assert.ok(call.type === 'function_call');
    assert.equal(call.call_id, 'call_1');
    assert.equal(call.name, 'get_weather');
    assert.equal(call.arguments, '{"city":"Paris"}');
    assert.equal(first.output_text, '');
    assert.deepEqual(first.tools, [{ ...weatherTool }]);

    upstream.requests.length = 0;
    reply = json(200, completion({ content: 'Sunny, 21°C.' }, 'stop'));
    const second = await client.responses.create({ model: 'openai/gpt-4o-mini', tools: [weatherTool], input: [...input, ...(first.output as ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: '{"temperature":21,"sky":"sunny"}' }] });
    assert.deepEqual((sentChat().messages as unknown[]).slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21,"sky":"sunny"}' },
    ]);
    assert.equal(second.output_text, 'Sunny, 21°C.');
  });

  it('JSON schema output: text.format becomes response_format; the JSON text comes back', async () => {
    reply = json(200, completion({ content: '{"city":"Paris","country":"France"}' }, 'stop'));
    const schema = { type: 'object', properties: { city: { type: 'string' }, country: { type: 'string' } }, required: ['city', 'country'], additionalProperties: false };
    const response = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'Capital of France?', text: { format: { type: 'json_schema', name: 'place', schema, strict: true } }, reasoning: { effort: 'low' } });
    const sent = sentChat();
    assert.deepEqual(sent.response_format, { type: 'json_schema', json_schema: { name: 'place', schema, strict: true } });
    assert.equal(sent.reasoning_effort, 'low');
    assert.deepEqual(JSON.parse(response.output_text), { city: 'Paris', country: 'France' });
    assert.deepEqual(response.text, { format: { type: 'json_schema', name: 'place', schema, strict: true } });
  });

  it('an image input goes up as an image_url part', async () => {
    reply = json(200, completion({ content: 'A cat.' }, 'stop'));
    const response = await client.responses.create({ model: 'openai/gpt-4o-mini', input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is this?' }, { type: 'input_image', image_url: 'https://example.com/cat.jpg', detail: 'low' }] }] });
    assert.deepEqual(sentChat().messages, [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } }] }]);
    assert.equal(response.output_text, 'A cat.');
  });

  it('a refusal and a length cut come back as a refusal part and an incomplete response', async () => {
    reply = json(200, completion({ content: null, refusal: "I can't help with that." }, 'stop'));
    const refused = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'x' });
    assert.deepEqual((refused.output[0] as { content: unknown }).content, [{ type: 'refusal', refusal: "I can't help with that." }]);
    reply = json(200, completion({ content: 'Once upon a' }, 'length'));
    const cut = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'Tell a story', max_output_tokens: 3 });
    assert.equal(cut.status, 'incomplete');
    assert.deepEqual(cut.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(cut.output_text, 'Once upon a');
  });

  it('stream: text and tool-call deltas become Responses events; the provider was asked for usage', async () => {
    reply = sse([
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'Checking ' }),
      delta({ content: 'the weather.' }),
      delta({ tool_calls: [{ index: 0, id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      delta({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 }),
      '[DONE]',
    ]);
    const stream = client.responses.stream({ model: 'openai/gpt-4o-mini', input: 'Weather in Paris?', tools: [weatherTool] });
    const argumentDeltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta));
    const final = await stream.finalResponse();
    const sent = sentChat();
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.stream_options, { include_usage: true });
    assert.deepEqual(argumentDeltas, ['{"city":', '"Paris"}']);
    assert.equal(final.output_text, 'Checking the weather.');
    assert.deepEqual(
      final.output.map((item) => item.type),
      ['message', 'function_call'],
    );
    const call = final.output[1];
    assert.ok(call.type === 'function_call');
    assert.deepEqual([call.call_id, call.name, call.arguments, call.status], ['call_p', 'get_weather', '{"city":"Paris"}', 'completed']);
    assert.equal(final.usage?.input_tokens, 30);
    assert.equal(final.usage?.output_tokens, 12);
  });

  it('stream: parallel tool calls are each done (whole arguments) before the next item is added', async () => {
    reply = sse([
      delta({ role: 'assistant', content: '' }),
      delta({ tool_calls: [{ index: 0, id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      delta({ tool_calls: [{ index: 1, id: 'call_r', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '{"city":"Rome"}' } }] }),
      delta({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 30, completion_tokens: 24, total_tokens: 54 }),
      '[DONE]',
    ]);
    const stream = client.responses.stream({ model: 'openai/gpt-4o-mini', input: 'Weather in Paris and Rome?', tools: [weatherTool] });
    const order: string[] = [];
    const sequence: number[] = [];
    stream.on('event', (event) => sequence.push(event.sequence_number));
    stream.on('response.output_item.added', (event) => order.push(`added:${event.output_index}`));
    stream.on('response.function_call_arguments.done', (event) => order.push(`arguments.done:${event.output_index}:${event.arguments}`));
    stream.on('response.output_item.done', (event) => order.push(`done:${event.output_index}:${event.item.type === 'function_call' ? event.item.call_id : event.item.type}`));
    const final = await stream.finalResponse();
    assert.deepEqual(order, ['added:0', 'arguments.done:0:{"city":"Paris"}', 'done:0:call_p', 'added:1', 'arguments.done:1:{"city":"Rome"}', 'done:1:call_r']);
    assert.deepEqual(
      sequence,
      sequence.map((_, index) => index),
      'sequence_number counts up with no gap',
    );
    assert.deepEqual(
      final.output.map((item) => (item.type === 'function_call' ? [item.call_id, item.arguments, item.status] : item.type)),
      [
        ['call_p', '{"city":"Paris"}', 'completed'],
        ['call_r', '{"city":"Rome"}', 'completed'],
      ],
    );
  });

  it('stream with for await: reasoning content becomes a reasoning item before the message', async () => {
    reply = sse([
      delta({ role: 'assistant', reasoning_content: 'Two plus two ' }),
      delta({ reasoning_content: 'is four.' }),
      delta({ content: '4' }),
      delta({}, 'stop'),
      usageChunk({ prompt_tokens: 9, completion_tokens: 7, total_tokens: 16, completion_tokens_details: { reasoning_tokens: 5 } }),
      '[DONE]',
    ]);
    const events: ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({ model: 'openai/gpt-4o-mini', input: '2+2?', stream: true })) events.push(event);
    const reasoning = events.flatMap((event) => (event.type === 'response.reasoning_text.delta' ? [event.delta] : []));
    assert.equal(reasoning.join(''), 'Two plus two is four.');
    const completed = events.at(-1);
    assert.ok(completed?.type === 'response.completed');
    assert.deepEqual(
      completed.response.output.map((item) => item.type),
      ['reasoning', 'message'],
    );
    assert.deepEqual((completed.response.output[0] as { content: unknown }).content, [{ type: 'reasoning_text', text: 'Two plus two is four.' }]);
    assert.equal(completed.response.usage?.output_tokens_details.reasoning_tokens, 5);
  });
});

describe('Responses API clients: provider failures', () => {
  async function withGateway(reply: Reply, check: (client: OpenAI, gateway: RunningGateway, upstream: StandIn) => Promise<void>, config = '{}'): Promise<void> {
    const upstream = await startStandIn((request, response) => reply(request, response));
    const gateway = await startGateway(config, { OPENAI_API_KEY: upstreamSecret, OPENAI_BASE_URL: `${upstream.url}/v1` });
    try {
      await check(new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 }), gateway, upstream);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  }

  /** A raw POST, to read the error body as the client gets it. */
  async function post(gateway: RunningGateway, body: unknown): Promise<{ status: number; headers: Headers; text: string }> {
    const response = await fetch(`${gateway.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer client-key' }, body: JSON.stringify(body) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  it('an upstream 500 before the stream: HTTP 500 in OpenAI error shape (non-streamed and streamed), no secret in it', async () => {
    await withGateway(json(500, { error: { message: 'The server had an error', type: 'server_error', param: null, code: null } }), async (client, gateway) => {
      for (const stream of [false, true]) {
        const answer = await post(gateway, { model: 'openai/gpt-4o-mini', input: 'x', stream });
        assert.equal(answer.status, 500);
        assert.match(String(answer.headers.get('content-type')), /application\/json/);
        assert.ok(answer.headers.get('x-request-id'));
        const body = JSON.parse(answer.text) as { error: Record<string, unknown> };
        assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
        assert.equal(body.error.message, 'The server had an error');
        assert.ok(!answer.text.includes(upstreamSecret));
      }
      await assert.rejects(client.responses.create({ model: 'openai/gpt-4o-mini', input: 'x', stream: true }), OpenAI.InternalServerError);
    });
  });

  it('an upstream 429 before the stream: 429 with retry-after and the provider code', async () => {
    await withGateway(json(429, { error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': '7' }), async (client, gateway) => {
      const answer = await post(gateway, { model: 'openai/gpt-4o-mini', input: 'x' });
      assert.equal(answer.status, 429);
      assert.equal(answer.headers.get('retry-after'), '7');
      assert.equal((JSON.parse(answer.text) as { error: { code: string } }).error.code, 'rate_limit_exceeded');
      assert.ok(!answer.text.includes(upstreamSecret));
      await assert.rejects(client.responses.create({ model: 'openai/gpt-4o-mini', input: 'x' }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.RateLimitError);
        assert.equal(error.code, 'rate_limit_exceeded');
        return true;
      });
    });
  });

  it('a failure before the first byte falls back to the next target of the group', async () => {
    const config = `
models:
  resilient: { strategy: priority, targets: [{ provider: openai, model: gpt-4o-mini }, { provider: echo, model: fallback }] }
`;
    await withGateway(
      json(503, { error: { message: 'overloaded', type: 'server_error', param: null, code: null } }),
      async (client, _gateway, upstream) => {
        const { data: response, response: http } = await client.responses.create({ model: 'resilient', input: 'answered by the fallback' }).withResponse();
        assert.equal(upstream.requests.length, 1, 'the first target was tried');
        assert.equal(http.headers.get('x-tollgate-provider'), 'echo');
        assert.equal(http.headers.get('x-tollgate-attempts'), '2');
        assert.equal(response.output_text, 'answered by the fallback');
        const final = await client.responses.stream({ model: 'resilient', input: 'streamed by the fallback' }).finalResponse();
        assert.equal(final.output_text, 'streamed by the fallback');
      },
      config,
    );
  });

  it('a failure mid-stream: the client sees response.failed after the text so far; the ledger still records the request', async () => {
    const firstPart = () => Buffer.from(sseBody([delta({ role: 'assistant', content: '' }), delta({ content: 'Partial ' }), delta({ content: 'answer' })]));
    await withGateway(replyThenDrop({ 'content-type': 'text/event-stream' }, firstPart), async (client, gateway) => {
      const { data: stream, response: http } = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'Tell me everything', stream: true }).withResponse();
      const requestId = http.headers.get('x-request-id');
      assert.ok(requestId);
      const events: ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const text = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : [])).join('');
      assert.equal(text, 'Partial answer');
      const failed = events.at(-1);
      assert.ok(failed?.type === 'response.failed', `last event ${failed?.type}`);
      assert.equal(failed.response.status, 'failed');
      assert.equal(failed.response.error?.code, 'server_error');
      assert.ok(failed.response.error?.message);
      assert.ok(!failed.response.error.message.includes(upstreamSecret));
      assert.ok(!events.some((event) => event.type === 'response.completed'));

      // The stream helper: finalResponse() resolves with the failed response.
      const helper = await client.responses.stream({ model: 'openai/gpt-4o-mini', input: 'again' }).finalResponse();
      assert.equal(helper.status, 'failed');
      assert.equal(helper.output_text, 'Partial answer');

      const record = await ledgerRecord(gateway, requestId);
      assert.equal(record.operation, 'chat');
      assert.equal(record.provider, 'openai');
      assert.equal(record.requested_model, 'openai/gpt-4o-mini');
      assert.ok(record.error_code, 'the failure is on the record');
      assert.ok(Number(record.input_tokens) > 0);
      assert.ok(Number(record.output_tokens) >= 2, `output ${record.output_tokens}`);
      assert.equal(Number(record.stream), 1);
    });
  });
});
