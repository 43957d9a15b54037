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
