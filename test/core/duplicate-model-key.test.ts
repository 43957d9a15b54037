import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';

describe('a body with the "model" key twice', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion((request.json as { model: string }).model, 'ok')));
    });
    gw = await startGateway(`providers: { up: { type: openai-compatible, base_url: "${upstream.url}/v1" } }\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('the provider is asked for the model the gateway routed (the last, as JSON.parse reads it), once', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"up/first","model":"up/second","messages":[{"role":"user","content":"hi"}]}' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tollgate-model'), 'second');
    const sent = upstream.requests.at(-1)!.body;
    assert.equal(sent.match(/"model"/g)?.length, 1, sent);
    assert.equal((JSON.parse(sent) as { model: string }).model, 'second');
  });
});
