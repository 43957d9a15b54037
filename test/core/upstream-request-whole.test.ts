import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { defaultTimeouts, UpstreamClient, type UpstreamRequest } from '../../src/upstream/upstream-client.ts';

/** A raw upstream whose path says how to answer; counts the connections closed mid-answer. */
describe('UpstreamClient.requestWhole (non-streamed calls read whole)', () => {
  let server: Server;
  let origin: string;
  let cutMidAnswer = 0;
  const client = new UpstreamClient({ connections: 8, keepAliveTimeout: 1000 });

  const trickle = (response: ServerResponse, everyMs: number) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"partial":');
    const timer = setInterval(() => response.write(' '), everyMs);
    response.on('close', () => {
      clearInterval(timer);
      if (!response.writableFinished) cutMidAnswer++;
    });
  };

  before(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url === '/pieces') {
          response.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'up-1', 'set-cookie': ['a=1', 'b=2'] });
          response.write('{"answer":');
          setTimeout(() => response.end(' "in two pieces"}'), 20);
        } else if (request.url === '/trickle') {
          trickle(response, 50);
        } else if (request.url === '/stall') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.write('{"stalled":');
          response.on('close', () => void (!response.writableFinished && cutMidAnswer++));
        } else if (request.url === '/silent') {
          response.on('close', () => void (!response.headersSent && cutMidAnswer++));
        } else if (request.url === '/large') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(Buffer.alloc(64 * 1024, 0x20));
        } else if (request.url === '/declared') {
          // 200 KiB of numbered bytes with their length declared, in pieces.
          const body = Buffer.from(Array.from({ length: 200 * 1024 }, (_, index) => index % 251));
          response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
          for (let offset = 0; offset < body.length; offset += 50_000) response.write(body.subarray(offset, offset + 50_000));
          response.end();
        } else if (request.url === '/error') {
          response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
          response.end('{"error":{"message":"slow down"}}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (path: string, overrides: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
    url: `${origin}${path}`,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    signal: new AbortController().signal,
    timeouts: defaultTimeouts,
    provider: 'stand-in',
    ...overrides,
  });

  /** Waits (up to 2 s) until the upstream has seen `count` answers cut off in all, and checks it. */
  const expectCuts = async (count: number) => {
    for (let waited = 0; waited < 2000 && cutMidAnswer < count; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(cutMidAnswer, count);
  };

  const rejectsWith = async (promise: Promise<unknown>, status: number, code: string) => {
    await assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof GatewayError, `a GatewayError, got ${String(error)}`);
      assert.equal(error.status, status);
      assert.equal(error.code, code);
      return true;
    });
  };

  it('returns the status, the headers and the body joined from its pieces', async () => {
    const response = await client.requestWhole(call('/pieces'));
    assert.equal(response.status, 201);
    assert.equal(response.headers['x-request-id'], 'up-1');
    assert.deepEqual(response.headers['set-cookie'], ['a=1', 'b=2']);
    assert.deepEqual(JSON.parse(response.body.toString('utf8')), { answer: 'in two pieces' });
  });

  it('gives an error status back as a response, for the provider to map', async () => {
    const response = await client.requestWhole(call('/error'));
    assert.equal(response.status, 429);
    assert.equal(response.headers['retry-after'], '3');
  });

  it('the total deadline ends a body that keeps trickling: 504 upstream_timeout, connection closed', async () => {
    const before = cutMidAnswer;
    const started = Date.now();
    await rejectsWith(client.requestWhole(call('/trickle', { timeouts: { ...defaultTimeouts, total: 300 } })), 504, 'upstream_timeout');
    assert.ok(Date.now() - started < 2000);
    await expectCuts(before + 1);
  });

  it('a body that stops arriving: 504 upstream_timeout (idle), connection closed', async () => {
    const before = cutMidAnswer;
    const started = Date.now();
    await assert.rejects(client.requestWhole(call('/stall', { timeouts: { ...defaultTimeouts, idle: 200 } })), /idle timeout/);
    // The attempt's own timer: on time, not at undici's once-a-second sweep.
    assert.ok(Date.now() - started < 1000, `cut after ${Date.now() - started} ms`);
    await expectCuts(before + 1);
  });

  it('a body that keeps arriving more often than the idle timeout is cut by the total deadline only', async () => {
    const before = cutMidAnswer;
    const started = Date.now();
    await assert.rejects(client.requestWhole(call('/trickle', { timeouts: { ...defaultTimeouts, idle: 150, total: 500 } })), /total timeout/);
    assert.ok(Date.now() - started >= 450, 'pieces 50 ms apart restart the idle clock');
    await expectCuts(before + 1);
  });

  it('an upstream that never answers: 504 upstream_timeout (first byte), connection closed', async () => {
    const before = cutMidAnswer;
    const started = Date.now();
    await rejectsWith(client.requestWhole(call('/silent', { timeouts: { ...defaultTimeouts, firstByte: 200 } })), 504, 'upstream_timeout');
    await assert.rejects(client.requestWhole(call('/silent', { timeouts: { ...defaultTimeouts, firstByte: 100 } })), /first byte timeout/);
    assert.ok(Date.now() - started < 1500, `both cut after ${Date.now() - started} ms`);
    await expectCuts(before + 2);
  });

  it('a client that leaves mid-body: 499 client_closed_request, and the upstream connection is closed', async () => {
    const before = cutMidAnswer;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await rejectsWith(client.requestWhole(call('/trickle', { signal: controller.signal })), 499, 'client_closed_request');
    await expectCuts(before + 1);
  });

  it('a client already gone: 499 without sending', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(client.requestWhole(call('/pieces', { signal: controller.signal })), 499, 'client_closed_request');
  });

  it('the deadline also ends a call still queued for a connection', async () => {
    const single = new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 });
    const holder = new AbortController();
    const first = single.requestWhole(call('/stall', { signal: holder.signal })).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await rejectsWith(single.requestWhole(call('/pieces', { timeouts: { ...defaultTimeouts, total: 200 } })), 504, 'upstream_timeout');
    assert.ok(Date.now() - started < 1500, 'it did not wait for the connection');
    holder.abort();
    assert.ok((await first) instanceof GatewayError);
    await single.close();
  });

  it('the first-byte clock starts when the call goes out on a connection, not while it waits for one', async () => {
    const single = new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 });
    const holder = new AbortController();
    const first = single.requestWhole(call('/stall', { signal: holder.signal })).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queued = single.requestWhole(call('/pieces', { timeouts: { ...defaultTimeouts, firstByte: 150 } }));
    // Queued 300 ms behind the stalled call, twice its first-byte timeout, then answered at once.
    setTimeout(() => holder.abort(), 300);
    const response = await queued;
    assert.equal(response.status, 201);
    assert.ok((await first) instanceof GatewayError);
    await single.close();
  });

  it('a long call re-arms its timer: pieces keep it alive past its first-byte and idle timeouts, until the total deadline', async () => {
    const before = cutMidAnswer;
    const started = Date.now();
    // Pieces every 50 ms for longer than the first-byte timeout (100 ms) and the idle timeout
    // (150 ms): only the total deadline (450 ms) ends it.
    await assert.rejects(client.requestWhole(call('/trickle', { timeouts: { ...defaultTimeouts, firstByte: 100, idle: 150, total: 450 } })), /total timeout/);
    assert.ok(Date.now() - started >= 400, `ended after ${Date.now() - started} ms`);
    await expectCuts(before + 1);
  });

  it('a first-byte or idle timeout of 0 is off, as it is for streamed calls (undici)', async () => {
    const response = await client.requestWhole(call('/pieces', { timeouts: { ...defaultTimeouts, firstByte: 0, idle: 0 } }));
    assert.equal(response.status, 201);
    assert.equal(response.body.toString(), '{"answer": "in two pieces"}');
  });

  it('a body over the limit: 502 upstream_response_too_large, declared or not', async () => {
    await rejectsWith(client.requestWhole(call('/large'), 16 * 1024), 502, 'upstream_response_too_large');
    await rejectsWith(client.requestWhole(call('/declared'), 100 * 1024), 502, 'upstream_response_too_large');
  });

  it('a body whose length is declared arrives whole, read into one buffer of that length', async () => {
    const response = await client.requestWhole(call('/declared'));
    assert.equal(response.body.length, 200 * 1024);
    assert.equal(response.body.buffer.byteLength, 200 * 1024, 'one buffer of its own');
    for (let index = 0; index < response.body.length; index += 997) assert.equal(response.body[index], index % 251);
  });

  it('nothing listening: 502 upstream_unreachable', async () => {
    await rejectsWith(client.requestWhole(call('/pieces', { url: 'http://127.0.0.1:9/v1/chat/completions' })), 502, 'upstream_unreachable');
  });
});
