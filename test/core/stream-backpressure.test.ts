import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// A client that stops reading a stream slows the provider down instead of making the gateway
// hold the rest: the upstream's writes stall while the client is paused, and every byte arrives
// once it reads again.

const eventCount = 2000;
const filler = 'x'.repeat(16 * 1024);
const event = (index: number) => `data: ${JSON.stringify({ id: 'chatcmpl-bp', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `${index}:${filler}` }, finish_reason: null }] })}\n\n`;

describe('stream backpressure', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let written = 0;
  let upstreamBytes = 0;

  before(async () => {
    upstream = await startStandIn(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let index = 0; index < eventCount; index++) {
        const text = event(index);
        upstreamBytes += Buffer.byteLength(text);
        written = index + 1;
        if (!response.write(text)) await once(response, 'drain');
        if (response.destroyed) return;
      }
      upstreamBytes += 'data: [DONE]\n\n'.length;
      response.end('data: [DONE]\n\n');
    });
    gateway = await startGateway(`providers:\n  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m] }\n`);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('pauses the provider while the client does not read, then delivers every byte', async () => {
    const body = JSON.stringify({ model: 'local/m', stream: true, messages: [{ role: 'user', content: 'long answer' }] });
    const url = new URL(`${gateway.baseURL}/chat/completions`);
    const outgoing = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    outgoing.end(body);
    const [incoming] = (await once(outgoing, 'response')) as [import('node:http').IncomingMessage];
    assert.equal(incoming.statusCode, 200);
    incoming.pause();
    await sleep(800);
    // 2,000 events are 33 MB; with the client paused only what fits in socket buffers on the way may be written.
    const writtenWhilePaused = written;
    assert.ok(writtenWhilePaused < eventCount / 2, `the provider wrote ${writtenWhilePaused} of ${eventCount} events while the client read nothing`);
    let received = 0;
    incoming.on('data', (piece: Buffer) => (received += piece.length));
    incoming.resume();
    await once(incoming, 'end');
    assert.equal(written, eventCount);
    assert.equal(received, upstreamBytes, 'every byte arrived');
  });
});
