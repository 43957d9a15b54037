import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerResponse } from 'node:http';
import { chatChunk, chatCompletion } from '../helpers/openai-bodies.ts';
import { startGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { ledgerRowsByRequest } from '../ledger/ledger-helpers.ts';

// A client that stops reading a stream makes the gateway pause the provider (backpressure). That
// pause is not the provider going quiet: the idle timeout must not cut the stream and blame the
// provider (504 upstream_timeout). A client that never reads again is still cut off, and the call
// is recorded as the client's doing (499 client_stalled), so it holds no slot for good.

/** About 32 MB of SSE, written as fast as the gateway takes it: enough to fill every buffer on the way. */
const blocks = 2000;
const block = Buffer.from(Array.from({ length: 16 }, () => `data: ${JSON.stringify(chatChunk('m', { content: 'x'.repeat(960) }))}\n\n`).join(''));
const ending = `data: ${JSON.stringify(chatChunk('m', {}, 'stop'))}\n\ndata: ${JSON.stringify({ id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [], usage: { prompt_tokens: 5, completion_tokens: 32000, total_tokens: 32005 } })}\n\ndata: [DONE]\n\n`;

/** The same for an Anthropic client of an Anthropic provider (a byte passthrough too). */
const anthropicEvent = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const anthropicStart =
  anthropicEvent('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } }) +
  anthropicEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const anthropicBlock = Buffer.from(Array.from({ length: 16 }, () => anthropicEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x'.repeat(960) } })).join(''));
const anthropicEnding =
  anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) + anthropicEvent('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 32000 } }) + anthropicEvent('message_stop', { type: 'message_stop' });

async function writeBigStream(response: ServerResponse, anthropic = false): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.write(anthropic ? anthropicStart : `data: ${JSON.stringify(chatChunk('m', { role: 'assistant', content: '' }))}\n\n`);
  for (let index = 0; index < blocks; index++) {
    if (response.destroyed) return;
    if (!response.write(anthropic ? anthropicBlock : block)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.once('drain', done);
        response.once('close', done);
      });
    }
  }
  response.end(anthropic ? anthropicEnding : ending);
}

/** A raw HTTP/1.1 client whose socket the test pauses: it reads the head, then stops reading. */
function openStream(port: number, path: string, body: object, requestId: string): { socket: Socket; head: Promise<void>; closed: Promise<void>; tail: () => string; bytes: () => number } {
  // x-api-key: an Anthropic client's header (no key-auth here); ignored on the OpenAI path.
  const socket = connect(port, '127.0.0.1');
  const json = JSON.stringify(body);
  socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nx-api-key: none\r\nx-request-id: ${requestId}\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  let tail = '';
  let total = 0;
  let headSeen: () => void;
  const head = new Promise<void>((resolve) => (headSeen = resolve));
  let start = '';
  socket.on('data', (data: Buffer) => {
    total += data.length;
    tail = (tail + data.toString('latin1')).slice(-4096);
    if (start.length < 16384) {
      start += data.toString('latin1');
      if (start.includes('\r\n\r\n')) headSeen();
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return { socket, head, closed, tail: () => tail, bytes: () => total };
}

const requests = [
  ['passed through as bytes (/v1/chat/completions)', '/v1/chat/completions', { model: 'local/m', stream: true, messages: [{ role: 'user', content: 'hi' }] }],
  ['translated (/v1/messages from an OpenAI-compatible provider)', '/v1/messages', { model: 'local/m', stream: true, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }],
  ['passed through as bytes (/v1/messages to an Anthropic provider)', '/v1/messages', { model: 'ant/m', stream: true, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }],
] as const;

describe('a client that stops reading a stream', () => {
  let upstream: StandIn;
  let directory: string;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-stalled-client-'));
    upstream = await startStandIn((request, response) => {
      if ((request.json as { model: string }).model !== 'small') return writeBigStream(response, request.path.startsWith('/v1/messages'));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion('small', 'ok')));
    });
  });
  after(async () => {
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  // One request in flight at a time: a stream that is never ended holds the slot.
  const config = (timeouts: string) => `
providers:
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m, small], timeouts: ${timeouts} }
  ant: { type: anthropic, api_key: sk-ant-stand-in, base_url: "${upstream.url}", models: [m], timeouts: ${timeouts} }
plugins:
  rate-limit: { limits: [{ scope: global, concurrent: 1 }] }
`;

  const small = async (gatewayUrl: string): Promise<number> => {
    const response = await fetch(`${gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'local/small', messages: [{ role: 'user', content: 'hi' }] }) });
    await response.arrayBuffer();
    return response.status;
  };

  for (const [name, path, body] of requests) {
    it(`is not cut as a provider idle timeout when it pauses longer than it, ${name}`, async () => {
      const storage = `sqlite:${join(directory, `${randomUUID()}.db`)}`;
      const gateway = await startGateway(config('{ idle: 1s, total: 30s }'), {}, { storage });
      const requestId = `pause-${randomUUID()}`;
      try {
        const client = openStream(Number(new URL(gateway.url).port), path, body, requestId);
        await client.head;
        client.socket.pause();
        await sleep(3000);
        client.socket.resume();
        await client.closed;
        assert.ok(client.bytes() > 20_000_000, `the whole stream came (${client.bytes()} bytes)`);
        assert.doesNotMatch(client.tail(), /upstream_timeout|did not answer in time/);
        assert.match(client.tail(), path === '/v1/messages' ? /message_stop/ : /\[DONE\]/);
      } finally {
        await gateway.close();
      }
      const row = (await ledgerRowsByRequest(storage)).get(requestId);
      assert.equal(row?.status, 200);
      assert.equal(row?.error_code, null);
    });

    it(`is disconnected when it never reads again, recorded 499 client_stalled (ledger and access log alike), ${name}`, async () => {
      const storage = `sqlite:${join(directory, `${randomUUID()}.db`)}`;
      const lines: Array<Record<string, unknown>> = [];
      // The stall limit is the longer of idle and a minute, but never past total: 3 s here.
      const gateway = await startGateway(config('{ idle: 1s, total: 3s }'), {}, { storage, logLines: lines });
      const requestId = `stall-${randomUUID()}`;
      try {
        const client = openStream(Number(new URL(gateway.url).port), path, body, requestId);
        await client.head;
        client.socket.pause();
        const started = performance.now();
        assert.equal(await small(gateway.url), 429, 'the stream holds the only slot');
        // The gateway ends the call (a client that reads nothing may not even see the close).
        let status = 429;
        while (status === 429 && performance.now() - started < 9000) {
          await sleep(200);
          status = await small(gateway.url);
        }
        assert.equal(status, 200, 'the stalled stream was ended and its slot given back');
        assert.ok(performance.now() - started > 1500, 'not at the provider idle timeout');
        client.socket.destroy();
      } finally {
        await gateway.close();
      }
      const row = (await ledgerRowsByRequest(storage)).get(requestId);
      assert.equal(row?.status, 499);
      assert.equal(row?.error_code, 'client_stalled');
      const access = lines.find((line) => line.type === 'access' && line.id === requestId);
      assert.deepEqual([access?.status, access?.error], [499, 'client_stalled']);
    });
  }
});
