import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI, { NotFoundError } from 'openai';
import { ModelLabels, modelLabelValue } from '../../src/telemetry/model-labels.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';

describe('ModelLabels', () => {
  it('a model of a provider that lists none becomes a label once answered, at most `limit` of them; the rest are `other`', () => {
    const labels = new ModelLabels(2);
    assert.equal(labels.label('p', 'a', 'open', false), 'other', 'never answered');
    assert.equal(labels.label('p', 'a', 'open', true), 'a');
    assert.equal(labels.label('p', 'a', 'open', false), 'a', 'a known model keeps its label for its errors too');
    assert.equal(labels.label('q', 'b', 'open', true), 'b');
    assert.equal(labels.label('q', 'c', 'open', true), 'other', 'over the limit');
    assert.equal(labels.label('q', 'b', 'open', true), 'b');
  });

  it('declared models are always labelled, past the limit and before any answer; unlisted ones never', () => {
    const labels = new ModelLabels(1);
    assert.equal(labels.label('p', 'junk', 'open', true), 'junk');
    assert.equal(labels.label('p', 'junk-2', 'open', true), 'other', 'the limit is reached');
    assert.equal(labels.label('p', 'configured', 'declared', false), 'configured');
    assert.equal(labels.label('p', 'made-up', 'unlisted', true), 'other');
  });

  it('one provider takes at most `providerLimit` labels; another still gets its own', () => {
    const labels = new ModelLabels(10, 2);
    assert.equal(labels.label('flood', 'x1', 'open', true), 'x1');
    assert.equal(labels.label('flood', 'x2', 'open', true), 'x2');
    assert.equal(labels.label('flood', 'x3', 'open', true), 'other');
    assert.equal(labels.label('real', 'x3', 'open', true), 'x3');
  });

  it('a name longer than 128 characters is `other`, answered or not', () => {
    const labels = new ModelLabels();
    assert.equal(labels.label('p', 'x'.repeat(129), 'open', true), 'other');
    assert.equal(labels.label('p', 'x'.repeat(9000), 'declared', true), 'other');
    assert.equal(labels.label('p', 'x'.repeat(128), 'open', true), 'x'.repeat(128));
  });

  it('control characters are percent-encoded', () => {
    assert.equal(modelLabelValue('a\r\nb\u0000c\u007f\u0085\u2028d'), 'a%0D%0Ab%00c%7F%C2%85%E2%80%A8d');
    assert.equal(modelLabelValue('gpt-4o mini/ü'), 'gpt-4o mini/ü');
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

describe('the model label of /metrics: a flood of made-up names through a server that answers any model', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  const chat = (model: string) =>
    fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
  const metricsText = async () => (await fetch(`${gw.adminUrl}/metrics`)).text();
  const requestCount = (text: string, provider: string, model: string) => Number(new RegExp(`tollgate_requests_total\\{operation="chat",provider="${provider}",model="${model}",status="200"\\} (\\d+)`).exec(text)?.[1] ?? 0);

  before(async () => {
    // llama.cpp-like: answers 200 whatever the model is called.
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion((request.json as { model: string }).model, 'ok')));
    });
    gw = await startGateway(`providers:
  up:    { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m1, m2] }
  open:  { type: openai-compatible, base_url: "${upstream.url}/v1" }
  other: { type: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  smart: { targets: [{ provider: up, model: behind-alias }] }
routes:
  - { match: { model: routed }, model: open/route-target }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it("names a provider does not list never take a label, so its declared models keep theirs (the audit's flood of up/junk-N)", async () => {
    for (let index = 0; index < 520; index += 40) await Promise.all(Array.from({ length: 40 }, (_, offset) => chat(`up/junk-${index + offset}`)));
    assert.equal((await chat('up/m2')).status, 200);
    assert.equal((await chat('smart')).status, 200);
    assert.equal((await chat('routed')).status, 200);
    const text = await metricsText();
    assert.ok(!text.includes('junk-'), 'no series for a name the provider does not list');
    assert.equal(requestCount(text, 'up', 'other'), 520);
    assert.equal(requestCount(text, 'up', 'm2'), 1, 'a listed model called after the flood has its own label');
    assert.equal(requestCount(text, 'up', 'behind-alias'), 1, "an alias's target is declared");
    assert.equal(requestCount(text, 'open', 'route-target'), 1, "a route's target is declared");
  });

  it('a provider that lists no models: made-up names take at most 100 labels of its own, never those of another provider', async () => {
    for (let index = 0; index < 160; index += 40) await Promise.all(Array.from({ length: 40 }, (_, offset) => chat(`open/flood-${index + offset}`)));
    assert.equal((await chat('other/real-model')).status, 200);
    const text = await metricsText();
    const floodLabels = new Set([...text.matchAll(/model="(flood-\d+)"/g)].map((match) => match[1]));
    assert.equal(floodLabels.size, 100);
    assert.equal(requestCount(text, 'open', 'other'), 60);
    assert.equal(requestCount(text, 'other', 'real-model'), 1, "another provider's first model still gets its label");
  });

  it('control characters in a model name are percent-encoded in the label, never written raw', async () => {
    assert.equal((await chat('other/a\r\nSet-Cookie: pwn=1')).status, 200);
    assert.equal((await chat('other/a\u0000b\u2028c')).status, 200);
    const text = await metricsText();
    assert.ok(!/[\u0000\r\u2028]/.test(text), 'no raw CR, NUL or line separator in /metrics');
    assert.ok(!text.includes('a\\nSet-Cookie'), 'not even an escaped line feed');
    assert.ok(text.includes('model="a%0D%0ASet-Cookie: pwn=1"'), 'CR and LF percent-encoded');
    assert.ok(text.includes('model="a%00b%E2%80%A8c"'), 'NUL and U+2028 percent-encoded');
  });
});
