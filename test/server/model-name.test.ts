import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// A model name no provider can have is refused before anything is routed or called: a lone
// surrogate (valid JSON, `\ud800`) failed with a 500 after the provider had answered and billed,
// and the SDKs retried it; a 17 KB name went back in a response header the SDKs could not read.

describe('model names no provider can have: 400 before any upstream call', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"should not be called"}}');
    });
    gateway = await startGateway(`providers:\n  up: { type: openai-compatible, base_url: "${upstream.url}/v1" }\n`);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const bodies: Array<[string, (model: string) => Record<string, unknown>]> = [
    ['/v1/chat/completions', (model) => ({ model, messages: [{ role: 'user', content: 'hi' }] })],
    ['/v1/messages', (model) => ({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })],
    ['/v1/messages/count_tokens', (model) => ({ model, messages: [{ role: 'user', content: 'hi' }] })],
    ['/v1/responses', (model) => ({ model, input: 'hi' })],
    ['/v1/embeddings', (model) => ({ model, input: 'hi' })],
  ];

  for (const [label, model, expected] of [
    ['a lone surrogate', 'up/gpt-4o-mini\ud800', /well-formed Unicode/],
    ['a name of 300 characters', `up/${'m'.repeat(297)}`, /at most 256 characters/],
  ] as const) {
    it(`${label} in model: 400 invalid_request naming model on every endpoint, the provider not called`, async () => {
      for (const [path, body] of bodies) {
        // JSON.stringify writes a lone surrogate as the escape \ud800, as a client's JSON would.
        const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(model)) });
        assert.equal(response.status, 400, path);
        const answer = (await response.json()) as { error: { message: string; param?: string; code?: string; type: string } };
        assert.match(answer.error.message, expected, path);
        if (path !== '/v1/messages' && path !== '/v1/messages/count_tokens') assert.equal(answer.error.param, 'model', path);
        else assert.equal(answer.error.type, 'invalid_request_error', path);
        assert.ok((response.headers.get('x-tollgate-model') ?? '').length <= 256, path);
      }
      assert.equal(upstream.requests.length, 0);
    });
  }

  it('a name of 256 characters is taken (refused by the provider, not by the gateway)', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `up/${'m'.repeat(253)}`, messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(response.status, 400);
    assert.equal(upstream.requests.length, 1);
  });
});
