import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

describe('parameters a translated provider cannot honour', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } }));
    });
    gw = await startGateway(`
providers:
  lenient: { type: anthropic, api_key: k, base_url: "${upstream.url}" }
  strict: { type: anthropic, api_key: k, base_url: "${upstream.url}", strict_params: true }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const body = (model: string) => JSON.stringify({ model, seed: 7, presence_penalty: 0.5, messages: [{ role: 'user', content: 'hi' }] });

  it('are dropped by default', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: body('lenient/claude') });
    assert.equal(response.status, 200);
    const sent = upstream.requests.at(-1)?.json as Record<string, unknown>;
    assert.equal(sent.seed, undefined);
  });

  it('are refused with 400 unsupported_parameter under strict_params, before any upstream call', async () => {
    const before = upstream.requests.length;
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: body('strict/claude') });
    assert.equal(response.status, 400);
    const error = ((await response.json()) as { error: { code: string; param: string; message: string } }).error;
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(error.param, 'seed');
    assert.match(error.message, /'presence_penalty'/);
    assert.equal(upstream.requests.length, before);
  });
});
