import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// Stream events reach the client as HTTP chunks the gateway frames itself
// (server/write-response.ts, writeEventBytes and writeDataEvent): checked on the wire, byte for
// byte, for an HTTP/1.1 client (chunked, the connection reused afterwards) and an HTTP/1.0 client
// (no chunked encoding), for passed-through and for translated streams.

const events = Array.from({ length: 5 }, (_, index) => `data: ${JSON.stringify({ id: 'chatcmpl-w', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `piece ${index} é` }, finish_reason: null }] })}\n\n`);
const upstreamBody = events.join('') + 'data: [DONE]\n\n';

/** Reads from a raw socket until `done` says the bytes so far are complete. */
function readUntil(socket: Socket, done: (bytes: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let bytes = Buffer.alloc(0);
    const onData = (piece: Buffer) => {
      bytes = Buffer.concat([bytes, piece]);
      if (done(bytes)) finish();
    };
    const finish = () => {
      socket.off('data', onData);
      socket.off('end', finish);
      socket.off('error', reject);
      resolve(bytes);
    };
    socket.on('data', onData);
    socket.once('end', finish);
    socket.once('error', reject);
  });
}

/** Decodes a chunked body; throws on a malformed chunk. Returns the body, its chunks and whether the last chunk came. */
function decodeChunked(bytes: Buffer): { body: Buffer; pieces: Buffer[]; complete: boolean } {
  const pieces: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd === -1) return { body: Buffer.concat(pieces), pieces, complete: false };
    const sizeText = bytes.toString('latin1', at, lineEnd);
    assert.match(sizeText, /^[0-9a-f]+$/, 'a chunk starts with its size in hex');
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) return { body: Buffer.concat(pieces), pieces, complete: bytes.length >= lineEnd + 4 };
    if (bytes.length < lineEnd + 2 + size + 2) return { body: Buffer.concat(pieces), pieces, complete: false };
    pieces.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    assert.equal(bytes.toString('latin1', lineEnd + 2 + size, lineEnd + 4 + size), '\r\n', 'a chunk ends with CRLF');
    at = lineEnd + 4 + size;
  }
}

