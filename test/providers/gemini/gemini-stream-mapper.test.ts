import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatChunk } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { mapGeminiError } from '../../../src/providers/gemini/gemini-error.ts';
import { mapGeminiStream, openGeminiStream } from '../../../src/providers/gemini/gemini-stream-mapper.ts';
import { decodeToolCallId } from '../../../src/providers/gemini/gemini-tool-call-id.ts';
import { fixtureBytes, recordedSignature, testContext } from './fixtures.ts';

const mapError = (status: number, text: string) => mapGeminiError('gemini', status, {}, text);

async function* pieces(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

/** Runs the mapper over byte pieces; returns the chunks, or the error it threw after them. */
async function run(parts: Uint8Array[]): Promise<{ chunks: ChatChunk[]; error: GatewayError | undefined }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of mapGeminiStream(pieces(parts), testContext(), mapError)) chunks.push(chunk);
  } catch (error) {
    assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

const deltas = (chunks: ChatChunk[]) => chunks.filter((chunk) => chunk.choices.length > 0).map((chunk) => ({ ...chunk.choices[0].delta, finish: chunk.choices[0].finish_reason }));

test('text stream: role first, text deltas (multi-byte UTF-8 intact), finish, then usage', async () => {
  const { chunks, error } = await run([fixtureBytes('stream-text.sse')]);
  assert.equal(error, undefined);
  assert.deepEqual(deltas(chunks), [
    { role: 'assistant', content: '', finish: null },
    { content: 'Grüß Gott! ', finish: null },
    { content: '東京は晴れです 🌸', finish: null },
    { content: ' — café ✓', finish: null },
    { finish: 'stop' },
  ]);
  const last = chunks[chunks.length - 1];
  assert.deepEqual(last.choices, []);
  assert.deepEqual(last.usage, { prompt_tokens: 7, completion_tokens: 33, total_tokens: 40, completion_tokens_details: { reasoning_tokens: 18 } });
  for (const chunk of chunks) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    assert.equal(chunk.id, 'chatcmpl-test');
  }
});

test('thinking stream: thoughts as reasoning_content deltas, empty text skipped', async () => {
  const { chunks } = await run([fixtureBytes('stream-thinking.sse')]);
  assert.deepEqual(deltas(chunks), [
    { role: 'assistant', content: '', finish: null },
    { reasoning_content: '**Checking arithmetic**\n\nTwo plus two is four.', finish: null },
    { content: 'The answer is 4.', finish: null },
    { finish: 'stop' },
  ]);
  assert.deepEqual(chunks.at(-1)?.usage, { prompt_tokens: 10, completion_tokens: 106, total_tokens: 116, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 100 } });
});

test('tool-call stream: one delta per call with full arguments and stable indexes; finish tool_calls', async () => {
  const { chunks } = await run([fixtureBytes('stream-tool-call.sse')]);
  const list = deltas(chunks);
  assert.deepEqual(list[1], { content: 'Let me check that for you. ', finish: null });
  const calls = list.filter((delta) => delta.tool_calls).map((delta) => delta.tool_calls![0]);
  assert.equal(calls.length, 2);
  assert.deepEqual(calls.map((call) => call.index), [0, 1]);
  assert.deepEqual(decodeToolCallId(calls[0].id!), { id: 'call_0', signature: recordedSignature });
  assert.equal(calls[1].id, 'call_1');
  assert.deepEqual(calls.map((call) => [call.type, call.function?.name, JSON.parse(call.function!.arguments!)]), [
    ['function', 'get_weather', { city: 'Zürich', unit: 'celsius' }],
    ['function', 'get_weather', { city: 'Genève', unit: 'celsius' }],
  ]);
  assert.equal(list.at(-1)?.finish, 'tool_calls');
  assert.equal(chunks.at(-1)?.usage?.completion_tokens, 92);
});

test('a blocked prompt (the first event) is thrown as a 400 content_filter error', async () => {
  const { chunks, error } = await run([fixtureBytes('stream-prompt-blocked.sse')]);
  assert.deepEqual(chunks, []);
  assert.deepEqual([error?.status, error?.code], [400, 'content_filter']);
});

test('openGeminiStream reads the first event before answering: early errors are thrown, not streamed', async () => {
  await assert.rejects(openGeminiStream(pieces([fixtureBytes('stream-prompt-blocked.sse')]), testContext(), mapError), (error: unknown) => error instanceof GatewayError && error.code === 'content_filter');
  const firstEventError = Buffer.from('data: {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}\r\n\r\n');
  await assert.rejects(openGeminiStream(pieces([firstEventError]), testContext(), mapError), (error: unknown) => error instanceof GatewayError && error.status === 429);
  const chunks: ChatChunk[] = [];
  for await (const chunk of await openGeminiStream(pieces([fixtureBytes('stream-text.sse')]), testContext(), mapError)) chunks.push(chunk);
  assert.deepEqual(chunks, (await run([fixtureBytes('stream-text.sse')])).chunks);
});

test('an error event mid-stream is thrown as a GatewayError after the chunks before it', async () => {
  const { chunks, error } = await run([fixtureBytes('stream-error-midway.sse')]);
  assert.deepEqual(deltas(chunks), [
    { role: 'assistant', content: '', finish: null },
    { content: 'Partial ', finish: null },
  ]);
  assert.equal(error?.status, 503);
  assert.equal(error?.upstream, true);
  assert.match(error!.message, /overloaded/);
});

test('a stream cut off before the finish reason is an error, not a complete answer', async () => {
  const text = fixtureBytes('stream-text.sse').toString('utf8');
  const firstEvent = text.slice(0, text.indexOf('\r\n\r\n') + 4);
  const { error } = await run([Buffer.from(firstEvent)]);
  assert.equal(error?.code, 'upstream_bad_response');
  const empty = await run([]);
  assert.equal(empty.error?.code, 'upstream_bad_response');
});

for (const name of ['stream-text.sse', 'stream-thinking.sse', 'stream-tool-call.sse', 'stream-prompt-blocked.sse', 'stream-error-midway.sse']) {
  test(`${name}: the same output however the bytes are split (every offset)`, async () => {
    const bytes = fixtureBytes(name);
    const expected = await run([bytes]);
    for (let offset = 1; offset < bytes.length; offset++) {
      const split = await run([bytes.subarray(0, offset), bytes.subarray(offset)]);
      assert.deepEqual(split.chunks, expected.chunks, `split at byte ${offset}`);
      assert.equal(split.error?.code, expected.error?.code, `split at byte ${offset}`);
    }
    // And byte by byte: every multi-byte character split in every way at once.
    const single = await run([...bytes].map((byte) => Uint8Array.of(byte)));
    assert.deepEqual(single.chunks, expected.chunks);
  });
}
