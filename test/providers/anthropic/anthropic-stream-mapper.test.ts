import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AnthropicStreamMapper } from '../../../src/providers/anthropic/anthropic-stream-mapper.ts';
import { mapPieces, readFixture, readJsonFixture, streamFixtureNames, type StreamOutcome } from './run-stream-fixture.ts';

describe('mapAnthropicEventStream: recorded streams', () => {
  for (const name of streamFixtureNames) {
    test(name, async () => {
      const outcome = await mapPieces([readFixture(`streams/${name}.sse`)]);
      assert.deepEqual(JSON.parse(JSON.stringify(outcome)), readJsonFixture<StreamOutcome>(`streams/${name}.expected.json`));
    });
  }

  test('every stream starts with the assistant role and ends with finish_reason, then usage with no choices', async () => {
    for (const name of streamFixtureNames.filter((name) => name !== 'mid-stream-error')) {
      const { chunks } = await mapPieces([readFixture(`streams/${name}.sse`)]);
      assert.equal(chunks[0].choices[0].delta.role, 'assistant', name);
      assert.notEqual(chunks.at(-2)?.choices[0].finish_reason, null, name);
      assert.deepEqual(chunks.at(-1)?.choices, [], name);
      assert.ok(chunks.at(-1)?.usage, name);
    }
  });

  test('a mid-stream error event is thrown as an upstream GatewayError after the text so far', async () => {
    const outcome = await mapPieces([readFixture('streams/mid-stream-error.sse')]);
    assert.equal(outcome.chunks.at(-1)?.choices[0].delta.content, 'Once upon a');
    assert.deepEqual(outcome.error && { status: outcome.error.status, code: outcome.error.code, upstream: outcome.error.upstream }, { status: 503, code: 'overloaded_error', upstream: true });
  });

  test('a stream cut off before message_stop fails instead of passing for a complete answer', async () => {
    const text = readFixture('streams/text.sse').toString('utf8');
    const cut = text.slice(0, text.indexOf('event: message_delta'));
    const outcome = await mapPieces([Buffer.from(cut)]);
    assert.equal(outcome.error?.status, 502);
    assert.equal(outcome.error?.code, 'upstream_bad_response');
  });

  test('an event that is not JSON fails as a bad upstream response', async () => {
    const outcome = await mapPieces([Buffer.from('event: message_start\ndata: {oops\n\n')]);
    assert.equal(outcome.error?.code, 'upstream_bad_response');
  });
});

describe('AnthropicStreamMapper', () => {
  test('tool indexes count tool_use blocks, not content blocks', () => {
    const mapper = new AnthropicStreamMapper({ provider: 'anthropic', jsonToolName: null, created: 1 });
    mapper.map({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1 } } });
    mapper.map({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
    mapper.map({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } });
    // The empty blocks and the tool_use start made no chunk (an overload may still follow them);
    // the role chunk and the call's id and name come with its first arguments.
    assert.deepEqual(mapper.map({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } }), []);
    const [role, chunk, delta] = mapper.map({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"a":1}' } });
    assert.equal(role.choices[0].delta.role, 'assistant');
    assert.deepEqual(chunk.choices[0].delta.tool_calls, [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '' } }]);
    assert.deepEqual(delta.choices[0].delta.tool_calls, [{ index: 0, function: { arguments: '{"a":1}' } }]);
  });

  test('unknown event and delta types are skipped', () => {
    const mapper = new AnthropicStreamMapper({ provider: 'anthropic', jsonToolName: null, created: 1 });
    assert.equal(mapper.map({ type: 'future_event' } as never).length, 0);
    mapper.map({ type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 's', name: 'web_search', input: {} } });
    assert.deepEqual(mapper.map({ type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: {} } }), []);
  });
});
