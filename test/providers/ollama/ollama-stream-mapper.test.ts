import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatChunk } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { mapOllamaError } from '../../../src/providers/ollama/ollama-error.ts';
import { mapOllamaStream, openOllamaStream } from '../../../src/providers/ollama/ollama-stream-mapper.ts';
import { fixtureBytes, testContext } from './fixtures.ts';

const mapError = (status: number, text: string) => mapOllamaError('ollama', status, {}, text);

async function* pieces(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

/** Runs the mapper over byte pieces; returns the chunks, or the error it threw after them. */
async function run(parts: Uint8Array[]): Promise<{ chunks: ChatChunk[]; error: GatewayError | undefined }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of mapOllamaStream(pieces(parts), testContext(), mapError)) chunks.push(chunk);
  } catch (error) {
    assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

const deltas = (chunks: ChatChunk[]) => chunks.filter((chunk) => chunk.choices.length > 0).map((chunk) => ({ ...chunk.choices[0].delta, finish: chunk.choices[0].finish_reason }));

test('text stream: role first, content deltas (multi-byte UTF-8 intact), finish, then usage', async () => {
  const { chunks, error } = await run([fixtureBytes('stream-text.ndjson')]);
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
  assert.deepEqual(last.usage, { prompt_tokens: 11, completion_tokens: 12, total_tokens: 23 });
  for (const chunk of chunks) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    assert.equal(chunk.id, 'chatcmpl-test');
    assert.equal(chunk.model, 'llama3.2');
  }
});

test('thinking stream: thinking as reasoning_content deltas, then the answer', async () => {
  const { chunks } = await run([fixtureBytes('stream-thinking.ndjson')]);
  assert.deepEqual(deltas(chunks), [
    { role: 'assistant', content: '', finish: null },
    { reasoning_content: '17 × 23: ', finish: null },
    { reasoning_content: '17 × 20 = 340, plus 17 × 3 = 51, so 391.', finish: null },
    { content: '17 × 23 = 391.', finish: null },
    { finish: 'stop' },
  ]);
  assert.equal(chunks.at(-1)?.usage?.completion_tokens, 48);
});