/** A chat completions request as raw HTTP text, for the gateway at `gatewayUrl`. */
function requestText(gatewayUrl: string, version: string, body: string): string {
  const { host } = new URL(gatewayUrl);
  return `POST /v1/chat/completions ${version}\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Sends `request` on the socket and reads one chunked response to its last chunk: its head and decoded body. */
async function chunkedResponse(socket: Socket, request: string): Promise<{ head: string } & ReturnType<typeof decodeChunked>> {
  socket.write(request);
  const raw = await readUntil(socket, (bytes) => {
    const headEnd = bytes.indexOf('\r\n\r\n');
    return headEnd !== -1 && decodeChunked(bytes.subarray(headEnd + 4)).complete;
  });
  const headEnd = raw.indexOf('\r\n\r\n');
  return { head: raw.toString('latin1', 0, headEnd), ...decodeChunked(raw.subarray(headEnd + 4)) };
}

/** Sends `request` on the socket and reads until the server closes it: the head and the body as sent. */
async function responseToClose(socket: Socket, request: string): Promise<{ head: string; body: string }> {
  socket.write(request);
  const raw = await readUntil(socket, () => false);
  const headEnd = raw.indexOf('\r\n\r\n');
  return { head: raw.toString('latin1', 0, headEnd), body: raw.toString('utf8', headEnd + 4) };
}

/** Runs `use` on a raw TCP connection to the gateway at `gatewayUrl`, closed afterwards whatever happens. */
async function withSocket<T>(gatewayUrl: string, use: (socket: Socket) => Promise<T>): Promise<T> {
  const socket = connect(Number(new URL(gatewayUrl).port), '127.0.0.1');
  try {
    return await use(socket);
  } finally {
    socket.destroy();
  }
}

describe('event stream writes on the wire', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startStandIn(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // Separate writes a little apart, so the gateway forwards several pieces.
      for (const event of events) {
        response.write(event);
        await sleep(2);
      }
      response.end('data: [DONE]\n\n');
    });
    gateway = await startGateway(`providers:\n  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m] }\n`);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const body = JSON.stringify({ model: 'local/m', stream: true, messages: [{ role: 'user', content: 'hi' }] });

  it('HTTP/1.1: well-formed chunks carrying the provider bytes, and the connection serves the next request', async () => {
    await withSocket(gateway.url, async (socket) => {
      for (let round = 0; round < 2; round++) {
        const response = await chunkedResponse(socket, requestText(gateway.url, 'HTTP/1.1', body));
        assert.match(response.head, /^HTTP\/1\.1 200 /);
        assert.match(response.head, /transfer-encoding: chunked/i);
        assert.match(response.head, /content-type: text\/event-stream/i);
        assert.equal(response.body.toString('utf8'), upstreamBody, `round ${round + 1}`);
      }
      assert.equal(socket.listenerCount('drain'), 0);
    });
  });

  it('HTTP/1.0: the provider bytes as they are, no chunk framing, and the connection closes at the end', async () => {
    await withSocket(gateway.url, async (socket) => {
      const response = await responseToClose(socket, requestText(gateway.url, 'HTTP/1.0', body));
      assert.match(response.head, /^HTTP\/1\.1 200 /);
      assert.doesNotMatch(response.head, /transfer-encoding/i);
      assert.equal(response.body, upstreamBody);
    });
  });
});

describe('translated event stream writes on the wire', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  const anthropicEvents = [
    { type: 'message_start', message: { id: 'msg_w', type: 'message', role: 'assistant', model: 'claude-w', content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...['Hello', ' é', ' world'].map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } },
    { type: 'message_stop' },
  ];

  before(async () => {
    upstream = await startStandIn(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of anthropicEvents) {
        response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        await sleep(2);
      }
      response.end();
    });
    gateway = await startGateway(`providers:\n  claude: { type: anthropic, api_key: k, base_url: "${upstream.url}", models: [claude-w] }\n`);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const body = JSON.stringify({ model: 'claude/claude-w', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
  /** The events of an SSE body: each a `data:` line and a blank line, nothing else. */
  const dataEvents = (text: string) => {
    assert.ok(text.endsWith('data: [DONE]\n\n'), 'ends with [DONE]');
    const events = text.slice(0, -'data: [DONE]\n\n'.length).split('\n\n').slice(0, -1);
    return events.map((event) => {
      assert.match(event, /^data: \{[^\n]*\}$/);
      return JSON.parse(event.slice('data: '.length)) as { choices: Array<{ delta?: { content?: string }; finish_reason: string | null }>; usage?: { completion_tokens: number } };
    });
  };
  const contentOf = (chunks: ReturnType<typeof dataEvents>) => chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');

  it('HTTP/1.1: one chunk per translated event, each exactly `data: <json>` and a blank line', async () => {
    await withSocket(gateway.url, async (socket) => {
      const { head, body: sse, pieces } = await chunkedResponse(socket, requestText(gateway.url, 'HTTP/1.1', body));
      assert.match(head, /^HTTP\/1\.1 200 /);
      const chunks = dataEvents(sse.toString('utf8'));
      assert.equal(contentOf(chunks), 'Hello é world');
      assert.equal(chunks.at(-1)?.usage?.completion_tokens, 3);
      for (const piece of pieces.slice(0, -1)) assert.match(piece.toString('utf8'), /^data: \{[^\n]*\}\n\n$/, 'one event per chunk');
    });
  });

  it('HTTP/1.0: the same events, unframed', async () => {
    await withSocket(gateway.url, async (socket) => {
      const response = await responseToClose(socket, requestText(gateway.url, 'HTTP/1.0', body));
      assert.doesNotMatch(response.head, /transfer-encoding/i);
      const chunks = dataEvents(response.body);
      assert.equal(contentOf(chunks), 'Hello é world');
      assert.equal(chunks.at(-1)?.usage?.completion_tokens, 3);
    });
  });
});
