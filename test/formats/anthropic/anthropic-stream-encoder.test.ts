import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatChunk, ChatDelta, FinishReason, Usage } from '../../../src/canonical/chat.ts';
import { errors } from '../../../src/errors/catalogue.ts';
import { AnthropicStreamEncoder } from '../../../src/formats/anthropic/anthropic-stream-encoder.ts';
import { SseParser } from '../../../src/upstream/sse-parser.ts';

function chunk(delta: ChatDelta, finish: FinishReason | null = null): ChatChunk {
  return { id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] };
}

function usageChunk(usage: Usage): ChatChunk {
  return { id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage };
}

/** Encodes the chunks and decodes the SSE text back into (event name, data) pairs. */
function encode(chunks: ChatChunk[]): Array<{ event: string; data: Record<string, unknown> }> {
  const encoder = new AnthropicStreamEncoder({ model: 'requested', inputTokens: 9 });
  const text = chunks.map((item) => encoder.push(item)).join('') + encoder.finish();
  return new SseParser().push(text).map((event) => {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    assert.equal(event.event, data.type, 'the event name is the data type');
    return { event: event.event!, data };
  });
}

/** A compact view: `start:0:text`, `delta:0:text_delta`, `stop:0`… */
function outline(events: Array<{ event: string; data: Record<string, unknown> }>): string[] {
  return events.map(({ event, data }) => {
    switch (event) {
      case 'content_block_start':
        return `start:${data.index}:${(data.content_block as { type: string }).type}`;
      case 'content_block_delta':
        return `delta:${data.index}:${(data.delta as { type: string }).type}`;
      case 'content_block_stop':
        return `stop:${data.index}`;
      default:
        return event;
    }
  });
}

