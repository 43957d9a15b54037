import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

interface RawAnswer {
  /** Everything the gateway sent, as text. */
  text: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `head` (a request's start line and headers) on a socket of its own and, once the gateway
 * answers `HTTP/1.1 100`, `body`; resolves with what came back by the time the gateway closed the
 * connection or `waitMs` passed. A raw socket: whether a `100 Continue` is sent at all is the point.
 */
function rawExchange(port: number, head: string, body: string, waitMs = 2000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let sentBody = false;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      // The final answer: after a 100 Continue, if there was one.
      const final = text.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      const [headText, ...rest] = final.split('\r\n\r\n');
      const [statusLine, ...headerLines] = headText.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ text, status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (piece: Buffer) => {
      text += piece.toString('latin1');
      if (!sentBody && text.startsWith('HTTP/1.1 100')) {
        sentBody = true;
        socket.write(body);
      }
      // A complete answer with a Content-Length: done.
      const split = text.lastIndexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text.slice(text.lastIndexOf('HTTP/1.1 ')));
      if (split !== -1 && length && text.length - split - 4 >= Number(length[1]) && !text.endsWith('100 Continue\r\n\r\n')) finish();
    });
    socket.on('close', finish);
    socket.on('error', reject);
    socket.write(head);
  });
}

function headOf(method: string, path: string, headers: Record<string, string | number>): string {
  return `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}

describe('HTTP conformance of the data plane (Expect, 405 Allow, HEAD)', () => {
  let gw: RunningGateway;
  let port = 0;
  const chat = JSON.stringify({ model: 'echo/test', messages: [{ role: 'user', content: 'continued' }] });

  before(async () => {
    gw = await startGateway('server: { body_limit: 1mib }\nmodels: { smart: { targets: [{ provider: echo, model: test }] } }\n');
    port = gw.gateway.port;
  });
  after(() => gw.close());

  it('answers Expect: 100-continue with a declared body over body_limit by 413 at once, without 100 Continue', async () => {
    const started = performance.now();
    const answer = await rawExchange(port, headOf('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'content-length': 5 * 1024 * 1024, expect: '100-continue', 'x-request-id': 'req-expect' }), '');
    assert.ok(performance.now() - started < 1500, 'answered without waiting for the body');
    assert.doesNotMatch(answer.text, /^HTTP\/1\.1 100/);
    assert.equal(answer.status, 413);
    assert.equal(answer.headers['x-request-id'], 'req-expect');
    assert.equal(answer.headers.connection, 'close');
    assert.equal(JSON.parse(answer.body).error.code, 'request_too_large');

    const anthropic = await rawExchange(port, headOf('POST', '/v1/messages', { 'content-type': 'application/json', 'content-length': 5 * 1024 * 1024, expect: '100-continue' }), '');
    assert.equal(anthropic.status, 413);
    assert.ok(anthropic.headers['x-request-id']);
    assert.deepEqual(JSON.parse(anthropic.body).type, 'error');
    assert.equal(JSON.parse(anthropic.body).error.type, 'request_too_large');
  });

  it('answers Expect: 100-continue with an unknown Content-Encoding by 415 at once', async () => {
    const answer = await rawExchange(port, headOf('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'content-length': chat.length, 'content-encoding': 'bogus', expect: '100-continue' }), chat);
    assert.doesNotMatch(answer.text, /^HTTP\/1\.1 100/);
    assert.equal(answer.status, 415);
    assert.equal(JSON.parse(answer.body).error.code, 'unsupported_content_encoding');
  });

  it('still sends 100 Continue for a body within the limit, then answers it', async () => {
    const answer = await rawExchange(port, headOf('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(chat), expect: '100-continue', connection: 'close' }), chat);
    assert.match(answer.text, /^HTTP\/1\.1 100 Continue\r\n\r\n/);
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.body).choices[0].message.content, 'continued');
  });

  it('answers another Expect value with 417 as a JSON error with x-request-id', async () => {
    const answer = await rawExchange(port, headOf('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(chat), expect: 'something-else', 'x-request-id': 'req-417' }), chat);
    assert.equal(answer.status, 417);
    assert.equal(answer.headers['x-request-id'], 'req-417');
    assert.equal(answer.headers['content-type'], 'application/json');
    assert.equal(JSON.parse(answer.body).error.code, 'expectation_failed');
    const anthropic = await rawExchange(port, headOf('POST', '/v1/messages', { 'content-length': 0, expect: 'something-else' }), '');
    assert.equal(anthropic.status, 417);
    assert.equal(JSON.parse(anthropic.body).type, 'error');
  });

  it('sends Allow with every 405', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/v1/models', 'GET, HEAD'],
      ['TRACE', '/models', 'GET, HEAD'],
      ['POST', '/v1/models', 'GET, HEAD'],
      ['DELETE', '/v1/models/echo%2Ftest', 'GET, HEAD'],
      ['GET', '/v1/chat/completions', 'POST'],
      ['HEAD', '/v1/chat/completions', 'POST'],
      ['OPTIONS', '/v1/embeddings', 'POST'],
      ['PUT', '/v1/messages', 'POST'],
      ['GET', '/v1/responses', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await request(`${gw.url}${path}`, { method: method as 'GET' });
      assert.equal(answer.statusCode, 405, `${method} ${path}`);
      assert.equal(answer.headers.allow, allow, `${method} ${path}`);
      assert.ok(answer.headers['x-request-id'], `${method} ${path}`);
      const text = await answer.body.text();
      if (method !== 'HEAD') assert.equal(path.includes('messages') ? JSON.parse(text).error.type : JSON.parse(text).error.code, path.includes('messages') ? 'invalid_request_error' : 'method_not_allowed');
    }
  });

  it('answers HEAD on the model endpoints as GET, without the body', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    const listed = await client.models.list();
    assert.ok(listed.data.length > 0);
    for (const path of ['/v1/models', '/models', `/v1/models/${encodeURIComponent(listed.data[0].id)}`]) {
      const get = await request(`${gw.url}${path}`);
      const getBody = await get.body.text();
      assert.equal(get.statusCode, 200, path);
      const head = await request(`${gw.url}${path}`, { method: 'HEAD' });
      assert.equal(head.statusCode, 200, path);
      assert.equal(head.headers['content-type'], 'application/json');
      assert.equal(head.headers['content-length'], String(Buffer.byteLength(getBody)), path);
      assert.ok(head.headers['x-request-id']);
      assert.equal(await head.body.text(), '');
    }
    for (const id of ['nope%2Fnothing', 'bad%E0escape']) {
      const missing = await request(`${gw.url}/v1/models/${id}`, { method: 'HEAD' });
      assert.equal(missing.statusCode, 404, id);
      await missing.body.dump();
      const missingGet = await request(`${gw.url}/v1/models/${id}`);
      assert.equal(missingGet.statusCode, 404, id);
      assert.equal(((await missingGet.body.json()) as { error: { code: string } }).error.code, 'model_not_found');
    }
  });

  it('takes a request target in absolute form (RFC 9112 §3.2.2) as its path, on the data plane and the admin listener', async () => {
    // No Expect header here: the body goes with the head.
    const chatAnswer = await rawExchange(port, headOf('POST', `http://127.0.0.1:${port}/v1/chat/completions`, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(chat), connection: 'close' }) + chat, '');
    assert.equal(chatAnswer.status, 200, chatAnswer.text);
    assert.equal(JSON.parse(chatAnswer.body).choices[0].message.content, 'continued');
    const messages = JSON.stringify({ model: 'echo/test', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    const anthropic = await rawExchange(port, headOf('POST', 'HTTP://Gateway.Example:8000/v1/messages?beta=true', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(messages), connection: 'close' }) + messages, '');
    assert.equal(anthropic.status, 200, anthropic.text);
    assert.equal(JSON.parse(anthropic.body).type, 'message');
    const models = await rawExchange(port, headOf('GET', 'http://127.0.0.1/v1/models', { connection: 'close' }), '');
    assert.equal(models.status, 200);
    assert.equal(JSON.parse(models.body).object, 'list');
    const unknown = await rawExchange(port, headOf('GET', 'http://127.0.0.1', { connection: 'close' }), '');
    assert.equal(unknown.status, 404, 'the root path');
    const adminPort = Number(new URL(gw.adminUrl).port);
    const health = await rawExchange(adminPort, headOf('GET', `http://127.0.0.1:${adminPort}/healthz`, { connection: 'close' }), '');
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
  });
});

describe('a body that takes too long (server.request_timeout)', () => {
  it('answers 408 and closes the connection once the whole request has not arrived in time', async () => {
    const gw = await startGateway('server: { request_timeout: 2s }\n');
    try {
      const startedAt = performance.now();
      // Declares 100 bytes and sends 10: the body never completes.
      const answer = await rawExchange(gw.gateway.port, headOf('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'content-length': 100 }) + '{"model":"', '', 8000);
      const waited = performance.now() - startedAt;
      assert.equal(answer.status, 408, answer.text);
      assert.ok(waited >= 1500 && waited < 6000, `answered after ${Math.round(waited)} ms`);
      // A request sent in time is still served on a new connection.
      const chat = JSON.stringify({ model: 'echo/test', messages: [{ role: 'user', content: 'in time' }] });
      const served = await rawExchange(gw.gateway.port, headOf('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(chat), connection: 'close' }) + chat, '');
      assert.equal(served.status, 200);
    } finally {
      await gw.close();
    }
  });
});
