import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { ledgerRowsByRequest } from '../ledger/ledger-helpers.ts';

// A client that leaves a stream is recorded 499 client_closed_request (README, error table), in
// the access log and the ledger alike, whatever the stream was doing as it left. The leaks audit
// found about 6% of aborted streams translated from an Anthropic provider recorded 499 with no
// code: those whose next event came in the same turn as the client's close. The stream then had a
// chunk in hand, found the connection gone on writing it and ended without a failure, the upstream
// read the abort failed being nobody's to hear by then. Here the stand-in sends that event in the
// very turn the client leaves, which makes the race happen every time.

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function textDelta(text: string): string {
  return event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
}

/** Anthropic's stream up to its first words; the rest is sent by the test. */
const streamStart =
  event('message_start', { message: { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } }) +
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  event('ping', {}) +
  textDelta('first ');

/** The client's ways of leaving: a FIN or a reset. */
const leavings: Array<[string, (socket: Socket) => void]> = [
  ['closes', (socket) => socket.destroy()],
  ['resets', (socket) => socket.resetAndDestroy()],
];

/** The same conversation asked by an OpenAI client (translated from Anthropic's stream) and by an Anthropic client (its bytes passed through). */
const clients: Array<[string, string, string]> = [
  ['an OpenAI client (translated)', '/v1/chat/completions', JSON.stringify({ model: 'ant/claude-test', stream: true, messages: [{ role: 'user', content: 'hi' }] })],
  ['an Anthropic client (passed through)', '/v1/messages', JSON.stringify({ model: 'ant/claude-test', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] })],
];

describe('a client that leaves a stream as its next event arrives', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;
  const lines: Array<Record<string, unknown>> = [];
  /** The stand-in's answer to the request in progress, held open after its first words. */
  let answering: ServerResponse | null = null;
  const ids: string[] = [];

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(streamStart);
      answering = response;
    });
    directory = mkdtempSync(join(tmpdir(), 'tollgate-client-abort-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    gateway = await startGateway(`providers:\n  ant: { type: anthropic, base_url: "${upstream.url}", api_key: sk-ant-test }\nplugins:\n  access-log: {}\n`, {}, { storage, logLines: lines });
  });
  after(async () => {
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Starts a stream on a raw connection and resolves once its first words have reached the client. */
  async function startedStream(path: string, body: string, id: string): Promise<Socket> {
    answering = null;
    const socket = connect(gateway.gateway.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nx-api-key: unused\r\nx-request-id: ${id}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let received = '';
    await new Promise<void>((resolve) => {
      socket.on('data', (data: Buffer) => {
        received += data.toString('utf8');
        if (received.includes('first ')) resolve();
      });
    });
    // The gateway is now waiting for the provider's next event.
    await sleep(50);
    return socket;
  }

  async function accessLine(id: string): Promise<Record<string, unknown> | undefined> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const found = lines.find((line) => line.type === 'access' && line.id === id);
      if (found !== undefined) return found;
      await sleep(20);
    }
    return undefined;
  }

  for (const [client, path, body] of clients) {
    for (const [how, leave] of leavings) {
      it(`records ${client} that ${how} as 499 client_closed_request in the access log`, async () => {
        const id = `abort-${randomUUID()}`;
        ids.push(id);
        const socket = await startedStream(path, body, id);
        assert.ok(answering, 'the stand-in is answering');
        // The same turn: the gateway reads both at its next look at its sockets.
        leave(socket);
        answering.write(textDelta('second '));
        const line = await accessLine(id);
        assert.deepEqual([line?.status, line?.error], [499, 'client_closed_request'], JSON.stringify(line));
      });
    }
  }

  it('records them so in the usage ledger', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    for (const id of ids) assert.deepEqual([rows.get(id)?.status, rows.get(id)?.error_code], [499, 'client_closed_request'], id);
  });
});