describe('AnthropicStreamEncoder', () => {
  it('text: message_start, one text block, message_delta with stop_reason and usage, message_stop', () => {
    const events = encode([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 })]);
    assert.deepEqual(outline(events), ['message_start', 'start:0:text', 'delta:0:text_delta', 'delta:0:text_delta', 'stop:0', 'message_delta', 'message_stop']);
    const start = events[0].data.message as Record<string, unknown>;
    assert.equal(start.id, 'msg_chatcmpl-7');
    assert.equal(start.model, 'gpt-4o-mini');
    assert.deepEqual(start.content, []);
    assert.equal((start.usage as { input_tokens: number }).input_tokens, 9);
    assert.deepEqual(events[2].data.delta, { type: 'text_delta', text: 'Hel' });
    assert.deepEqual(events[5].data, {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_details: null, stop_sequence: null },
      usage: { input_tokens: 5, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('tool use: tool_use block start with id and name, the arguments whole in one input_json_delta before the stop, stop_reason tool_use', () => {
    const events = encode([
      chunk({ role: 'assistant', content: null }),
      chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(outline(events), ['message_start', 'start:0:tool_use', 'delta:0:input_json_delta', 'stop:0', 'message_delta', 'message_stop']);
    assert.deepEqual(events[1].data.content_block, { type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} });
    assert.deepEqual(events[2].data.delta, { type: 'input_json_delta', partial_json: '{"city":"Paris"}' });
    assert.equal((events[4].data.delta as { stop_reason: string }).stop_reason, 'tool_use');
  });

  it('arguments that are not a JSON object go out as the non-streamed message has them ({_raw_arguments}, {value}); none: no delta (the anthin audit: the SDK threw on text that is not JSON, losing the message)', () => {
    const inputOf = (argumentsText: string) => {
      const events = encode([chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: argumentsText } }] }), chunk({}, 'tool_calls')]);
      const deltas = events.filter((item) => item.event === 'content_block_delta').map((item) => (item.data.delta as { partial_json: string }).partial_json);
      return deltas.length === 0 ? null : JSON.parse(deltas.join('')) as unknown;
    };
    assert.deepEqual(inputOf('{"city": Paris'), { _raw_arguments: '{"city": Paris' });
    assert.deepEqual(inputOf('[1,2]'), { value: [1, 2] });
    assert.deepEqual(inputOf('"x"'), { value: 'x' });
    assert.deepEqual(inputOf(' {"a":1} '), { a: 1 });
    assert.equal(inputOf(''), null);
  });

  it('thinking with signature, then text', () => {
    const events = encode([chunk({ reasoning_content: 'Hmm' }), chunk({ reasoning_content: '…' }), chunk({ reasoning_signature: 'sig' }), chunk({ content: 'Answer' }), chunk({}, 'stop')]);
    assert.deepEqual(outline(events), ['message_start', 'start:0:thinking', 'delta:0:thinking_delta', 'delta:0:thinking_delta', 'delta:0:signature_delta', 'stop:0', 'start:1:text', 'delta:1:text_delta', 'stop:1', 'message_delta', 'message_stop']);
    assert.deepEqual(events[1].data.content_block, { type: 'thinking', thinking: '', signature: '' });
    assert.deepEqual(events[4].data.delta, { type: 'signature_delta', signature: 'sig' });
  });

  it('text and several tool calls: indexes follow first appearance; interleaved argument deltas wait for the open call to be whole', () => {
    const events = encode([
      chunk({ content: 'Checking both.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'weather', arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '"Rome"}' } }] }),
      chunk({ tool_calls: [{ index: 2, id: 'call_c', function: { name: 'time', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 2, function: { arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(outline(events), [
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'stop:0',
      'start:1:tool_use',
      'delta:1:input_json_delta',
      'stop:1',
      'start:2:tool_use',
      'delta:2:input_json_delta',
      'stop:2',
      'start:3:tool_use',
      'delta:3:input_json_delta',
      'stop:3',
      'message_delta',
      'message_stop',
    ]);
    assert.deepEqual(events[7].data.content_block, { type: 'tool_use', id: 'call_b', name: 'weather', input: {} });

    // A provider that interleaves argument deltas of two calls: the second call's events wait
    // until the first call's arguments are whole, so no delta follows its block's stop.
    const interleaved = encode([
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{"x":' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'g', arguments: '{"y":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '2}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(outline(interleaved).slice(1, 7), ['start:0:tool_use', 'delta:0:input_json_delta', 'stop:0', 'start:1:tool_use', 'delta:1:input_json_delta', 'stop:1']);
    assert.deepEqual(interleaved.filter((item) => item.event === 'content_block_delta').map((item) => (item.data.delta as { partial_json: string }).partial_json), ['{"x":1}', '{"y":2}']);
  });

  it('length -> max_tokens; content_filter -> refusal; no finish reason -> end_turn', () => {
    const stopOf = (finish: FinishReason | null) => {
      const events = encode([chunk({ content: 'x' }, finish)]);
      return (events.find((item) => item.event === 'message_delta')!.data.delta as { stop_reason: string }).stop_reason;
    };
    assert.equal(stopOf('length'), 'max_tokens');
    assert.equal(stopOf('content_filter'), 'refusal');
    assert.equal(stopOf(null), 'end_turn');
  });

  it('a stop sequence named on the finishing choice (stop_sequence extension): message_delta says stop_sequence and names it', () => {
    const finish = chunk({}, 'stop');
    Object.assign(finish.choices[0], { stop_sequence: '3.' });
    const events = encode([chunk({ content: '1. Paris' }), finish]);
    const delta = events.find((item) => item.event === 'message_delta')!.data.delta as { stop_reason: string; stop_sequence: string | null };
    assert.deepEqual([delta.stop_reason, delta.stop_sequence], ['stop_sequence', '3.']);
  });

  it('an empty stream still makes a whole message; an error is an error event', () => {
    assert.deepEqual(outline(encode([])), ['message_start', 'message_delta', 'message_stop']);
    const encoder = new AnthropicStreamEncoder({ model: 'm' });
    encoder.push(chunk({ content: 'x' }));
    const text = encoder.error(errors.upstreamTimeout('p', 'idle'));
    assert.match(text, /^event: error\ndata: /);
    assert.deepEqual(JSON.parse(text.split('data: ')[1]), { type: 'error', error: { type: 'timeout_error', message: "Provider 'p' did not answer in time (idle timeout)." } });
    assert.equal(encoder.finish(), '', 'nothing follows an error');
  });
});
