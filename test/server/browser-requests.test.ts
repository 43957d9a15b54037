import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// Without an authentication plugin (the default), a web page the operator opens must not make the
// gateway spend the operator's provider key: a browser's cross-site request (Origin, or
// Sec-Fetch-Site) from an origin server.cors does not list is refused, and a listener on loopback
// answers only loopback names and IP addresses (DNS rebinding). SDKs, curl and servers are unaffected.

const chat = JSON.stringify({ model: 'up/m1', messages: [{ role: 'user', content: 'page spend' }] });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with whatever headers a browser would send, Host included (fetch sets its own). */
function send(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: target.hostname, port: target.port, method: options.method ?? 'POST', path: options.path ?? '/v1/chat/completions', headers: { ...(options.body !== undefined && { 'content-length': String(Buffer.byteLength(options.body)) }), ...options.headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

function codeOf(answer: Answer): string | undefined {
  return (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;
}

describe('requests from web pages to a gateway without authentication', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion('m1', 'spent')));
    });
    gw = await startGateway(`server: { host: 127.0.0.1 }\nproviders: { up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: sk-operator-key } }\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('refuses a page\'s "simple" cross-origin POST (text/plain, a form, no content type) with 403 before the provider is called', async () => {
    const before = upstream.requests.length;
    const simple: Array<Record<string, string>> = [
      { origin: 'https://evil.example', 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
      { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      { origin: 'http://localhost:5173' },
      // A sandboxed frame or a file: the opaque origin.
      { origin: 'null', 'content-type': 'text/plain' },
      // No Origin, but the browser says another site caused it.
      { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of simple) {
      const answer = await send(gw.url, { headers, body: chat });
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.equal(codeOf(answer), 'origin_not_allowed', JSON.stringify(headers));
      assert.equal(answer.headers['access-control-allow-origin'], undefined);
      assert.ok(answer.headers['x-request-id']);
    }
    // The preflight a page would need for JSON or an Authorization header is refused the same way.
    const preflight = await send(gw.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.equal(preflight.status, 403);
    // A page that asks before sending its body (Expect: 100-continue) is refused before any of it.
    const expecting = await send(gw.url, { headers: { origin: 'https://evil.example', expect: '100-continue', 'content-type': 'application/json' }, body: chat });
    assert.equal(expecting.status, 403);
    assert.equal(upstream.requests.length, before, 'the provider was never called');
  });

  it('serves SDKs, curl (a form content type, no Origin) and the address bar as before', async () => {
    const before = upstream.requests.length;
    const sdk = await new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 }).chat.completions.create({ model: 'up/m1', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(sdk.choices[0].message.content, 'spent');
    // curl -d '{...}' sends application/x-www-form-urlencoded; other scripts send text/plain or no content type.
    const curlLike: Array<Record<string, string>> = [{ 'content-type': 'application/x-www-form-urlencoded' }, {}, { 'content-type': 'text/plain' }];
    for (const headers of curlLike) {
      const answer = await send(gw.url, { headers, body: chat });
      assert.equal(answer.status, 200, JSON.stringify(headers));
    }
    // A URL typed in the address bar: Sec-Fetch-Site none, no Origin.
    const typed = await send(gw.url, { method: 'GET', path: '/v1/models', headers: { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' } });
    assert.equal(typed.status, 200);
    assert.equal(upstream.requests.length, before + 4);
  });

  it('answers only loopback names and IP addresses on a loopback listener: a rebound name gets 421, and reads nothing', async () => {
    const port = new URL(gw.url).port;
    const before = upstream.requests.length;
    for (const host of [`evil.example:${port}`, 'evil.example', `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const spend = await send(gw.url, { headers: { host, 'content-type': 'application/json' }, body: chat });
      assert.equal(spend.status, 421, host);
      assert.equal(codeOf(spend), 'host_not_allowed', host);
      const read = await send(gw.url, { method: 'GET', path: '/v1/models', headers: { host } });
      assert.equal(read.status, 421, host);
      assert.doesNotMatch(read.body, /m1/);
    }
    assert.equal(upstream.requests.length, before);
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`, '127.0.0.1', `10.1.2.3:${port}`]) {
      const answer = await send(gw.url, { headers: { host, 'content-type': 'application/json' }, body: chat });
      assert.equal(answer.status, 200, host);
    }
  });

  it('keeps the Admin listener on loopback to loopback names too', async () => {
    const port = new URL(gw.adminUrl).port;
    for (const path of ['/metrics', '/readyz', '/dashboard/']) {
      const rebound = await send(gw.adminUrl, { method: 'GET', path, headers: { host: `evil.example:${port}` } });
      assert.equal(rebound.status, 421, path);
      assert.equal(codeOf(rebound), 'host_not_allowed');
    }
    const local = await send(gw.adminUrl, { method: 'GET', path: '/readyz', headers: { host: `localhost:${port}` } });
    assert.equal(local.status, 200);
  });
});

describe('listed origins and hosts', () => {
  let gw: RunningGateway;
  let open: RunningGateway;

  before(async () => {
    gw = await startGateway(`
server: { host: 127.0.0.1, allowed_hosts: [gateway.internal, "*.corp.example"], cors: { allow_origins: ["https://app.example.com", "chrome-extension://abcdefghijklmnop"] } }
admin: { allowed_hosts: [admin.internal] }
`);
    open = await startGateway('server: { host: 0.0.0.0 }\n');
  });
  after(async () => {
    await gw.close();
    await open.close();
  });

  const echo = JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] });

  it('serves the pages of the origins server.cors lists, and refuses the others', async () => {
    for (const origin of ['https://app.example.com', 'chrome-extension://abcdefghijklmnop']) {
      const answer = await send(gw.url, { headers: { origin, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, body: echo });
      assert.equal(answer.status, 200, origin);
      assert.equal(answer.headers['access-control-allow-origin'], origin);
    }
    const preflight = await send(gw.url, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'http://app.example.com', 'chrome-extension://other']) {
      const answer = await send(gw.url, { headers: { origin, 'content-type': 'application/json' }, body: echo });
      assert.equal(answer.status, 403, origin);
    }
  });

  it('answers the names server.allowed_hosts lists', async () => {
    for (const host of ['gateway.internal', 'gateway.internal:8000', 'a.corp.example', 'b.a.corp.example:1']) {
      assert.equal((await send(gw.url, { headers: { host, 'content-type': 'application/json' }, body: echo })).status, 200, host);
    }
    for (const host of ['corp.example', 'gateway.internal.evil.example', 'evil.example']) {
      assert.equal((await send(gw.url, { headers: { host, 'content-type': 'application/json' }, body: echo })).status, 421, host);
    }
    assert.equal((await send(gw.adminUrl, { method: 'GET', path: '/healthz', headers: { host: 'admin.internal:8001' } })).status, 200);
    assert.equal((await send(gw.adminUrl, { method: 'GET', path: '/healthz', headers: { host: 'gateway.internal' } })).status, 421);
  });

  it('leaves Host alone on a listener bound to every address, whose names are not known, when no name is listed', async () => {
    const answer = await send(open.url, { headers: { host: 'tollgate.default.svc.cluster.local:8000', 'content-type': 'application/json' }, body: echo });
    assert.equal(answer.status, 200);
  });
});
