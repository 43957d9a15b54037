import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// GET /v1/models lists what the calling key may use: a key limited to some models sees only
// those, and asking for another one by id is refused like calling it would be.
const config = `
providers:
  echo: { type: echo, models: [echo-a, echo-b, other-c] }
plugins:
  key-auth:
    keys:
      - { key: sk-limited, consumer: limited, models: ['echo/echo-*'] }
      - { key: sk-any, consumer: anyone }
      - { key: sk-plain-glob, consumer: plain, models: ['echo-*'] }
`;

describe('GET /v1/models per key', () => {
  let gateway: RunningGateway;
  before(async () => {
    gateway = await startGateway(config);
  });
  after(async () => {
    await gateway.close();
  });

  it('lists every model for a key without a model rule', async () => {
    const client = new OpenAI({ apiKey: 'sk-any', baseURL: gateway.baseURL });
    const ids = (await client.models.list()).data.map((model) => model.id);
    assert.ok(ids.includes('echo/other-c'), ids.join(', '));
    assert.ok(ids.includes('echo/echo-a'), ids.join(', '));
  });

  it('lists only the models a limited key may call', async () => {
    const client = new OpenAI({ apiKey: 'sk-limited', baseURL: gateway.baseURL });
    const ids = (await client.models.list()).data.map((model) => model.id);
    assert.ok(ids.length > 0);
    assert.ok(ids.includes('echo/echo-a') && ids.includes('echo/echo-b'), ids.join(', '));
    assert.ok(!ids.includes('echo/other-c'), ids.join(', '));
  });

  it('refuses a model the key may not call by id, with the same error a call gets', async () => {
    const response = await fetch(`${gateway.baseURL}/models/echo%2Fother-c`, { headers: { authorization: 'Bearer sk-limited' } });
    assert.equal(response.status, 403);
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'model_not_allowed');
    const allowed = await fetch(`${gateway.baseURL}/models/echo%2Fecho-a`, { headers: { authorization: 'Bearer sk-limited' } });
    assert.equal(allowed.status, 200);
    assert.equal(((await allowed.json()) as { id: string }).id, 'echo/echo-a');
  });

  it('a key limited by a glob without a provider (`echo-*`) lists, calls and retrieves provider/model names too', async () => {
    const client = new OpenAI({ apiKey: 'sk-plain-glob', baseURL: gateway.baseURL, maxRetries: 0 });
    const ids = (await client.models.list()).data.map((model) => model.id);
    assert.ok(ids.includes('echo/echo-a') && ids.includes('echo/echo-b'), ids.join(', '));
    assert.ok(!ids.includes('echo/other-c'), ids.join(', '));
    const answer = await client.chat.completions.create({ model: 'echo/echo-a', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(answer.choices[0].message.content);
    assert.equal((await client.models.retrieve('echo/echo-b')).id, 'echo/echo-b');
    await assert.rejects(client.chat.completions.create({ model: 'echo/other-c', messages: [{ role: 'user', content: 'hi' }] }), (error: { status?: number; code?: string }) => error.status === 403 && error.code === 'model_not_allowed');
  });

  it('still refuses the list without a key', async () => {
    const response = await fetch(`${gateway.baseURL}/models`);
    assert.equal(response.status, 401);
  });
});

describe('GET /v1/models per stored key', () => {
  let gateway: RunningGateway;
  before(async () => {
    gateway = await startGateway(`providers:\n  echo: { type: echo, models: [echo-a, other-c] }\nadmin: { tokens: [{ token: admin-token-for-tests-0123456789, role: admin }] }\nplugins: { key-auth: {} }\n`);
  });
  after(async () => {
    await gateway.close();
  });

  it('filters by the models of a key created through the Admin API', async () => {
    const admin = { authorization: 'Bearer admin-token-for-tests-0123456789', 'content-type': 'application/json' };
    const consumer = (await (await fetch(`${gateway.adminUrl}/consumers`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'lister' }) })).json()) as { id: string };
    const created = await fetch(`${gateway.adminUrl}/keys`, { method: 'POST', headers: admin, body: JSON.stringify({ consumer: consumer.id, models: ['echo/other-*'] }) });
    assert.equal(created.status, 201);
    const { key: secret } = (await created.json()) as { key: string };
    const client = new OpenAI({ apiKey: secret, baseURL: gateway.baseURL });
    const ids = (await client.models.list()).data.map((model) => model.id);
    assert.deepEqual(ids.filter((id) => id.startsWith('echo/')), ['echo/other-c']);
  });
});
