import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';

const config = `zero_config: false
providers:
  keyless: { type: openai, base_url: "http://127.0.0.1:9/v1" }
models:
  assistant-v1: { targets: [{ provider: echo, model: a }] }
  assistant-v2: { targets: [{ provider: echo, model: b }] }
  unusable: { targets: [{ provider: keyless, model: c }] }
routes:
  - name: assistant-canary
    match: { model: assistant }
    split:
      - { model: assistant-v1, weight: 90 }
      - { model: assistant-v2, weight: 10, name: v2 }
  - { name: with-fallback, match: { model: resilient }, model: assistant-v1, fallbacks: [assistant-v2] }
  - { name: by-glob, match: { model: "glob-*" }, model: assistant-v1 }
  - { name: plugins-only, match: { model: plugins-only }, plugins: { pii: false } }
  - { name: no-key, match: { model: needs-a-key }, model: unusable }
`;

// Finding 3 of the operator audit: a name a route serves (Naming models, step 1) was answered by
// POST but was 404 for GET /v1/models/{id}, and missing from /v1/models, so a client that checks
// a model with models.retrieve before using it was told a working name did not exist.
describe('GET /v1/models knows the names routes serve', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(config);
  });
  after(() => gw.close());

  const chat = (model: string) => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });

  it('retrieve answers for an exact route name a request is served with, owned by tollgate as an alias is', async () => {
    for (const name of ['assistant', 'resilient']) {
      const served = await chat(name);
      assert.equal(served.status, 200, name);
      assert.ok(served.headers.get('x-tollgate-route'), name);
      const retrieved = await fetch(`${gw.url}/v1/models/${name}`);
      assert.equal(retrieved.status, 200, name);
      assert.deepEqual(await retrieved.json(), { id: name, object: 'model', created: 0, owned_by: 'tollgate' });
    }
  });

  it('the list names them after the aliases and providers\' models; not a glob, a route that picks no model, or one no usable provider serves', async () => {
    const list = (await (await fetch(`${gw.url}/v1/models`)).json()) as { data: Array<{ id: string; owned_by: string }> };
    const ids = list.data.map((model) => model.id);
    assert.deepEqual(ids.slice(-2), ['assistant', 'resilient']);
    for (const absent of ['glob-*', 'plugins-only', 'needs-a-key']) assert.equal(ids.includes(absent), false, absent);
    for (const missing of ['plugins-only', 'needs-a-key']) assert.equal((await fetch(`${gw.url}/v1/models/${missing}`)).status, 404, missing);
  });
});
