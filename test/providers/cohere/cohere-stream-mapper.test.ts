import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { billedTokens } from '../../../src/canonical/chat.ts';
import { CohereStreamMapper } from '../../../src/providers/cohere/cohere-stream-mapper.ts';
import { mapCohereError } from '../../../src/providers/cohere/cohere-error.ts';
import { contentOf, fixtureBytes, mapPieces, streamFixtureNames, testContext } from './fixtures.ts';

describe('cohere stream mapper', () => {
  it('text: role first, content deltas, finish_reason stop, then a usage chunk from usage.tokens', async () => {
    const { chunks, error } = await mapPieces([fixtureBytes('stream-text.sse')]);
    assert.equal(error, null);
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
    assert.equal(contentOf(chunks), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
    const finish = chunks.at(-2)!;
    assert.deepEqual(finish.choices[0], { index: 0, delta: {}, finish_reason: 'stop', logprobs: null });
    const usage = chunks.at(-1)!;
    assert.deepEqual(usage.choices, []);
    assert.deepEqual(usage.usage, { prompt_tokens: 73, completion_tokens: 15, total_tokens: 88, [billedTokens]: { prompt_tokens: 7, completion_tokens: 15 } });
    assert.ok(chunks.every((chunk) => chunk.id === 'chatcmpl-test' && chunk.object === 'chat.completion.chunk' && chunk.model === 'command-a-03-2025'));
    // Only the role chunk, the three text deltas, the finish and the usage chunk: empty starts make nothing.
    assert.equal(chunks.length, 6);
  });

  it('tool calls: tool plan as reasoning, id and name first, argument fragments under stable indexes, {} for a call without arguments', async () => {
    const { chunks, error } = await mapPieces([fixtureBytes('stream-tool-call.sse')]);
    assert.equal(error, null);
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.reasoning_content ?? '').join(''), 'I will check the weather in Zürich and Genève.');
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    const starts = deltas.filter((delta) => delta.id !== undefined);
    assert.deepEqual(starts, [
      { index: 0, id: 'get_weather_k3v9x1m2p7qz', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 1, id: 'get_weather_w8c2n5b1t4hy', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 2, id: 'get_time_r6d0f3j8l2sx', type: 'function', function: { name: 'get_time', arguments: '' } },
    ]);
    const argumentsByIndex = [0, 1, 2].map((index) => deltas.filter((delta) => delta.index === index).map((delta) => delta.function?.arguments ?? '').join(''));
    assert.deepEqual(argumentsByIndex.map((text) => JSON.parse(text)), [{ city: 'Zürich', unit: 'celsius' }, { city: 'Genève', unit: 'celsius' }, {}]);
    assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'tool_calls');
    assert.equal(chunks.at(-1)?.usage?.total_tokens, 1038);
  });

  it('thinking content is reasoning_content, text is content, citations are ignored', async () => {
    const { chunks, error } = await mapPieces([fixtureBytes('stream-thinking.sse')]);
    assert.equal(error, null);
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.reasoning_content ?? '').join(''), '17 × 3 = 51.');
    assert.equal(contentOf(chunks), '51');
    assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'stop');
  });

  it('message-end with finish_reason ERROR: the chunks before it, then an upstream error carrying Cohere\'s message', async () => {
    const { chunks, error } = await mapPieces([fixtureBytes('stream-error.sse')]);
    assert.equal(contentOf(chunks), 'Partial answ');
    assert.ok(chunks.every((chunk) => chunk.choices[0]?.finish_reason == null));
    assert.equal(error?.status, 502);
    assert.equal(error?.code, 'upstream_generation_error');
    assert.match(error?.message ?? '', /internal error while generating/);
  });

  it('a stream cut off before message-end fails instead of passing for a whole answer', async () => {
    const bytes = fixtureBytes('stream-text.sse');
    const { chunks, error } = await mapPieces([bytes.subarray(0, bytes.indexOf('event: message-end'))]);
    assert.equal(contentOf(chunks), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
    assert.equal(error?.code, 'upstream_bad_response');
    assert.match(error?.message ?? '', /before message-end/);
  });

  it('an error object in place of an event becomes the mapped error; an event that is not JSON is a bad response', async () => {
    const errorObject = await mapPieces([Buffer.from('event: message-start\ndata: {"type":"message-start","id":"x"}\n\ndata: {"message":"internal server error"}\n\n')]);
    assert.equal(errorObject.error?.status, 500);
    assert.equal(errorObject.error?.message, 'internal server error');
    const notJson = await mapPieces([Buffer.from('event: message-start\ndata: {"type":"message-start"\n\n')]);
    assert.equal(notJson.error?.code, 'upstream_bad_response');
  });

  it('a tool call with its arguments in tool-call-start sends them there and no {} at the end', () => {
    const mapper = new CohereStreamMapper(testContext(), (status, text) => mapCohereError('cohere', status, {}, text));
    const started = mapper.map({ type: 'tool-call-start', index: 3, delta: { message: { tool_calls: { id: 'call_a', type: 'function', function: { name: 'ping', arguments: '{"host":"a"}' } } } } });
    assert.deepEqual(started.map((chunk) => chunk.choices[0].delta), [
      { role: 'assistant', content: '' },
      { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'ping', arguments: '{"host":"a"}' } }] },
    ]);
    assert.deepEqual(mapper.map({ type: 'tool-call-end', index: 3 }), []);
  });
});

// TCP splits a stream anywhere, including inside a multi-byte UTF-8 character or between the two
// newlines that end an event. Whatever the split, the chunks (and any error) must be the same.
for (const name of streamFixtureNames) {
  test(`${name}.sse split at every byte offset maps identically`, async () => {
    const bytes = fixtureBytes(`${name}.sse`);
    const whole = JSON.stringify(await mapPieces([bytes]));
    for (let offset = 1; offset < bytes.length; offset++) {
      const split = JSON.stringify(await mapPieces([bytes.subarray(0, offset), bytes.subarray(offset)]));
      if (split !== whole) assert.equal(split, whole, `split at byte ${offset}`);
    }
    const byteByByte = [...bytes].map((byte) => Buffer.from([byte]));
    assert.equal(JSON.stringify(await mapPieces(byteByByte)), whole, 'one byte at a time');
  });
}

test('a character split between pieces arrives whole (3- and 4-byte UTF-8 sequences)', async () => {
  const bytes = fixtureBytes('stream-text.sse');
  const flower = bytes.indexOf(Buffer.from('🌸'));
  const tokyo = bytes.indexOf(Buffer.from('東'));
  assert.ok(flower > 0 && tokyo > 0, 'the fixture holds multi-byte characters');
  const pieces = [bytes.subarray(0, tokyo + 1), bytes.subarray(tokyo + 1, flower + 2), bytes.subarray(flower + 2)];
  const { chunks } = await mapPieces(pieces);
  assert.equal(contentOf(chunks), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
  assert.ok(!contentOf(chunks).includes('\uFFFD'));
});
