import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response as SdkResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { ChatChunk, ChatDelta, FinishReason, Usage } from '../../../src/canonical/chat.ts';
import { errors } from '../../../src/errors/catalogue.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { parseResponsesRequest } from '../../../src/formats/openai-responses/parse-responses-request.ts';
import type { ResponsesResponse } from '../../../src/formats/openai-responses/responses-api.ts';
import { responsesEchoOf } from '../../../src/formats/openai-responses/responses-echo.ts';
import { decodeReasoningState } from '../../../src/formats/openai-responses/responses-reasoning-state.ts';
import { ResponsesStreamEncoder } from '../../../src/formats/openai-responses/responses-stream-encoder.ts';
import { SseParser } from '../../../src/upstream/sse-parser.ts';

function chunk(delta: ChatDelta, finish: FinishReason | null = null, logprobs?: unknown): ChatChunk {
  return { id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish, ...(logprobs ? { logprobs } : {}) }] };
}

function usageChunk(usage: Usage): ChatChunk {
  return { id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [], usage };
}

const echo = responsesEchoOf(parseResponsesRequest({ model: 'requested', input: 'x', metadata: { trace: 't1' } }));

/** The SSE text decoded back into events; each event name is its data's type. */
function decode(text: string): ResponseStreamEvent[] {
  return new SseParser().push(text).map((event) => {
    const data = JSON.parse(event.data) as ResponseStreamEvent;
    assert.equal(event.event, data.type, 'the event name is the data type');
    return data;
  });
}

function encode(chunks: ChatChunk[], end: (encoder: ResponsesStreamEncoder) => string = (encoder) => encoder.finish()): ResponseStreamEvent[] {
  const encoder = new ResponsesStreamEncoder({ model: 'requested', echo });
  return decode(chunks.map((item) => encoder.push(item)).join('') + end(encoder));
}

/** Folds the events with the official SDK's own accumulator (it throws on an event that points at a missing item or part). */
function accumulate(events: ResponseStreamEvent[]): SdkResponse {
  let snapshot: SdkResponse | undefined;
  for (const event of events) snapshot = accumulateResponse(event, snapshot);
  assert.ok(snapshot);
  return snapshot;
}

/** The events in a compact form: `added:0:message`, `delta:0`, … */
function outline(events: ResponseStreamEvent[]): string[] {
  return events.map((event) => {
    switch (event.type) {
      case 'response.output_item.added':
      case 'response.output_item.done':
        return `${event.type.slice('response.output_item.'.length)}:${event.output_index}:${event.item.type}`;
      case 'response.content_part.added':
      case 'response.content_part.done':
        return `part.${event.type.endsWith('added') ? 'added' : 'done'}:${event.output_index}:${event.content_index}:${event.part.type}`;
      default:
        return event.type.replace(/^response\./, '');
    }
  });
}

function final(events: ResponseStreamEvent[]): ResponsesResponse {
  const last = events.at(-1) as unknown as { response: ResponsesResponse };
  return last.response;
}

