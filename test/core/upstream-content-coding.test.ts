import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatAnswer } from '../helpers/openai-bodies.ts';

/** Whether a server may gzip its answer to a request with this Accept-Encoding (RFC 9110 12.5.3: absent means any coding). */
function mayGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return true;
  return /\b(gzip|\*)\b(?!;q=0(\.0*)?\b)/.test(acceptEncoding);
}

describe('upstream answers come uncompressed: the gateway asks for identity', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    // A provider behind a proxy that compresses whenever the request allows it.
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean };
      const { contentType, text } = chatAnswer(body.model, 'plain text', body.stream === true);
      const headers = { 'content-type': contentType };
      if (mayGzip(request.headers['accept-encoding'])) {
        response.writeHead(200, { ...headers, 'content-encoding': 'gzip' });
        response.end(gzipSync(text));
        return;
      }
      response.writeHead(200, headers);
      response.end(text);
    });
    gw = await startGateway(`providers: { up: { type: openai-compatible, base_url: "${upstream.url}/v1" } }\n`);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('a JSON answer', async () => {
    const completion = await client.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(completion.choices[0].message.content, 'plain text');
    assert.equal(upstream.requests.at(-1)!.headers['accept-encoding'], 'identity');
  });

  it('a stream, also when the client itself accepts gzip', async () => {
    const stream = await client.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'hi' }], stream: true }, { headers: { 'accept-encoding': 'gzip, br' } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'plain text');
    assert.equal(upstream.requests.at(-1)!.headers['accept-encoding'], 'identity');
  });
});

/**
 * A provider that compresses anyway, with an answer larger than upstream.max_response_bytes once
 * decoded (the dos2 audit: the decoder went on to the end of a 1 GiB gzip bomb after the cap, and
 * the client got a retryable "not JSON" 502 instead of upstream_response_too_large).
 */
describe('a compressed answer over upstream.max_response_bytes once decoded', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  // 2 MiB of JSON (a long content string), and 64 MiB of zeros: each a few KiB compressed.
  const large = gzipSync(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'a'.repeat(2 * 1024 * 1024) }, finish_reason: 'stop' }] }));
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string };
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(body.model === 'bomb' ? bomb : large);
    });
    gw = await startGateway(`upstream: { max_response_bytes: 1mib }\nproviders: { up: { type: openai-compatible, base_url: "${upstream.url}/v1" } }\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  for (const model of ['large', 'bomb']) {
    it(`${model}: 502 upstream_response_too_large, not retried`, async () => {
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `up/${model}`, messages: [{ role: 'user', content: 'hi' }] }) });
      const error = ((await response.json()) as { error: { code: string; message: string } }).error;
      assert.equal(response.status, 502);
      assert.equal(error.code, 'upstream_response_too_large', error.message);
      assert.equal(response.headers.get('x-should-retry'), 'false');
    });
  }
});
