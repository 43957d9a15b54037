import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

describe('an upload form with two model parts', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"text":"hi"}');
    });
    gw = await startGateway(`providers:\n  up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: "sk-operator" }\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const upload = (models: string[]) => {
    const form = new FormData();
    for (const model of models) form.append('model', model);
    form.append('file', new Blob([Buffer.from('RIFF')], { type: 'audio/wav' }), 'a.wav');
    return fetch(`${gw.baseURL}/audio/transcriptions`, { method: 'POST', body: form });
  };

  it('is refused with 400 and never forwarded: the gateway and an upstream could read different models', async () => {
    const response = await upload(['up/gpt-4o-mini-transcribe', 'up/gpt-4o-transcribe']);
    assert.equal(response.status, 400);
    assert.ok(response.headers.get('x-request-id'));
    const { error } = (await response.json()) as { error: { param: string; message: string } };
    assert.equal(error.param, 'model');
    assert.match(error.message, /more than one `model`/);
    assert.equal(upstream.requests.length, 0);
    assert.equal((await upload(['up/gpt-4o-mini-transcribe'])).status, 200);
    assert.equal(upstream.requests.length, 1);
  });
});
