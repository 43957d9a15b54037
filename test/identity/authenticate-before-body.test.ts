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

/**
 * A POST that declares `length` bytes and asks first (`Expect: 100-continue`), sending its body
 * only if the gateway says 100 Continue: its final status and error code, and whether it was asked.
 */
function sendAskingFirst(url: string, headers: Record<string, string>, length: number): Promise<{ status: number; code: string | undefined; continued: boolean }> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const sent = httpRequest(url, { method: 'POST', headers: { 'content-length': String(length), expect: '100-continue', ...headers } }, (response) => {
      let text = '';
      response.on('data', (piece: Buffer) => (text += piece.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, code: (JSON.parse(text) as { error?: { code?: string } }).error?.code, continued }));
    });
    sent.on('continue', () => {
      continued = true;
      sent.end(Buffer.alloc(length, 0x61));
    });
    sent.on('error', reject);
    sent.flushHeaders();
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

  it('asked before an upload (Expect: 100-continue), refuses an unknown caller 401 before the body size matters, on chat and forwarded endpoints alike', async () => {
    const { gateway, url } = await gatewayWith('server: { body_limit: 1mib }\nplugins: { key-auth: { keys: [{ key: tg-before-body-0123456789, consumer: app }] } }\n');
    const base = url.replace('/chat/completions', '');
    try {
      const oversized = 2 * 1024 * 1024;
      const upload = { 'content-type': 'multipart/form-data; boundary=tollgate-boundary' };
      for (const [path, headers] of [['/chat/completions', { 'content-type': 'application/json' }], ['/audio/transcriptions', upload], ['/images/edits', upload]] as const) {
        const missing = await sendAskingFirst(base + path, headers, oversized);
        assert.deepEqual(missing, { status: 401, code: 'missing_api_key', continued: false }, path);
        const unknown = await sendAskingFirst(base + path, { ...headers, authorization: 'Bearer tg-not-a-key-000000000' }, oversized);
        assert.deepEqual(unknown, { status: 401, code: 'invalid_api_key', continued: false }, path);
        // A known caller's oversized body is still refused by its declared size, without being sent.
        const known = await sendAskingFirst(base + path, { ...headers, authorization: 'Bearer tg-before-body-0123456789' }, oversized);
        assert.deepEqual(known, { status: 413, code: 'request_too_large', continued: false }, path);
      }
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
