import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ChatChunk } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { mapBedrockEventStream, openBedrockEventStream, type BedrockStreamContext } from '../../../src/providers/bedrock/bedrock-stream-mapper.ts';
import { encodeEventStream, streamBytes, type FixtureFrame } from './event-stream-fixtures.ts';

const context: BedrockStreamContext = { provider: 'bedrock', id: 'chatcmpl-test', model: 'anthropic.claude-sonnet-4-5-20250929-v1:0', created: 1_700_000_000, jsonToolName: null };

/** Maps the pieces; returns the chunks and the error the stream ended with (null when it ended well). */
async function mapPieces(pieces: Uint8Array[], jsonToolName: string | null = null): Promise<{ chunks: ChatChunk[]; error: unknown }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of mapBedrockEventStream(Readable.from(pieces.map((piece) => Buffer.from(piece))), { ...context, jsonToolName })) chunks.push(chunk);
    return { chunks, error: null };
  } catch (error) {
    return { chunks, error };
  }
}

function deltas(chunks: ChatChunk[]) {
  return chunks.map((chunk) => (chunk.choices.length === 0 ? { usage: chunk.usage } : { delta: chunk.choices[0].delta, finish: chunk.choices[0].finish_reason }));
}

describe('mapBedrockEventStream', () => {
  it('text: role, content deltas, finish, usage; the gateway id and model on every chunk', async () => {
    const { chunks, error } = await mapPieces([streamBytes('text')]);
    assert.equal(error, null);
    assert.deepEqual(deltas(chunks), [
      { delta: { role: 'assistant', content: '' }, finish: null },
      { delta: { content: 'Grüß Gott! ' }, finish: null },
      { delta: { content: '東京は晴れです 🌸' }, finish: null },
      { delta: { content: ' — café ✓' }, finish: null },
      { delta: {}, finish: 'stop' },
      { usage: { prompt_tokens: 14, completion_tokens: 26, total_tokens: 40 } },
    ]);
    assert.ok(chunks.every((chunk) => chunk.id === 'chatcmpl-test' && chunk.model === context.model && chunk.object === 'chat.completion.chunk' && chunk.created === 1_700_000_000));
  });

  it('tool use: tool-call starts with id and name, argument fragments by a stable index, {} for a call with no input', async () => {
    const { chunks, error } = await mapPieces([streamBytes('tool-use')]);
    assert.equal(error, null);
    assert.deepEqual(deltas(chunks), [
      { delta: { role: 'assistant', content: '' }, finish: null },
      { delta: { content: 'Let me check both.' }, finish: null },
      { delta: { tool_calls: [{ index: 0, id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish: null },
      { delta: { tool_calls: [{ index: 0, function: { arguments: '{"city": "Pa' } }] }, finish: null },
      { delta: { tool_calls: [{ index: 0, function: { arguments: 'ris", "unit": "celsius"}' } }] }, finish: null },
      { delta: { tool_calls: [{ index: 1, id: 'tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', type: 'function', function: { name: 'get_time', arguments: '' } }] }, finish: null },
      { delta: { tool_calls: [{ index: 1, function: { arguments: '{}' } }] }, finish: null },
      { delta: {}, finish: 'tool_calls' },
      { usage: { prompt_tokens: 402, completion_tokens: 88, total_tokens: 490 } },
    ]);
  });

  it('reasoning: reasoning_content deltas and the signature, then text; cached tokens in usage', async () => {
    const { chunks } = await mapPieces([streamBytes('reasoning')]);
    assert.deepEqual(deltas(chunks).slice(1), [
      { delta: { reasoning_content: '17 × 20 = 340; ' }, finish: null },
      { delta: { reasoning_content: '17 × 3 = 51.' }, finish: null },
      { delta: { reasoning_signature: 'EqQBCkgIBxABGAIiQNm3Jb1mXkqvP9y0c2vQ0Yx8nC6p0oT3v1r0sZ8bL0cA==' }, finish: null },
      { delta: { content: '17 × 23 = 391.' }, finish: null },
      { delta: {}, finish: 'stop' },
      { usage: { prompt_tokens: 1240, completion_tokens: 85, total_tokens: 1325, prompt_tokens_details: { cached_tokens: 1200 } } },
    ]);
  });

  it('JSON mode: the forced tool input streams as content and the finish reason is stop', async () => {
    const { chunks } = await mapPieces([streamBytes('json-tool')], 'json_response');
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), '{"name": "Ada Lovelace", "born": 1815}');
    assert.ok(chunks.every((chunk) => chunk.choices[0]?.delta.tool_calls === undefined));
    assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'stop');
  });

  it('JSON mode by instruction: the text is held and sent once, as bare JSON, before the finish chunk', async () => {
    const chunks: ChatChunk[] = [];
    for await (const chunk of mapBedrockEventStream(Readable.from([streamBytes('json-text')]), { ...context, jsonText: true })) chunks.push(chunk);
    assert.deepEqual(deltas(chunks), [
      { delta: { role: 'assistant', content: '' }, finish: null },
      { delta: { content: '{"name": "Ada Lovelace", "born": 1815}' }, finish: null },
      { delta: {}, finish: 'stop' },
      { usage: { prompt_tokens: 96, completion_tokens: 28, total_tokens: 124 } },
    ]);
  });

  it('a stop sequence named in messageStop is on the finish chunk as stop_sequence', async () => {
    const chunks: ChatChunk[] = [];
    for await (const chunk of mapBedrockEventStream(Readable.from([streamBytes('stop-sequence')]), { ...context, stopSequences: ['3.', '###'] })) chunks.push(chunk);
    const finish = chunks.at(-2)?.choices[0];
    assert.equal(finish?.finish_reason, 'stop');
    assert.equal((finish as { stop_sequence?: string }).stop_sequence, '3.');
    assert.ok(chunks.slice(0, -2).every((chunk) => !('stop_sequence' in (chunk.choices[0] ?? {}))));
  });

  it('an exception midway: the chunks before it, then a GatewayError of its type', async () => {
    const { chunks, error } = await mapPieces([streamBytes('exception-midway')]);
    assert.deepEqual(deltas(chunks), [
      { delta: { role: 'assistant', content: '' }, finish: null },
      { delta: { content: 'The first part arrives, then' }, finish: null },
    ]);
    assert.ok(error instanceof GatewayError);
    assert.deepEqual([error.status, error.type, error.code, error.message], [502, 'upstream_error', 'model_stream_error', 'The model encountered an error while streaming the response.']);
  });

  it('a throttling exception midway is a 429 rate_limit_error', async () => {
    const frames: FixtureFrame[] = [
      { eventType: 'messageStart', payload: { role: 'assistant' } },
      { messageType: 'exception', exceptionType: 'throttlingException', payload: { message: 'Too many tokens, please wait before trying again.' } },
    ];
    const { chunks, error } = await mapPieces([encodeEventStream(frames)]);
    assert.ok(error instanceof GatewayError);
    assert.deepEqual([error.status, error.type], [429, 'rate_limit_error']);
    // messageStart is held with the role chunk: the exception is the stream's first item.
    assert.deepEqual(chunks, []);
  });

  it('split at every byte offset, the tool-use stream maps identically', async () => {
    const bytes = streamBytes('tool-use');
    const whole = JSON.stringify(await mapPieces([bytes]));
    for (let offset = 1; offset < bytes.length; offset++) {
      const split = JSON.stringify(await mapPieces([bytes.subarray(0, offset), bytes.subarray(offset)]));
      if (split !== whole) assert.equal(split, whole, `split at byte ${offset}`);
    }
  });

  it('a stream cut before messageStop, or with a broken checksum, fails as a bad upstream response', async () => {
    const bytes = streamBytes('text');
    const messageStop = bytes.indexOf(Buffer.from('messageStop'));
    const cut = await mapPieces([bytes.subarray(0, messageStop - 40)]);
    assert.ok(cut.error instanceof GatewayError);
    assert.deepEqual([cut.error.status, cut.error.code], [502, 'upstream_bad_response']);
    const corrupted = Buffer.from(bytes);
    corrupted[corrupted.length - 1] ^= 0xff;
    const broken = await mapPieces([corrupted]);
    assert.ok(broken.error instanceof GatewayError);
    assert.match(broken.error.message, /event stream is malformed.*checksum/i);
    assert.equal(broken.chunks.at(-1)?.choices[0]?.finish_reason, 'stop', 'the frames before the broken one were mapped');
  });

  it('openBedrockEventStream: an exception before any content (first message, or after messageStart) rejects the open (so retries and fallbacks apply); otherwise nothing is lost', async () => {
    const throttled = encodeEventStream([{ messageType: 'exception', exceptionType: 'throttlingException', payload: { message: 'slow down' } }]);
    await assert.rejects(openBedrockEventStream(Readable.from([throttled]), context), (error: unknown) => error instanceof GatewayError && error.status === 429);
    // After messageStart but before any content, too (Claude's throttling as Bedrock relays it).
    const started = encodeEventStream([{ eventType: 'messageStart', payload: { role: 'assistant' } }, { messageType: 'exception', exceptionType: 'throttlingException', payload: { message: 'slow down' } }]);
    await assert.rejects(openBedrockEventStream(Readable.from([started]), context), (error: unknown) => error instanceof GatewayError && error.status === 429);
    const opened = await openBedrockEventStream(Readable.from([streamBytes('text')]), context);
    const chunks: ChatChunk[] = [];
    for await (const chunk of opened) chunks.push(chunk);
    assert.deepEqual(chunks, (await mapPieces([streamBytes('text')])).chunks);
  });
});