describe('ResponsesStreamEncoder', () => {
  it('service_tier: the tier that served (the chunks say), not the one asked for', () => {
    const flexEcho = responsesEchoOf(parseResponsesRequest({ model: 'requested', input: 'x', service_tier: 'flex' }));
    const encoder = new ResponsesStreamEncoder({ model: 'requested', echo: flexEcho });
    const served = { ...chunk({ content: 'hi' }), service_tier: 'default' };
    const events = decode([chunk({ role: 'assistant', content: '' }), served, chunk({}, 'stop'), usageChunk({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })].map((item) => encoder.push(item)).join('') + encoder.finish());
    const completed = events.at(-1);
    assert.ok(completed?.type === 'response.completed');
    assert.equal(completed.response.service_tier, 'default');
    const unsaid = encode([chunk({ content: 'hi' }, 'stop')]).at(-1);
    assert.ok(unsaid?.type === 'response.completed');
    assert.equal(unsaid.response.service_tier, null, 'none asked, none said: null');
  });

  it('text: created, in_progress, one message item with one output_text part, completed with usage', () => {
    const events = encode([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      chunk({}, 'stop'),
      usageChunk({ prompt_tokens: 12, completion_tokens: 2, total_tokens: 14, prompt_tokens_details: { cached_tokens: 4 } }),
    ]);
    assert.deepEqual(outline(events), ['created', 'in_progress', 'added:0:message', 'part.added:0:0:output_text', 'output_text.delta', 'output_text.delta', 'output_text.done', 'part.done:0:0:output_text', 'done:0:message', 'completed']);
    assert.deepEqual(
      events.map((event) => event.sequence_number),
      events.map((_, index) => index),
      'sequence numbers count up from 0',
    );
    const created = (events[0] as unknown as { response: ResponsesResponse }).response;
    assert.match(created.id, /^resp_[0-9a-f]{32}$/);
    assert.equal(created.status, 'in_progress');
    assert.equal(created.usage, null);
    assert.deepEqual(created.output, []);
    assert.deepEqual(created.metadata, { trace: 't1' });
    const completed = final(events);
    assert.equal(completed.id, created.id);
    assert.equal(completed.status, 'completed');
    assert.equal(completed.model, 'gpt-4o-mini');
    assert.equal(completed.created_at, 1700000000);
    assert.deepEqual(completed.usage, { input_tokens: 12, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 14 });
    const message = completed.output[0];
    assert.equal(message.type, 'message');
    assert.match(message.id, /^msg_/);
    assert.deepEqual(message, { type: 'message', id: message.id, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [], logprobs: [] }] });
    const sdk = accumulate(events);
    assert.equal(sdk.output_text, 'Hello');
    assert.deepEqual(sdk.output, completed.output);
  });

  it('reasoning, then text, then two tool calls (interleaved argument deltas): the second waits until the first is whole', () => {
    const events = encode([
      chunk({ role: 'assistant', reasoning_content: 'Think' }),
      chunk({ reasoning_content: 'ing.', reasoning_signature: 'sig' }),
      chunk({ content: 'Checking both.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_r', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 30, completion_tokens: 20, total_tokens: 50, completion_tokens_details: { reasoning_tokens: 6 } }),
    ]);
    assert.deepEqual(outline(events), [
      'created',
      'in_progress',
      'added:0:reasoning',
      'part.added:0:0:reasoning_text',
      'reasoning_text.delta',
      'reasoning_text.delta',
      'reasoning_text.done',
      'part.done:0:0:reasoning_text',
      'done:0:reasoning',
      'added:1:message',
      'part.added:1:0:output_text',
      'output_text.delta',
      'output_text.done',
      'part.done:1:0:output_text',
      'done:1:message',
      'added:2:function_call',
      'function_call_arguments.delta',
      'function_call_arguments.delta',
      'function_call_arguments.done',
      'done:2:function_call',
      'added:3:function_call',
      'function_call_arguments.delta',
      'function_call_arguments.done',
      'done:3:function_call',
      'completed',
    ]);
    const lateDelta = events[17] as Extract<ResponseStreamEvent, { type: 'response.function_call_arguments.delta' }>;
    assert.deepEqual([lateDelta.output_index, lateDelta.delta], [2, '"Paris"}'], "a late delta goes to its own call's item");
    const waited = events[21] as Extract<ResponseStreamEvent, { type: 'response.function_call_arguments.delta' }>;
    assert.deepEqual([waited.output_index, waited.delta], [3, '{"city":"Rome"}'], 'the call that waited comes with its arguments so far');
    assert.deepEqual(
      events.map((event) => event.sequence_number),
      events.map((_, index) => index),
    );
    const completed = final(events);
    assert.deepEqual(
      completed.output.map((item) => (item.type === 'function_call' ? [item.call_id, item.name, item.arguments, item.status] : item.type)),
      ['reasoning', 'message', ['call_p', 'get_weather', '{"city":"Paris"}', 'completed'], ['call_r', 'get_weather', '{"city":"Rome"}', 'completed']],
    );
    assert.deepEqual((completed.output[0] as { content: unknown }).content, [{ type: 'reasoning_text', text: 'Thinking.' }]);
    // The signature closes the thinking block: the item's done event carries text and signature in encrypted_content.
    const reasoningDone = events.find((event) => event.type === 'response.output_item.done' && event.item.type === 'reasoning') as Extract<ResponseStreamEvent, { type: 'response.output_item.done' }>;
    assert.ok(reasoningDone.item.type === 'reasoning');
    assert.deepEqual(decodeReasoningState(reasoningDone.item.encrypted_content, 'x'), { thinking: 'Thinking.', signature: 'sig' });
    assert.deepEqual(completed.output[0], reasoningDone.item);
    assert.equal(completed.usage?.output_tokens_details.reasoning_tokens, 6);
    const sdk = accumulate(events);
    assert.deepEqual(sdk.output, completed.output);
    assert.equal(sdk.output_text, 'Checking both.');
  });

  it('parallel tool calls: each item is done before the next is added, in output order', () => {
    const events = encode([
      chunk({ role: 'assistant', content: 'Both.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_r', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '"Rome"}' } }] }),
      chunk({ tool_calls: [{ index: 2, id: 'call_t', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(outline(events).slice(2), [
      'added:0:message',
      'part.added:0:0:output_text',
      'output_text.delta',
      'output_text.done',
      'part.done:0:0:output_text',
      'done:0:message',
      'added:1:function_call',
      'function_call_arguments.delta',
      'function_call_arguments.done',
      'done:1:function_call',
      'added:2:function_call',
      'function_call_arguments.delta',
      'function_call_arguments.delta',
      'function_call_arguments.done',
      'done:2:function_call',
      'added:3:function_call',
      'function_call_arguments.delta',
      'function_call_arguments.done',
      'done:3:function_call',
      'completed',
    ]);
    assert.deepEqual(
      events.map((event) => event.sequence_number),
      events.map((_, index) => index),
    );
    const done = events.flatMap((event) => (event.type === 'response.output_item.done' ? [event.item] : []));
    const completed = final(events);
    assert.deepEqual(completed.output, done, 'response.completed lists the items as they were done');
    assert.deepEqual(
      completed.output.map((item) => (item.type === 'function_call' ? [item.call_id, item.arguments, item.status] : item.type)),
      ['message', ['call_p', '{"city":"Paris"}', 'completed'], ['call_r', '{"city":"Rome"}', 'completed'], ['call_t', '{"city":"Tokyo"}', 'completed']],
    );
    assert.deepEqual(accumulate(events).output, completed.output);
  });

  it('text after a tool call closes the call first; a call still waiting at the end is added and closed in order', () => {
    const after = encode([chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{}' } }] }), chunk({ content: 'Done.' }), chunk({}, 'stop')]);
    assert.deepEqual(outline(after).slice(2, 8), ['added:0:function_call', 'function_call_arguments.delta', 'function_call_arguments.done', 'done:0:function_call', 'added:1:message', 'part.added:1:0:output_text']);
    assert.deepEqual(accumulate(after).output, final(after).output);

    const cut = encode([chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a":' } }] }), chunk({ tool_calls: [{ index: 1, id: 'call_2', function: { name: 'g', arguments: '{"b":1}' } }] }), chunk({}, 'length')]);
    assert.deepEqual(outline(cut).slice(2), ['added:0:function_call', 'function_call_arguments.delta', 'function_call_arguments.done', 'done:0:function_call', 'added:1:function_call', 'function_call_arguments.delta', 'function_call_arguments.done', 'done:1:function_call', 'incomplete']);
    assert.deepEqual(
      final(cut).output.map((item) => item.status),
      ['incomplete', 'incomplete'],
    );
    assert.deepEqual(accumulate(cut).output, final(cut).output);
  });

  it('a signature with no thinking text before it still gets a reasoning item (the provider needs the block back)', () => {
    const events = encode([chunk({ role: 'assistant', reasoning_signature: 'sig-empty' }), chunk({ content: 'Hi' }), chunk({}, 'stop')]);
    assert.deepEqual(outline(events).slice(2, 7), ['added:0:reasoning', 'part.added:0:0:reasoning_text', 'reasoning_text.done', 'part.done:0:0:reasoning_text', 'done:0:reasoning']);
    const [reasoning] = final(events).output;
    assert.ok(reasoning.type === 'reasoning');
    assert.deepEqual(decodeReasoningState(reasoning.encrypted_content, 'x'), { thinking: '', signature: 'sig-empty' });
    assert.deepEqual(accumulate(events).output, final(events).output);
  });

  it('a refusal is a refusal part; length ends as response.incomplete with max_output_tokens', () => {
    const refused = encode([chunk({ role: 'assistant', refusal: "I can't " }), chunk({ refusal: 'help.' }), chunk({}, 'stop')]);
    assert.deepEqual(outline(refused).slice(2), ['added:0:message', 'part.added:0:0:refusal', 'refusal.delta', 'refusal.delta', 'refusal.done', 'part.done:0:0:refusal', 'done:0:message', 'completed']);
    assert.deepEqual((final(refused).output[0] as { content: unknown }).content, [{ type: 'refusal', refusal: "I can't help." }]);
    accumulate(refused);

    const cut = encode([chunk({ content: 'Once upon' }), chunk({}, 'length'), usageChunk({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 })]);
    assert.equal(cut.at(-1)?.type, 'response.incomplete');
    const response = final(cut);
    assert.equal(response.status, 'incomplete');
    assert.deepEqual(response.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(response.output[0].status, 'incomplete');
    assert.equal(accumulate(cut).status, 'incomplete');

    const filtered = encode([chunk({ content: 'x' }), chunk({}, 'content_filter')]);
    assert.deepEqual(final(filtered).incomplete_details, { reason: 'content_filter' });
  });

  it('logprobs reach the delta events and the finished part', () => {
    const entry = { token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105] }] };
    const events = encode([chunk({ content: 'Hi' }, null, { content: [entry] }), chunk({}, 'stop')]);
    const delta = events.find((event) => event.type === 'response.output_text.delta');
    assert.deepEqual(delta && 'logprobs' in delta ? delta.logprobs : null, [entry]);
    assert.deepEqual((final(events).output[0] as { content: Array<{ logprobs: unknown }> }).content[0].logprobs, [entry]);
  });

  it('an empty stream still opens and completes the response', () => {
    const events = encode([]);
    assert.deepEqual(outline(events), ['created', 'in_progress', 'completed']);
    assert.equal(accumulate(events).output_text, '');
  });

  it('a failure after the start ends with response.failed carrying the response so far and the error', () => {
    const events = encode([chunk({ content: 'Partial' }), chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a"' } }] })], (encoder) => encoder.error(errors.upstreamUnreachable('local', 'connection reset')));
    assert.deepEqual(outline(events).slice(-3), ['added:1:function_call', 'function_call_arguments.delta', 'failed']);
    const failed = final(events);
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.error, { code: 'server_error', message: "Provider 'local' could not be reached: connection reset." });
    assert.deepEqual(
      failed.output.map((item) => item.status),
      ['completed', 'incomplete'],
      'the message was done before the call began; the call was cut',
    );
    const sdk = accumulate(events);
    assert.equal(sdk.status, 'failed');
    assert.equal(sdk.output_text, 'Partial');

    const limited = encode([], (encoder) => encoder.error(errors.invalidRequest('x')) + encoder.finish());
    assert.deepEqual(outline(limited), ['created', 'in_progress', 'failed'], 'nothing follows the failure');
    const rateLimited = new ResponsesStreamEncoder({ model: 'm', echo }).error(new GatewayError({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'slow down' }));
    assert.deepEqual(final(decode(rateLimited)).error, { code: 'rate_limit_exceeded', message: 'slow down' });
  });
});
