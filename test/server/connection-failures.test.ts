import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { ledgerRowsByRequest } from '../ledger/ledger-helpers.ts';

// A request that fails on the client's side of the connection (it leaves mid-body, its chunked
// framing is broken, it does not arrive within server.request_timeout, or Node's parser refuses
// it outright) is the client's doing: answered, when it still can be, with the error object, and
// recorded as that status in the access log, the ledger and tollgate_requests_total. Never as the
// gateway's 500, which operators alert on.

interface Exchange {
  /** What the gateway sent. */
  text: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Opens a raw connection, lets `act` write to it, and collects what comes back until the gateway closes it or `waitMs` passes. */
function exchange(port: number, act: (socket: Socket) => void, waitMs = 3000): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      resolve({ text, status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
    socket.on('close', finish);
    socket.on('error', () => undefined);
    act(socket);
  });
}

function head(path: string, requestId: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: '127.0.0.1', 'content-type': 'application/json', 'x-request-id': requestId, ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

async function metricsText(gateway: RunningGateway): Promise<string> {
  return (await fetch(`${gateway.adminUrl}/metrics`)).text();
}

/** The count of tollgate_requests_total for these labels (0 when the series does not exist). */
function requestCount(metrics: string, operation: string, status: number): number {
  const line = metrics.split('\n').find((text) => text.startsWith(`tollgate_requests_total{operation="${operation}",provider="none",model="none",status="${status}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

async function accessLine(lines: Array<Record<string, unknown>>, test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = lines.find((line) => line.type === 'access' && test(line));
    if (found !== undefined) return found;
    await sleep(20);
  }
  return undefined;
}

describe('request bodies that fail on the client side', () => {
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;
  const lines: Array<Record<string, unknown>> = [];
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-connection-failures-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    gateway = await startGateway('server: { request_timeout: 2s }\n', {}, { storage, logLines: lines });
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  const ids = { left: `left-${randomUUID()}`, reset: `reset-${randomUUID()}`, chunkLeft: `chunk-left-${randomUUID()}`, badChunk: `bad-chunk-${randomUUID()}`, timeout: `timeout-${randomUUID()}`, anthropicBadChunk: `anthropic-bad-chunk-${randomUUID()}` };
  let before499 = 0;
  let before400 = 0;
  let before408 = 0;
  let before500 = 0;

  it('records a client that leaves mid-body as 499 client_closed_request, however it leaves', async () => {
    const metrics = await metricsText(gateway);
    [before499, before400, before408, before500] = [requestCount(metrics, 'chat', 499), requestCount(metrics, 'chat', 400), requestCount(metrics, 'chat', 408), requestCount(metrics, 'chat', 500)];
    const port = gateway.gateway.port;
    const cases: Array<[string, (socket: Socket) => void]> = [
      // Its connection's end (FIN) in the middle of a declared body.
      [ids.left, (socket) => { socket.write(head('/v1/chat/completions', ids.left, { 'content-length': 1000 }) + '{"model":'); setTimeout(() => socket.end(), 200); }],
      // A reset.
      [ids.reset, (socket) => { socket.write(head('/v1/chat/completions', ids.reset, { 'content-length': 1000 }) + '{"model":'); setTimeout(() => socket.resetAndDestroy(), 200); }],
      // In the middle of a chunk.
      [ids.chunkLeft, (socket) => { socket.write(head('/v1/chat/completions', ids.chunkLeft, { 'transfer-encoding': 'chunked' }) + '100\r\n{"model"'); setTimeout(() => socket.destroy(), 200); }],
    ];
    for (const [id, act] of cases) {
      const answer = await exchange(port, act, 1500);
      assert.equal(answer.text, '', 'nothing is answered to a client that left');
      const line = await accessLine(lines, (entry) => entry.id === id);
      assert.deepEqual([line?.status, line?.error, line?.path], [499, 'client_closed_request', '/v1/chat/completions'], id);
    }
  });

  it('answers a malformed chunked body 400 malformed_request in the client\'s format, and records it so', async () => {
    const answer = await exchange(gateway.gateway.port, (socket) => socket.write(head('/v1/chat/completions', ids.badChunk, { 'transfer-encoding': 'chunked' }) + 'zz\r\n'));
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.headers.connection, 'close');
    assert.equal(answer.headers['x-request-id'], ids.badChunk);
    const error = (JSON.parse(answer.body) as { error: { type: string; code: string; message: string } }).error;
    assert.deepEqual([error.type, error.code], ['invalid_request_error', 'malformed_request']);
    assert.match(error.message, /not well-formed HTTP/);
    const line = await accessLine(lines, (entry) => entry.id === ids.badChunk);
    assert.deepEqual([line?.status, line?.error], [400, 'malformed_request']);
    // On /v1/messages it is Anthropic's error object.
    const anthropic = await exchange(gateway.gateway.port, (socket) => socket.write(head('/v1/messages', ids.anthropicBadChunk, { 'transfer-encoding': 'chunked' }) + 'zz\r\n'));
    assert.equal(anthropic.status, 400, anthropic.text);
    assert.deepEqual(JSON.parse(anthropic.body).error.type, 'invalid_request_error');
    assert.equal(JSON.parse(anthropic.body).type, 'error');
  });

  it('answers a body past server.request_timeout 408 request_timeout, and records it so', async () => {
    const started = performance.now();
    const answer = await exchange(gateway.gateway.port, (socket) => socket.write(head('/v1/chat/completions', ids.timeout, { 'content-length': 100 }) + '{"model":"'), 8000);
    assert.ok(performance.now() - started >= 1500, 'not before the timeout');
    assert.equal(answer.status, 408, answer.text);
    assert.equal(answer.headers['x-request-id'], ids.timeout);
    assert.equal(JSON.parse(answer.body).error.code, 'request_timeout');
    const line = await accessLine(lines, (entry) => entry.id === ids.timeout);
    assert.deepEqual([line?.status, line?.error], [408, 'request_timeout']);
  });

  it('counts them in tollgate_requests_total by those statuses, none as 500', async () => {
    const metrics = await metricsText(gateway);
    assert.equal(requestCount(metrics, 'chat', 499) - before499, 3, metrics);
    assert.equal(requestCount(metrics, 'chat', 400) - before400, 2);
    assert.equal(requestCount(metrics, 'chat', 408) - before408, 1);
    assert.equal(requestCount(metrics, 'chat', 500) - before500, 0);
  });

  it('records them in the usage ledger by those statuses and codes', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    const outcome = (id: string) => [rows.get(id)?.status, rows.get(id)?.error_code];
    assert.deepEqual(outcome(ids.left), [499, 'client_closed_request']);
    assert.deepEqual(outcome(ids.reset), [499, 'client_closed_request']);
    assert.deepEqual(outcome(ids.chunkLeft), [499, 'client_closed_request']);
    assert.deepEqual(outcome(ids.badChunk), [400, 'malformed_request']);
    assert.deepEqual(outcome(ids.timeout), [408, 'request_timeout']);
  });
});

// Node puts a new connection on the clock of its headers (headersTimeout: 60 s, or a shorter
// server.request_timeout) before its first byte. The leaks audit found every connection that sent
// nothing (a client pool's spare connection) answered an unasked-for 408 after 60 s, blaming
// server.request_timeout (300 s), with an access line of its own.
describe('connections that send no request, or only part of its headers', () => {
  let gateway: RunningGateway;
  const lines: Array<Record<string, unknown>> = [];
  before(async () => {
    // A header timeout of 2 s (request_timeout's), shorter than keep_alive_timeout: a connection idle
    // after its answer is closed at the latter (Node's idle timer, from its last byte), so a partial
    // next request there meets the header timeout first.
    gateway = await startGateway('server: { request_timeout: 2s, keep_alive_timeout: 3s }\n', {}, { logLines: lines });
  });
  after(() => gateway.close());

  /** exchange, and how long the gateway took to close the connection. */
  async function timedExchange(act: (socket: Socket) => void, waitMs: number): Promise<Exchange & { closedAfterMs: number }> {
    const started = performance.now();
    const answer = await exchange(gateway.gateway.port, act, waitMs);
    return { ...answer, closedAfterMs: performance.now() - started };
  }

  it('closes a connection that sends nothing at the header timeout, without an answer or an access line', async () => {
    const count = lines.length;
    const answer = await timedExchange(() => undefined, 8000);
    assert.equal(answer.text, '', 'nothing is written to an idle connection');
    assert.ok(answer.closedAfterMs >= 1500 && answer.closedAfterMs < 6000, `closed by the gateway at the 2 s limit, not by the test (${answer.closedAfterMs} ms)`);
    await sleep(100);
    assert.deepEqual(lines.slice(count).filter((line) => line.type === 'access'), []);
  });

  it('closes a keep-alive connection idle after its request at keep_alive_timeout, without a second answer', async () => {
    const count = lines.length;
    const answer = await timedExchange((socket) => socket.write('GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'), 8000);
    assert.equal(answer.status, 200, answer.text.slice(0, 200));
    assert.equal(answer.text.match(/HTTP\/1\.1 /g)?.length, 1, 'one answer only');
    assert.ok(answer.closedAfterMs >= 2500 && answer.closedAfterMs < 6000, `closed by the gateway at the 3 s limit (${answer.closedAfterMs} ms)`);
    await sleep(100);
    assert.deepEqual(lines.slice(count).filter((line) => line.type === 'access').map((line) => line.status), [200]);
  });

  it('answers headers that stop midway 408 request_timeout naming the header timeout, with an access line', async () => {
    const answer = await timedExchange((socket) => socket.write('POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n'), 8000);
    assert.ok(answer.closedAfterMs >= 1500, 'not before the limit');
    assert.equal(answer.status, 408, answer.text);
    assert.equal(answer.headers.connection, 'close');
    const id = answer.headers['x-request-id'];
    const error = (JSON.parse(answer.body) as { error: { type: string; code: string; message: string } }).error;
    assert.deepEqual([error.type, error.code], ['invalid_request_error', 'request_timeout']);
    assert.match(error.message, /line and headers did not arrive within server\.request_timeout \(2s\)/);
    const line = await accessLine(lines, (entry) => entry.id === id);
    assert.deepEqual([line?.status, line?.error], [408, 'request_timeout']);
  });

  it('answers a keep-alive connection whose next request stops midway 408 too', async () => {
    const answer = await timedExchange((socket) => {
      socket.write('GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
      setTimeout(() => socket.write('GET /v1/mod'), 200);
    }, 8000);
    assert.deepEqual(answer.text.match(/HTTP\/1\.1 \d+/g), ['HTTP/1.1 200', 'HTTP/1.1 408']);
  });
});

describe('requests the HTTP parser refuses before they are requests', () => {
  let gateway: RunningGateway;
  const lines: Array<Record<string, unknown>> = [];
  before(async () => {
    gateway = await startGateway('', {}, { logLines: lines });
  });
  after(() => gateway.close());

  const refusals: Array<[string, string, number, string]> = [
    ['headers past the size limit', `GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'request_headers_too_large'],
    ['thousands of headers', `GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\n${Array.from({ length: 3000 }, (_, index) => `x-h${index}: v`).join('\r\n')}\r\n\r\n`, 431, 'request_headers_too_large'],
    ['a malformed request line', 'GET /v1/models HTTP/9\r\nhost: 127.0.0.1\r\n\r\n', 400, 'malformed_request'],
    ['a NUL in a header', 'GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\nx-a: b\u0000c\r\n\r\n', 400, 'malformed_request'],
    ['Content-Length beside Transfer-Encoding', 'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'malformed_request'],
  ];
  for (const [name, bytes, status, code] of refusals) {
    it(`answers ${name} ${status} ${code} as OpenAI's error object, with an access line and the metric`, async () => {
      const before = requestCount(await metricsText(gateway), 'other', status);
      const answer = await exchange(gateway.gateway.port, (socket) => socket.write(bytes));
      assert.equal(answer.status, status, answer.text.slice(0, 200));
      assert.equal(answer.headers.connection, 'close');
      assert.equal(answer.headers['content-type'], 'application/json');
      const id = answer.headers['x-request-id'];
      assert.ok(id, 'the answer names its request id');
      const error = (JSON.parse(answer.body) as { error: { type: string; code: string } }).error;
      assert.deepEqual([error.type, error.code], ['invalid_request_error', code]);
      const line = await accessLine(lines, (entry) => entry.id === id);
      assert.deepEqual([line?.status, line?.error], [status, code]);
      assert.equal(requestCount(await metricsText(gateway), 'other', status) - before, 1);
    });
  }

  // Node answers an HTTP/1.1 request without Host (RFC 9112 §3.2) with a bare 400 itself, before any
  // event: the gateway turns that check off and answers it in JSON like the other refusals.
  it('answers an HTTP/1.1 request without Host 400 missing_host_header as OpenAI\'s error object, with its request id, and closes', async () => {
    for (const bytes of [
      'POST /v1/chat/completions HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}',
      'GET /v1/models HTTP/1.1\r\n\r\n',
      'POST /v1/chat/completions HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\nexpect: 100-continue\r\n\r\n',
      'POST /v1/chat/completions HTTP/1.1\r\ncontent-length: 2\r\nexpect: something-else\r\n\r\n',
    ]) {
      const answer = await exchange(gateway.gateway.port, (socket) => socket.write(bytes));
      assert.equal(answer.status, 400, answer.text.slice(0, 200));
      assert.equal(answer.headers.connection, 'close');
      assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
      const id = answer.headers['x-request-id'];
      assert.ok(id, 'the answer names its request id');
      const error = (JSON.parse(answer.body) as { error: { type: string; code: string; message: string } }).error;
      assert.deepEqual([error.type, error.code], ['invalid_request_error', 'missing_host_header']);
      const line = await accessLine(lines, (entry) => entry.id === id);
      assert.deepEqual([line?.status, line?.error], [400, 'missing_host_header']);
    }
    // HTTP/1.0 has no Host requirement: still served.
    const old = await exchange(gateway.gateway.port, (socket) => socket.write('GET /v1/models HTTP/1.0\r\n\r\n'));
    assert.equal(old.status, 200, old.text.slice(0, 200));
  });

  it('answers the same on the Admin listener', async () => {
    const answer = await exchange(gateway.gateway.adminPort, (socket) => socket.write('GET /healthz HTTP/1.1\r\n\r\n'));
    assert.equal(answer.status, 400, answer.text.slice(0, 200));
    assert.equal(answer.headers.connection, 'close');
    const error = (JSON.parse(answer.body) as { error: { type: string; code: string } }).error;
    assert.deepEqual([error.type, error.code], ['invalid_request_error', 'missing_host_header']);
  });

  // RFC 9112 §3.2: more than one Host line is a 400 too, in any version. Node keeps the first in
  // req.headers and drops the rest, so a front proxy that routes by the last would disagree (the
  // sec3 audit, finding 5).
  it('answers a request with two Host lines 400 duplicate_host_header, with its request id, and closes', async () => {
    for (const bytes of [
      'GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\nhost: evil.example\r\n\r\n',
      'GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nHOST: 127.0.0.1\r\n\r\n',
      'GET /v1/models HTTP/1.0\r\nhost: 127.0.0.1\r\nhost: evil.example\r\n\r\n',
      'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\nhost: evil.example\r\n\r\n{}',
      'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nhost: evil.example\r\ncontent-length: 2\r\nexpect: 100-continue\r\n\r\n',
      'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nhost: evil.example\r\ncontent-length: 2\r\nexpect: something-else\r\n\r\n',
    ]) {
      const answer = await exchange(gateway.gateway.port, (socket) => socket.write(bytes));
      assert.equal(answer.status, 400, answer.text.slice(0, 200));
      assert.equal(answer.headers.connection, 'close');
      assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
      const id = answer.headers['x-request-id'];
      assert.ok(id, 'the answer names its request id');
      const error = (JSON.parse(answer.body) as { error: { type: string; code: string } }).error;
      assert.deepEqual([error.type, error.code], ['invalid_request_error', 'duplicate_host_header'], bytes);
      const line = await accessLine(lines, (entry) => entry.id === id);
      assert.deepEqual([line?.status, line?.error], [400, 'duplicate_host_header']);
    }
    // One Host line is still served.
    const single = await exchange(gateway.gateway.port, (socket) => socket.write('GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n'));
    assert.equal(single.status, 200, single.text.slice(0, 200));
  });

  it('answers two Host lines the same on the Admin listener', async () => {
    const answer = await exchange(gateway.gateway.adminPort, (socket) => socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nhost: evil.example\r\n\r\n'));
    assert.equal(answer.status, 400, answer.text.slice(0, 200));
    assert.equal(answer.headers.connection, 'close');
    const error = (JSON.parse(answer.body) as { error: { type: string; code: string } }).error;
    assert.deepEqual([error.type, error.code], ['invalid_request_error', 'duplicate_host_header']);
  });

  it("answers what the parser refuses on the Admin listener too, as OpenAI's error object with a request id (the dos2 audit: bare 400/431)", async () => {
    for (const [name, bytes, status, code] of refusals) {
      const answer = await exchange(gateway.gateway.adminPort, (socket) => socket.write(bytes.replace('/v1/models', '/healthz')));
      assert.equal(answer.status, status, `${name}: ${answer.text.slice(0, 200)}`);
      assert.equal(answer.headers.connection, 'close');
      assert.ok(answer.headers['x-request-id'], name);
      const error = (JSON.parse(answer.body) as { error: { type: string; code: string } }).error;
      assert.deepEqual([error.type, error.code], ['invalid_request_error', code], name);
    }
  });

  it('answers CONNECT 405 on both listeners instead of dropping the connection', async () => {
    for (const port of [gateway.gateway.port, gateway.gateway.adminPort]) {
      const answer = await exchange(port, (socket) => socket.write('CONNECT 127.0.0.1:443 HTTP/1.1\r\nhost: 127.0.0.1:443\r\n\r\n'));
      assert.equal(answer.status, 405, answer.text.slice(0, 200));
      assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'method_not_allowed');
    }
  });

  it('answers and logs nothing for a connection that closes between requests or mid-headers', async () => {
    const count = lines.length;
    await exchange(gateway.gateway.port, (socket) => socket.end(), 500);
    await exchange(gateway.gateway.port, (socket) => { socket.write('GET /v1/mod'); setTimeout(() => socket.end(), 100); }, 800);
    await exchange(gateway.gateway.port, (socket) => { socket.write('GET /v1/mod'); setTimeout(() => socket.resetAndDestroy(), 100); }, 800);
    await sleep(100);
    assert.deepEqual(lines.slice(count).filter((line) => line.type === 'access'), []);
  });
});
