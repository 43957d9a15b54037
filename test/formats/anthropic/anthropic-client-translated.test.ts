import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

type Reply = (request: RecordedRequest, response: ServerResponse) => void;

/** Why OpenAI's Chat Completions would refuse the body (the rules these tests touch), or null. */
function openAIRefusal(body: { stop?: unknown; max_tokens?: number; messages?: Array<{ role: string; content?: unknown }> }): string | null {
  if (Array.isArray(body.stop) && body.stop.length > 4) return "Invalid 'stop': array too long. Expected an array with maximum length 4.";
  if (typeof body.max_tokens === 'number' && body.max_tokens < 1) return `Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got ${body.max_tokens} instead.`;
  for (const [index, message] of (body.messages ?? []).entries()) {
    if (message.role === 'tool' && Array.isArray(message.content) && message.content.some((part: { type?: string }) => part.type !== 'text')) return `Invalid 'messages[${index}]': a tool message takes text parts only.`;
  }
  return null;
}

function completion(message: Record<string, unknown>, finishReason = 'stop'): Record<string, unknown> {
  return { id: 'chatcmpl-T1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, finish_reason: finishReason }], usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 } };
}

/** Answers like OpenAI: 400 for a body it refuses, else `answer`. */
function checkingOpenAI(answer: () => Record<string, unknown>): Reply {
  return (request, response) => {
    const refusal = openAIRefusal(request.json as Parameters<typeof openAIRefusal>[0]);
    response.writeHead(refusal === null ? 200 : 400, { 'content-type': 'application/json' });
    response.end(JSON.stringify(refusal === null ? answer() : { error: { message: refusal, type: 'invalid_request_error', param: null, code: null } }));
  };
}

/**
 * Anthropic SDK clients on an OpenAI-format provider (translated both ways): what the current
 * Messages API sends (system entries in messages, adaptive thinking, images in tool results, more
 * stop sequences than OpenAI takes) becomes a valid OpenAI request, and the answer has the fields
 * the SDK types promise (citations, stop_details) and Anthropic's refusal stop reason.
 */
describe('Anthropic Messages API clients on an OpenAI-compatible provider (translated)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;
  let reply: Reply = checkingOpenAI(() => completion({ content: 'ok' }));
  const model = 'oai/gpt-4o-mini';

  before(async () => {
    upstream = await startStandIn((request, response) => reply(request, response));
    gateway = await startGateway(`
providers:
  oai: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: oai-key }
`);
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    reply = checkingOpenAI(() => completion({ content: 'ok' }));
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  function sent(): Record<string, unknown> {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0].json as Record<string, unknown>;
  }

  it('max_tokens: 0 (prompt-cache pre-warming) goes up as max_tokens 1, the least OpenAI takes; the answer comes back', async () => {
    const message = await client.messages.create({ model, max_tokens: 0, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(sent().max_tokens, 1);
    assert.equal(message.type, 'message');
  });

  it('a system entry inside messages is a system message at that position', async () => {
    await client.messages.create({
      model,
      max_tokens: 100,
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'system', content: 'Now answer in French.' },
        { role: 'system', content: [{ type: 'text', text: 'Use one word.' }] },
        { role: 'user', content: 'c' },
      ],
    });
    assert.deepEqual(sent().messages, [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'system', content: 'Now answer in French.' },
      { role: 'system', content: 'Use one word.' },
      { role: 'user', content: 'c' },
    ]);
  });

  it('adaptive thinking with output_config.effort is reasoning_effort (high when no effort is named)', async () => {
    await client.messages.create({ model, max_tokens: 5000, thinking: { type: 'adaptive' }, output_config: { effort: 'medium' }, messages: [{ role: 'user', content: 'think' }] });
    assert.equal(sent().reasoning_effort, 'medium');
    upstream.requests.length = 0;
    await client.messages.create({ model, max_tokens: 5000, thinking: { type: 'adaptive' }, messages: [{ role: 'user', content: 'think' }] });
    assert.equal(sent().reasoning_effort, 'high');
    upstream.requests.length = 0;
    await client.messages.create({ model, max_tokens: 5000, thinking: { type: 'adaptive' }, output_config: { effort: 'xhigh' }, messages: [{ role: 'user', content: 'think' }] });
    assert.equal(sent().reasoning_effort, 'xhigh');
    upstream.requests.length = 0;
    await client.messages.create({ model, max_tokens: 5000, thinking: { type: 'disabled' }, output_config: { effort: 'low' }, messages: [{ role: 'user', content: 'no thinking' }] });
    assert.equal(sent().reasoning_effort, undefined);
  });

  it('a tool_result with an image: the text stays in the tool message, the image follows in a user message', async () => {
    await client.messages.create({
      model,
      max_tokens: 100,
      tools: [{ name: 'screenshot', input_schema: { type: 'object', properties: {} } }],
      messages: [
        { role: 'user', content: 'Show me the map' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01C', name: 'screenshot', input: {} }, { type: 'tool_use', id: 'toolu_01D', name: 'screenshot', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01C', content: [{ type: 'text', text: 'see map' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] },
            { type: 'tool_result', tool_use_id: 'toolu_01D', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/b.png' } }] },
            { type: 'text', text: 'What do you see?' },
          ],
        },
      ],
    });
    assert.deepEqual((sent().messages as unknown[]).slice(2), [
      { role: 'tool', tool_call_id: 'toolu_01C', content: 'see map' },
      { role: 'tool', tool_call_id: 'toolu_01D', content: '[1 attachment(s) of this result in the next message]' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/b.png' } },
          { type: 'text', text: 'What do you see?' },
        ],
      },
    ]);
  });

  it('more than four stop sequences: the first four go to the OpenAI provider', async () => {
    const message = await client.messages.create({ model, max_tokens: 10, stop_sequences: ['A', 'B', 'C', 'D', 'E'], messages: [{ role: 'user', content: 'x' }] });
    assert.deepEqual(sent().stop, ['A', 'B', 'C', 'D']);
    assert.equal(message.stop_reason, 'end_turn');
  });

  it('text blocks have citations: null and the Message stop_details: null, as the SDK types say', async () => {
    const message = await client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    assert.deepEqual(message.content, [{ type: 'text', text: 'ok', citations: null }]);
    assert.equal(message.stop_details, null);
    assert.ok('stop_details' in message);

    reply = (_request, response) => {
      const base = { id: 'chatcmpl-S', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'o' }, finish_reason: null }] }, { ...base, choices: [{ index: 0, delta: { content: 'k' }, finish_reason: 'stop' }] }, { ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }, '[DONE]']));
    };
    const stream = client.messages.stream({ model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    let deltaStopDetails: unknown = 'absent';
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_delta') deltaStopDetails = 'stop_details' in event.delta ? event.delta.stop_details : 'absent';
    });
    const final = await stream.finalMessage();
    assert.deepEqual(final.content, [{ type: 'text', text: 'ok', citations: null }]);
    assert.equal(final.stop_details, null);
    assert.equal(deltaStopDetails, null);
  });

  it("an OpenAI refusal is Anthropic's stop_reason refusal (message and stream)", async () => {
    reply = checkingOpenAI(() => completion({ refusal: "I can't help with that." }));
    const message = await client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(message.stop_reason, 'refusal');
    assert.deepEqual(message.stop_details, { type: 'refusal', category: null, explanation: null });
    assert.deepEqual(message.content, [{ type: 'text', text: "I can't help with that.", citations: null }]);

    reply = (_request, response) => {
      const base = { id: 'chatcmpl-R', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([{ ...base, choices: [{ index: 0, delta: { role: 'assistant', refusal: '' }, finish_reason: null }] }, { ...base, choices: [{ index: 0, delta: { refusal: 'No.' }, finish_reason: null }] }, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, '[DONE]']));
    };
    const final = await client.messages.stream({ model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage();
    assert.equal(final.stop_reason, 'refusal');
    assert.deepEqual(final.stop_details, { type: 'refusal', category: null, explanation: null });
  });
});
