import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { brotliCompressSync, constants, deflateSync, gzipSync, zstdCompressSync } from 'node:zlib';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { request as undiciRequest } from 'undici';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { anthropicMessage } from '../helpers/anthropic-bodies.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';

const completion = chatCompletion('gpt-4o-mini', 'decoded fine', { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });

const message = anthropicMessage('decoded fine', { input_tokens: 3, output_tokens: 2 });

const encoders: Record<string, (bytes: Buffer) => Buffer> = {
  gzip: (bytes) => gzipSync(bytes),
  deflate: (bytes) => deflateSync(bytes),
  br: (bytes) => brotliCompressSync(bytes),
  zstd: (bytes) => zstdCompressSync(bytes),
};

/** A fetch that compresses the JSON bodies an SDK sends, as OpenAI's Codex CLI does for its requests. */
function compressingFetch(coding: string): typeof fetch {
  return (input, init) => {
    if (typeof init?.body !== 'string') return fetch(input, init);
    const headers = new Headers(init.headers);
    headers.set('content-encoding', coding);
    return fetch(input, { ...init, headers, body: encoders[coding](Buffer.from(init.body)) });
  };
}

const chatBody = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'squeezed ✓' }] });

describe('compressed request bodies (Content-Encoding)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(request.path.endsWith('/messages') ? message : completion));
    });
    gw = await startGateway('server: { body_limit: 1mib }\n', {
      OPENAI_API_KEY: 'sk-upstream',
      OPENAI_BASE_URL: `${upstream.url}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-upstream',
      ANTHROPIC_BASE_URL: upstream.url,
    });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  for (const coding of Object.keys(encoders)) {
    it(`decodes ${coding} from the OpenAI SDK and forwards the decoded body without a content-encoding`, async () => {
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0, fetch: compressingFetch(coding) });
      const answer = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `squeezed with ${coding} ✓` }] });
      assert.equal(answer.choices[0].message.content, 'decoded fine');
      assert.equal(upstream.requests.length, 1);
      const forwarded = upstream.requests[0];
      assert.equal(forwarded.headers['content-encoding'], undefined);
      assert.deepEqual(forwarded.json, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `squeezed with ${coding} ✓` }] });
      assert.equal(Number(forwarded.headers['content-length']), forwarded.bytes.length);
    });
  }

  it('decodes a zstd body from the Anthropic SDK on /v1/messages (passed through to Anthropic as plain JSON)', async () => {
    const client = new Anthropic({ baseURL: gw.url, apiKey: 'client-key', maxRetries: 0, fetch: compressingFetch('zstd') });
    const answer = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'squeezed' }] });
    assert.deepEqual(answer.content, [{ type: 'text', text: 'decoded fine' }]);
    assert.equal(upstream.requests[0].headers['content-encoding'], undefined);
    assert.equal((upstream.requests[0].json as { messages: unknown }).messages !== undefined, true);
  });

  it('takes `identity` and `x-gzip`, and a coding name in any case', async () => {
    for (const [header, body] of [
      ['identity', Buffer.from(chatBody)],
      ['x-gzip', gzipSync(chatBody)],
      ['GZip', gzipSync(chatBody)],
    ] as const) {
      const answer = await undiciRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': header }, body });
      assert.equal(answer.statusCode, 200, `${header}: ${await answer.body.text()}`);
      await answer.body.dump();
    }
  });

  it('answers 415 with Accept-Encoding for an unknown coding or a stack of codings, in the client format', async () => {
    for (const header of ['bogus', 'gzip, br', 'compress']) {
      const answer = await undiciRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': header, 'x-request-id': 'req-415' }, body: chatBody });
      assert.equal(answer.statusCode, 415, header);
      assert.equal(answer.headers['x-request-id'], 'req-415');
      assert.equal(answer.headers['accept-encoding'], 'gzip, deflate, br, zstd');
      const body = (await answer.body.json()) as { error: { type: string; code: string; message: string } };
      assert.equal(body.error.code, 'unsupported_content_encoding');
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, new RegExp(`'${header}'`));
    }
    const anthropic = await undiciRequest(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'bogus' }, body: '{}' });
    assert.equal(anthropic.statusCode, 415);
    assert.ok(anthropic.headers['x-request-id']);
    assert.deepEqual(((await anthropic.body.json()) as { type: string; error: { type: string } }).error.type, 'invalid_request_error');
    assert.equal(upstream.requests.length, 0);
  });

  it('answers 400 naming the coding for a body that does not decode, keeping the connection usable', async () => {
    const corrupt = await undiciRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: chatBody });
    assert.equal(corrupt.statusCode, 400);
    assert.ok(corrupt.headers['x-request-id']);
    const body = (await corrupt.body.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'invalid_content_encoding');
    assert.match(body.error.message, /as gzip/);
    assert.doesNotMatch(body.error.message, /\uFFFD/, 'no mangled binary in the message');
    const truncated = await undiciRequest(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: brotliCompressSync(chatBody).subarray(0, 10) });
    assert.equal(truncated.statusCode, 400);
    const anthropicBody = (await truncated.body.json()) as { type: string; error: { type: string; message: string } };
    assert.equal(anthropicBody.type, 'error');
    assert.equal(anthropicBody.error.type, 'invalid_request_error');
    assert.match(anthropicBody.error.message, /as br/);
    const after = await undiciRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
    assert.equal(after.statusCode, 200);
    await after.body.dump();
  });

  it('refuses a decompression bomb with 413 at the limit, without inflating it (16 GiB of zstd in 0.5 MB)', async () => {
    // zstd frames may be concatenated: one 64 MiB frame of zeros (~2 KB), 256 times.
    const frame = zstdCompressSync(Buffer.alloc(64 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 256 }, () => frame));
    assert.ok(bomb.length < 1024 * 1024, `${bomb.length} bytes`);
    const started = performance.now();
    const answer = await undiciRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' }, body: bomb });
    const elapsed = performance.now() - started;
    assert.equal(answer.statusCode, 413);
    assert.ok(answer.headers['x-request-id']);
    assert.equal(((await answer.body.json()) as { error: { code: string } }).error.code, 'request_too_large');
    // Inflating all of it takes many seconds (and 16 GiB); stopping at 1 MiB takes milliseconds.
    assert.ok(elapsed < 3000, `${Math.round(elapsed)} ms`);
    assert.equal(upstream.requests.length, 0);
  });

  it('refuses a zstd frame that asks for a window over 8 MiB (RFC 9659) with 400 before allocating it', async () => {
    const frame = zstdCompressSync(Buffer.alloc(16 * 1024 * 1024), { params: { [constants.ZSTD_c_windowLog]: 24 } });
    const answer = await undiciRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' }, body: frame });
    assert.equal(answer.statusCode, 400);
    const body = (await answer.body.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'invalid_content_encoding');
    assert.match(body.error.message, /zstd.*memory/);
  });

  it('refuses a gzip bomb over the limit with 413, and a compressed body whose own size is over it', async () => {
    // gzip members may be concatenated too: 1 MiB of zeros is ~1 KB, 900 of them 900 MiB.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 900 }, () => member));
    const answer = await undiciRequest(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
    assert.equal(answer.statusCode, 413);
    assert.equal(((await answer.body.json()) as { error: { type: string } }).error.type, 'request_too_large');
    const incompressible = randomBytes(1536 * 1024);
    const big = await undiciRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(incompressible, { level: 0 }) });
    assert.equal(big.statusCode, 413);
    await big.body.dump();
  });

  it('passes a decoded body within the limit, even when it is much larger than its compressed form', async () => {
    const content = 'a'.repeat(900 * 1024);
    const answer = await undiciRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: brotliCompressSync(JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }] })) });
    assert.equal(answer.statusCode, 200);
    await answer.body.dump();
    assert.equal((upstream.requests[0].json as { messages: Array<{ content: string }> }).messages[0].content.length, content.length);
  });
});
