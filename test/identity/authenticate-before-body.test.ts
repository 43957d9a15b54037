import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';

// With key-auth guarding every route alike, a request it already refuses from its headers (no
// credential, an unknown key) is answered 401 without its body being kept (blind security audit:
// ten unauthenticated 30 MiB uploads took the gateway from 196 to 453 MiB). The access line shows
// it: bytes_in 0, where a body that is read counts its bytes.

/** A POST with `body`, answered with its status and error code. */
function send(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; code: string | undefined; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      let text = '';
      response.on('data', (piece: Buffer) => (text += piece.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, code: (JSON.parse(text) as { error?: { code?: string } }).error?.code, connection: response.headers.connection }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

async function gatewayWith(configText: string): Promise<{ gateway: Gateway; url: string; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const gateway = await Gateway.start({ configText, env: {}, port: 0, adminPort: 0, logger, storage: 'sqlite::memory:' });
  return { gateway, url: `http://127.0.0.1:${gateway.port}/v1/chat/completions`, lines };
}

/** A chat body of about `size` bytes. */
function chatBody(size: number): Buffer {
  return Buffer.from(JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'x'.repeat(size) }] }));
}

async function accessLine(lines: Array<Record<string, unknown>>, id: string): Promise<Record<string, unknown>> {
  for (let waited = 0; waited < 3000; waited += 20) {
    const line = lines.find((entry) => entry.id === id && entry.status !== undefined);
    if (line) return line;
    await sleep(20);
  }
  assert.fail(`no access line for ${id}`);
}

describe('key-auth before the body', () => {
  it('refuses a missing or unknown key from the headers, keeping none of the body; a known key is read and served', async () => {
    const { gateway, url, lines } = await gatewayWith('plugins: { key-auth: { keys: [{ key: tg-before-body-0123456789, consumer: app }] } }\nlog: { access_log: true }\n');
    try {
      const body = chatBody(1024 * 1024);
      const missing = await send(url, { 'x-request-id': 'no-key' }, body);
      assert.deepEqual(missing, { status: 401, code: 'missing_api_key', connection: 'close' });
      const unknown = await send(url, { 'x-request-id': 'unknown-key', authorization: 'Bearer tg-not-a-key-000000000' }, body);
      assert.deepEqual([unknown.status, unknown.code], [401, 'invalid_api_key']);
      const known = await send(url, { 'x-request-id': 'known-key', authorization: 'Bearer tg-before-body-0123456789' }, body);
      assert.equal(known.status, 200);
      assert.equal((await accessLine(lines, 'no-key')).bytes_in, 0);
      assert.equal((await accessLine(lines, 'unknown-key')).bytes_in, 0);
      assert.equal((await accessLine(lines, 'known-key')).bytes_in, body.length);
    } finally {
      await gateway.stop(2000);
    }
  });

  it('reads the body first when a route has authentication of its own (which route applies depends on the body)', async () => {
    const { gateway, url, lines } = await gatewayWith(`plugins: { key-auth: { keys: [{ key: tg-before-body-0123456789, consumer: app }] } }
log: { access_log: true }
routes:
  - match: { model: "echo/public*" }
    plugins: { key-auth: false }`);
    try {
      const open = Buffer.from(JSON.stringify({ model: 'echo/public-1', messages: [{ role: 'user', content: 'hi' }] }));
      assert.equal((await send(url, { 'x-request-id': 'public' }, open)).status, 200, 'a route without key-auth is still open');
      const guarded = await send(url, { 'x-request-id': 'guarded' }, chatBody(1000));
      assert.deepEqual([guarded.status, guarded.code], [401, 'missing_api_key']);
      assert.ok(Number((await accessLine(lines, 'guarded')).bytes_in) > 1000, 'its body was read to find its route');
    } finally {
      await gateway.stop(2000);
    }
  });
});
