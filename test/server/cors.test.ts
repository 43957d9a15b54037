import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// Web pages on listed origins may call the data plane (server.cors); without the setting no CORS
// header is sent, and a page's request, its preflight included, is refused 403 origin_not_allowed
// (browser-requests.test.ts has the cases).

const chatBody = JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] });

function preflight(url: string, origin: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
}

describe('CORS for listed origins', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(`
server: { cors: { allow_origins: ["https://app.example.com", "https://*.example.org"], max_age: 5m } }
plugins: { key-auth: { keys: [{ key: tg-page-key, consumer: page }] } }`);
  });
  after(() => gw.close());

  it('answers the preflight of a listed origin with 204 and what the page may send', async () => {
    const response = await preflight(gw.url, 'https://app.example.com');
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(response.headers.get('access-control-allow-headers'), 'authorization, content-type');
    assert.equal(response.headers.get('access-control-max-age'), '300');
    assert.equal(response.headers.get('vary'), 'Origin');
    const subdomain = await preflight(gw.url, 'https://team.eu.example.org');
    assert.equal(subdomain.headers.get('access-control-allow-origin'), 'https://team.eu.example.org');
  });

  it('lets the page read answers and errors, their headers included', async () => {
    const answer = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { origin: 'https://app.example.com', 'content-type': 'application/json', authorization: 'Bearer tg-page-key' }, body: chatBody });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(answer.headers.get('access-control-expose-headers'), '*');
    const refused = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { origin: 'https://app.example.com', 'content-type': 'application/json' }, body: chatBody });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://app.example.com', 'the page can read why it was refused');
  });

  it('gives an origin that is not listed no CORS header, and refuses its requests', async () => {
    for (const origin of ['https://evil.example.net', 'https://app.example.com.evil.net', 'http://app.example.com', 'https://example.org']) {
      const response = await preflight(gw.url, origin);
      assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(response.status, 403, origin);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'origin_not_allowed');
    }
  });
});

describe('without server.cors', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway('');
  });
  after(() => gw.close());

  it('sends no CORS header and refuses every web page, the preflight included; clients without Origin are served', async () => {
    const response = await preflight(gw.url, 'https://app.example.com');
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const answer = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { origin: 'https://app.example.com', 'content-type': 'application/json' }, body: chatBody });
    assert.equal(answer.status, 403);
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    const client = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
    assert.equal(client.status, 200);
  });

  it('refuses an origin with a path and accepts "*"', async () => {
    await assert.rejects(startGateway('server: { cors: { allow_origins: ["https://app.example.com/x"] } }'), (error: unknown) => /server\.cors\.allow_origins\[0\]/.test(String((error as { problems?: string[] }).problems ?? error)));
    const any = await startGateway('server: { cors: { allow_origins: ["*"] } }');
    try {
      const response = await preflight(any.url, 'https://anything.test');
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.equal(response.headers.get('vary'), null);
    } finally {
      await any.close();
    }
  });
});
