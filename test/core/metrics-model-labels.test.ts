import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI, { NotFoundError } from 'openai';
import { ModelLabels } from '../../src/telemetry/model-labels.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';

describe('ModelLabels', () => {
  it('a model becomes a label once answered, at most `limit` of them; the rest are `other`', () => {
    const labels = new ModelLabels(2);
    assert.equal(labels.label('a', false), 'other', 'never answered');
    assert.equal(labels.label('a', true), 'a');
    assert.equal(labels.label('a', false), 'a', 'a known model keeps its label for its errors too');
    assert.equal(labels.label('b', true), 'b');
    assert.equal(labels.label('c', true), 'other', 'over the limit');
    assert.equal(labels.label('b', true), 'b');
  });

  it('a name longer than 128 characters is `other`, answered or not', () => {
    const labels = new ModelLabels();
    assert.equal(labels.label('x'.repeat(129), true), 'other');
    assert.equal(labels.label('x'.repeat(9000), true), 'other');
    assert.equal(labels.label('x'.repeat(128), true), 'x'.repeat(128));
  });
});

describe('the model label of /metrics through the real gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    // Serves gpt-4o-mini; any other model is OpenAI's 404 model_not_found.
    upstream = await startStandIn((request, response) => {
      const model = (request.json as { model: string }).model;
      if (model !== 'gpt-4o-mini') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion(model, 'ok', { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 })));
    });
    gw = await startGateway(`providers: { up: { type: openai-compatible, base_url: "${upstream.url}/v1" } }\n`);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('names a provider refused do not become series; an answered model does, errors included', async () => {
    for (let index = 0; index < 25; index++) {
      await assert.rejects(client.chat.completions.create({ model: `up/made-up-${index}`, messages: [{ role: 'user', content: 'hi' }] }), NotFoundError);
    }
    await client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    assert.ok(!metrics.includes('made-up'), 'no series for a refused name');
    assert.match(metrics, /tollgate_requests_total\{operation="chat",provider="up",model="other",status="404"\} 25\b/);
    assert.match(metrics, /tollgate_requests_total\{operation="chat",provider="up",model="gpt-4o-mini",status="200"\} 1\b/);
    assert.match(metrics, /tollgate_tokens_total\{provider="up",model="gpt-4o-mini",kind="prompt"\} 2\b/);
  });

  it('has both config reload series before the first reload', async () => {
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    assert.match(metrics, /tollgate_config_reloads_total\{result="success"\} 0\b/);
    assert.match(metrics, /tollgate_config_reloads_total\{result="failure"\} 0\b/);
  });
});
