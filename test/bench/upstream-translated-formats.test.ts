import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, test } from 'node:test';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { startUpstream } from '../../bench/upstream.ts';

/**
 * The stand-in upstream answers the translated providers' formats (Cohere v2 chat, Ollama chat,
 * Bedrock Converse) as the real services do: the right content type, a stream that decodes in its
 * own framing with the events the adapters wait for, and as many content events as the
 * `/shape/<chunks>x<delayMs>` prefix asks for, with the usage counting them.
 */

let server: Server;
let origin: string;

before(async () => {
  ({ server, url: origin } = await startUpstream({ port: 0, host: '127.0.0.1', defaultShape: { chunks: 20, delayMs: 20 } }));
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function post(path: string, body: string): Promise<{ status: number; contentType: string; bytes: Buffer }> {
  const response = await fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', bytes: Buffer.from(await response.arrayBuffer()) };
}

// Both a shape written at once (delay 0) and one written over time (the timer path).
const shapes = [
  { chunks: 3, delayMs: 0 },
  { chunks: 5, delayMs: 2 },
];
const chatBody = (stream: boolean) => JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'Hi' }], stream });

/** SSE events as [event name, parsed data]. */
function sseEvents(text: string): Array<[string, Record<string, unknown>]> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.+)$/m.exec(block)?.[1] ?? 'null';
      return [event, JSON.parse(data) as Record<string, unknown>];
    });
}

test('Cohere /v2/chat: JSON when not streamed, typed SSE events ending in message-end with usage when streamed', async () => {
  const json = await post('/v2/chat', chatBody(false));
  assert.equal(json.status, 200);
  assert.match(json.contentType, /application\/json/);
  const message = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(message.finish_reason, 'COMPLETE');
  assert.equal(message.message.content[0].type, 'text');
  assert.ok(message.usage.tokens.output_tokens > 0);

  for (const shape of shapes) {
    const stream = await post(`/shape/${shape.chunks}x${shape.delayMs}/v2/chat`, chatBody(true));
    assert.equal(stream.status, 200);
    assert.match(stream.contentType, /text\/event-stream/);
    const events = sseEvents(stream.bytes.toString('utf8'));
    const names = events.map(([name]) => name);
    assert.deepEqual(names, ['message-start', 'content-start', ...Array<string>(shape.chunks).fill('content-delta'), 'content-end', 'message-end'], `shape ${shape.chunks}x${shape.delayMs}`);
    for (const [name, data] of events) assert.equal(data.type, name, 'each event repeats its type in the data');
    const end = events.at(-1)![1] as { delta: { finish_reason: string; usage: { tokens: { output_tokens: number } } } };
    assert.equal(end.delta.finish_reason, 'COMPLETE');
    assert.equal(end.delta.usage.tokens.output_tokens, shape.chunks);
  }
});

test('Ollama /api/chat: JSON with "stream": false, NDJSON ending in a done line with counts otherwise', async () => {
  const json = await post('/api/chat', chatBody(false));
  assert.equal(json.status, 200);
  assert.match(json.contentType, /application\/json/);
  const message = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(message.done, true);
  assert.equal(message.done_reason, 'stop');
  assert.equal(typeof message.message.content, 'string');

  // Ollama streams when the flag is missing, as when it is true.
  for (const body of [chatBody(true), JSON.stringify({ model: 'bench', messages: [] })]) {
    for (const shape of shapes) {
      const stream = await post(`/shape/${shape.chunks}x${shape.delayMs}/api/chat`, body);
      assert.equal(stream.status, 200);
      assert.match(stream.contentType, /application\/x-ndjson/);
      const text = stream.bytes.toString('utf8');
      assert.ok(text.endsWith('\n'), 'every line ends with a newline');
      const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { done: boolean; done_reason?: string; eval_count?: number; prompt_eval_count?: number; message: { content: string } });
      // The first line, one line per content chunk, then the done line.
      assert.equal(lines.length, shape.chunks + 2, `shape ${shape.chunks}x${shape.delayMs}`);
      assert.ok(lines.slice(0, -1).every((line) => line.done === false && line.message.content !== ''));
      const last = lines.at(-1)!;
      assert.equal(last.done, true);
      assert.equal(last.done_reason, 'stop');
      assert.equal(last.eval_count, shape.chunks + 1);
      assert.ok(last.prompt_eval_count! > 0);
    }
  }
});

/** Splits an AWS event stream into decoded messages by each frame's 4-byte total length. */
function eventStreamMessages(bytes: Buffer): Array<{ eventType: string; messageType: string; payload: Record<string, unknown> }> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const messages = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const message = codec.decode(bytes.subarray(offset, offset + length)); // checks both CRCs
    messages.push({ eventType: String(message.headers[':event-type']?.value), messageType: String(message.headers[':message-type']?.value), payload: JSON.parse(toUtf8(message.body)) as Record<string, unknown> });
    offset += length;
  }
  assert.equal(offset, bytes.length, 'the stream ends on a frame boundary');
  return messages;
}

test('Bedrock /model/<id>/converse: Converse JSON; /converse-stream: CRC-checked event-stream frames ending in messageStop and metadata', async () => {
  const json = await post('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse', chatBody(false));
  assert.equal(json.status, 200);
  assert.match(json.contentType, /application\/json/);
  const message = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(message.stopReason, 'end_turn');
  assert.equal(typeof message.output.message.content[0].text, 'string');
  assert.ok(message.usage.outputTokens > 0);

  for (const shape of shapes) {
    // The body says nothing about streaming: Converse streams by its path.
    const stream = await post(`/shape/${shape.chunks}x${shape.delayMs}/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream`, chatBody(false));
    assert.equal(stream.status, 200);
    assert.equal(stream.contentType, 'application/vnd.amazon.eventstream');
    const messages = eventStreamMessages(stream.bytes);
    assert.deepEqual(messages.map((entry) => entry.eventType), ['messageStart', ...Array<string>(shape.chunks).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata'], `shape ${shape.chunks}x${shape.delayMs}`);
    assert.ok(messages.every((entry) => entry.messageType === 'event'));
    assert.equal(messages[0].payload.role, 'assistant');
    assert.equal(messages.at(-2)!.payload.stopReason, 'end_turn');
    assert.equal((messages.at(-1)!.payload.usage as { outputTokens: number }).outputTokens, shape.chunks);
  }
});