test('tool-call stream: one delta per call with full arguments, stable indexes and ids; finish tool_calls', async () => {
  const { chunks } = await run([fixtureBytes('stream-tool-call.ndjson')]);
  const list = deltas(chunks);
  assert.deepEqual(list[1], { content: 'Let me check that for you. ', finish: null });
  const calls = list.filter((delta) => delta.tool_calls).map((delta) => delta.tool_calls![0]);
  assert.deepEqual(calls, [
    { index: 0, id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Zürich","unit":"celsius"}' } },
    { index: 1, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Genève","unit":"celsius"}' } },
  ]);
  assert.equal(list.at(-1)?.finish, 'tool_calls');
  assert.deepEqual(chunks.at(-1)?.usage, { prompt_tokens: 140, completion_tokens: 61, total_tokens: 201 });
});

test('an error line mid-stream is thrown as a GatewayError after the chunks before it', async () => {
  const { chunks, error } = await run([fixtureBytes('stream-error-midway.ndjson')]);
  assert.deepEqual(deltas(chunks), [
    { role: 'assistant', content: '', finish: null },
    { content: 'Partial ', finish: null },
  ]);
  assert.equal(error?.status, 500);
  assert.equal(error?.type, 'upstream_error');
  assert.equal(error?.upstream, true);
  assert.equal(error?.message, 'an error was encountered while running the model: unexpected EOF');
});

test('a stream cut off before done, an empty body, or a line that is not JSON is an upstream_bad_response', async () => {
  const text = fixtureBytes('stream-text.ndjson').toString('utf8');
  const cut = await run([Buffer.from(text.slice(0, text.indexOf('\n') + 1))]);
  assert.equal(cut.error?.code, 'upstream_bad_response');
  assert.match(cut.error!.message, /before the answer was finished/);
  assert.equal((await run([])).error?.code, 'upstream_bad_response');
  assert.equal((await run([Buffer.from('{"model":"x",\n')])).error?.code, 'upstream_bad_response');
});

test('a last line without its newline, CRLF line ends and blank lines are read all the same', async () => {
  const bytes = fixtureBytes('stream-text.ndjson');
  const expected = (await run([bytes])).chunks;
  const crlf = Buffer.from('\n' + bytes.toString('utf8').replace(/\n/g, '\r\n\n').trimEnd());
  assert.deepEqual((await run([crlf])).chunks, expected);
});

test('openOllamaStream reads the first line before answering: an error there is thrown, not streamed', async () => {
  const firstLineError = Buffer.from('{"error":"model requires more system memory (9.1 GiB) than is available (4.0 GiB)"}\n');
  await assert.rejects(openOllamaStream(pieces([firstLineError]), testContext(), mapError), (error: unknown) => error instanceof GatewayError && error.status === 500 && /system memory/.test(error.message));
  const chunks: ChatChunk[] = [];
  for await (const chunk of await openOllamaStream(pieces([fixtureBytes('stream-text.ndjson')]), testContext(), mapError)) chunks.push(chunk);
  assert.deepEqual(chunks, (await run([fixtureBytes('stream-text.ndjson')])).chunks);
});

test('a multi-byte character split between pieces is decoded whole', async () => {
  const line = Buffer.from('{"message":{"role":"assistant","content":"🌸é"},"done":true,"done_reason":"stop"}\n');
  const flower = line.indexOf(Buffer.from('🌸'));
  for (const cut of [flower + 1, flower + 2, flower + 3, flower + 5]) {
    const { chunks } = await run([line.subarray(0, cut), line.subarray(cut)]);
    assert.equal(deltas(chunks)[1].content, '🌸é', `cut at ${cut}`);
  }
});

for (const name of ['stream-text.ndjson', 'stream-thinking.ndjson', 'stream-tool-call.ndjson', 'stream-error-midway.ndjson']) {
  test(`${name}: the same output however the bytes are split (every offset)`, async () => {
    const bytes = fixtureBytes(name);
    const expected = await run([bytes]);
    assert.ok(expected.chunks.length >= 2);
    for (let offset = 1; offset < bytes.length; offset++) {
      const split = await run([bytes.subarray(0, offset), bytes.subarray(offset)]);
      assert.deepEqual(split.chunks, expected.chunks, `split at byte ${offset}`);
      assert.equal(split.error?.message, expected.error?.message, `split at byte ${offset}`);
    }
    // And byte by byte: every multi-byte character split in every way at once.
    const single = await run([...bytes].map((byte) => Uint8Array.of(byte)));
    assert.deepEqual(single.chunks, expected.chunks);
    assert.equal(single.error?.message, expected.error?.message);
  });
}

test('a line past 16 MiB (one stream event) fails the stream as upstream_bad_response, in one piece or many, without holding more (streams2 audit)', async () => {
  const text = fixtureBytes('stream-text.ndjson').toString('utf8');
  const firstLine = Buffer.from(text.slice(0, text.indexOf('\n') + 1));
  const mib = Buffer.alloc(1024 * 1024, 0x61);
  // Many pieces of one line with no newline: the failure comes at the 17th MiB, not at the end.
  let sent = 0;
  async function* endless(): AsyncGenerator<Uint8Array> {
    yield firstLine;
    yield Buffer.from('{"message":{"role":"assistant","content":"');
    for (; sent < 64; sent++) yield mib;
  }
  const chunks: ChatChunk[] = [];
  let failure: unknown;
  try {
    for await (const chunk of mapOllamaStream(endless(), testContext(), mapError)) chunks.push(chunk);
  } catch (error) {
    failure = error;
  }
  assert.ok(failure instanceof GatewayError && failure.code === 'upstream_bad_response', String(failure));
  assert.ok(sent <= 20, `read ${sent} MiB of the line`);
  // One piece holding a whole line over the limit.
  const whole = Buffer.concat([Buffer.from('{"message":{"role":"assistant","content":"'), Buffer.alloc(17 * 1024 * 1024, 0x61), Buffer.from('"},"done":false}\n')]);
  assert.equal((await run([firstLine, whole])).error?.code, 'upstream_bad_response');
});
