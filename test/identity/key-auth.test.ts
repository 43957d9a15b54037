import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIError } from 'openai';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

const adminToken = 'admin-secret-for-tests';
const messages = [{ role: 'user' as const, content: 'hello gateway' }];

interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

async function admin<T = Record<string, unknown>>(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

async function chat(gw: RunningGateway, headers: Record<string, string>, model = 'echo/test'): Promise<{ status: number; body: ErrorBody & { choices?: Array<{ message: { content: string } }> } }> {
  const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model, messages }) });
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

function sdk(gw: RunningGateway, apiKey: string, defaultHeaders?: Record<string, string>): OpenAI {
  return new OpenAI({ baseURL: gw.baseURL, apiKey, maxRetries: 0, defaultHeaders });
}

async function refusal(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  assert.fail('expected the gateway to refuse');
}

describe('key-auth through the real gateway', () => {
  let folder: string;
  let gw: RunningGateway;
  let consumerId: string;
  let secret: string;

  async function newKey(fields: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
    return admin<{ id: string; key: string }>(gw, 'POST', '/keys', { consumer: consumerId, ...fields });
  }

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-key-auth-'));
    gw = await startGateway(
      `admin: { tokens: [{ token: ${adminToken}, role: admin }] }
models: { private: { targets: [{ provider: echo, model: private-1 }] } }
plugins:
  key-auth:
    keys: [{ key: "\${DECLARED_KEY}", consumer: yaml-app, models: ["echo/yaml-*"] }]`,
      { DECLARED_KEY: 'declared-key-from-env-0123456789' },
      { storage: `sqlite:${join(folder, 'tollgate.db')}` },
    );
    const team = await admin<{ id: string }>(gw, 'POST', '/teams', { name: 'research' });
    consumerId = (await admin<{ id: string }>(gw, 'POST', '/consumers', { name: 'app-one', team: team.id, metadata: { tier: 'gold' } })).id;
    secret = (await newKey({ name: 'main' })).key;
  });
  after(async () => {
    await gw.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('accepts the key as Authorization: Bearer (the openai SDK)', async () => {
    const completion = await sdk(gw, secret).chat.completions.create({ model: 'echo/test', messages });
    assert.equal(completion.choices[0].message.content, 'hello gateway');
  });

  it('accepts the key as x-api-key and as api-key (Anthropic and Azure SDKs)', async () => {
    assert.equal((await chat(gw, { 'x-api-key': secret })).status, 200);
    assert.equal((await chat(gw, { 'api-key': secret })).status, 200);
    // Beside a Bearer token that is not ours (a provider key under BYOK), as the SDK sends it.
    const completion = await sdk(gw, 'sk-not-a-gateway-key', { 'x-api-key': secret }).chat.completions.create({ model: 'echo/test', messages });
    assert.equal(completion.choices[0].message.content, 'hello gateway');
  });

  it('refuses a request without a key: 401 missing_api_key', async () => {
    const result = await chat(gw, {});
    assert.equal(result.status, 401);
    assert.equal(result.body.error.type, 'authentication_error');
    assert.equal(result.body.error.code, 'missing_api_key');
  });

  it('refuses a wrong key: 401 authentication_error invalid_api_key', async () => {
    const error = await refusal(sdk(gw, `${secret.slice(0, -1)}x`).chat.completions.create({ model: 'echo/test', messages }));
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assert.equal(error.status, 401);
    assert.equal(error.type, 'authentication_error');
    assert.equal(error.code, 'invalid_api_key');
    assert.ok(!error.message.includes(secret.slice(0, -1)), 'the presented key is not echoed');
  });

  it('refuses an expired key', async () => {
    // A new key cannot be created already expired (400); an existing one can be set to expire now.
    const expired = await newKey({ expires_at: new Date(Date.now() + 60_000).toISOString() });
    await admin(gw, 'PATCH', `/keys/${expired.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
    const error = await refusal(sdk(gw, expired.key).chat.completions.create({ model: 'echo/test', messages }));
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_api_key');
    assert.match(error.message, /expired/);
    const later = await newKey({ expires_at: new Date(Date.now() + 60_000).toISOString() });
    assert.equal((await chat(gw, { authorization: `Bearer ${later.key}` })).status, 200);
  });

  it('refuses a disabled key at once, and accepts it again when enabled', async () => {
    const key = await newKey();
    await admin(gw, 'PATCH', `/keys/${key.id}`, { enabled: false });
    const disabled = await chat(gw, { authorization: `Bearer ${key.key}` });
    assert.equal(disabled.status, 401);
    assert.equal(disabled.body.error.code, 'invalid_api_key');
    assert.match(disabled.body.error.message, /disabled/);
    await admin(gw, 'PATCH', `/keys/${key.id}`, { enabled: true });
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` })).status, 200);
  });

  it('refuses every key of a disabled consumer', async () => {
    const consumer = await admin<{ id: string }>(gw, 'POST', '/consumers', { name: 'to-disable' });
    const key = await admin<{ key: string }>(gw, 'POST', '/keys', { consumer: 'to-disable' });
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` })).status, 200);
    await admin(gw, 'PATCH', `/consumers/${consumer.id}`, { enabled: false });
    const error = await refusal(sdk(gw, key.key).chat.completions.create({ model: 'echo/test', messages }));
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assert.equal(error.code, 'invalid_api_key');
    assert.match(error.message, /The consumer this API key belongs to is disabled \(the key itself is not\)/, 'the message points at the consumer, not the key');
  });

  it('stops a key revoked through the Admin API at once', async () => {
    const key = await newKey();
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` })).status, 200);
    await admin(gw, 'DELETE', `/keys/${key.id}`);
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` })).status, 401);
  });

  it('stops a key revoked by another node (or the CLI) within 1 s, without restart', async () => {
    const key = await newKey();
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` })).status, 200);
    let otherNode: KyselyStore | undefined;
    try {
      otherNode = (await openStore(`sqlite:${join(folder, 'tollgate.db')}`)).store;
      assert.equal(await otherNode.deleteKey(key.id, 'other-node'), true);
      const revokedAt = performance.now();
      let status = 200;
      while (status === 200 && performance.now() - revokedAt < 2000) {
        status = (await chat(gw, { authorization: `Bearer ${key.key}` })).status;
        if (status === 200) await sleep(20);
      }
      const took = performance.now() - revokedAt;
      assert.equal(status, 401);
      assert.ok(took <= 1100, `refused ${Math.round(took)} ms after the revocation`);
    } finally {
      await otherNode?.close();
    }
  });

  it('refuses a model the key may not use: 403 model_not_allowed naming it', async () => {
    const key = await newKey({ models: ['echo/allowed-*', 'private'] });
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` }, 'echo/allowed-1')).status, 200);
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` }, 'private')).status, 200);
    const error = await refusal(sdk(gw, key.key).chat.completions.create({ model: 'echo/other', messages }));
    assert.ok(error instanceof OpenAI.PermissionDeniedError);
    assert.equal(error.status, 403);
    assert.equal(error.type, 'permission_error');
    assert.equal(error.code, 'model_not_allowed');
    assert.match(error.message, /'echo\/other'/);
  });

  it("records a refused request under the key that made it (its usage shows the 403)", async () => {
    const key = await newKey({ models: ['echo/allowed-*'] });
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` }, 'echo/other')).status, 403);
    let statuses: Array<{ status: number; requests: number }> = [];
    for (let tries = 0; tries < 50 && statuses.length === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      statuses = (await admin<{ data: Array<{ key: string; status: number; requests: number }> }>(gw, 'GET', '/usage?group_by=key,status')).data.filter((row) => row.key === key.id);
    }
    assert.deepEqual(statuses.map(({ status, requests }) => ({ status, requests })), [{ status: 403, requests: 1 }]);
  });

  it('refuses a key used from an address outside its allow-list: 403', async () => {
    const elsewhere = await newKey({ ips: ['10.0.0.0/8', '2001:db8::/32'] });
    const refused = await chat(gw, { authorization: `Bearer ${elsewhere.key}` });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.type, 'permission_error');
    assert.equal(refused.body.error.code, 'ip_not_allowed');
    const here = await newKey({ ips: ['127.0.0.0/8'] });
    assert.equal((await chat(gw, { authorization: `Bearer ${here.key}` })).status, 200);
  });

  it('accepts keys declared in the YAML (DB-less), with their own model rules', async () => {
    const declared = 'declared-key-from-env-0123456789';
    assert.equal((await chat(gw, { authorization: `Bearer ${declared}` }, 'echo/yaml-1')).status, 200);
    assert.equal((await chat(gw, { 'x-api-key': declared }, 'echo/other')).status, 403);
  });

  it('enforces limits written on the key through the Admin API, with no other config', async () => {
    const limited = await newKey({ limits: [{ requests: 2, per: 'minute' }] });
    const headers = { authorization: `Bearer ${limited.key}` };
    assert.equal((await chat(gw, headers, 'private')).status, 200);
    assert.equal((await chat(gw, headers, 'private')).status, 200);
    const third = await chat(gw, headers, 'private');
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'rate_limit_exceeded');
    const shorthand = await newKey({ limits: { rpm: 1 } });
    assert.equal((await chat(gw, { authorization: `Bearer ${shorthand.key}` }, 'private')).status, 200);
    assert.equal((await chat(gw, { authorization: `Bearer ${shorthand.key}` }, 'private')).status, 429);
    // Another key is not affected.
    assert.equal((await chat(gw, { authorization: `Bearer ${secret}` }, 'private')).status, 200);
  });

  it('answers 401, not 404, to an unauthenticated request for an unknown model', async () => {
    const anonymous = await chat(gw, {}, 'no-such-model');
    assert.equal(anonymous.status, 401);
    const known = await chat(gw, { authorization: `Bearer ${secret}` }, 'no-such-model');
    assert.equal(known.status, 404);
    assert.equal(known.body.error.code, 'model_not_found');
  });

  it('keeps the model list behind the same authentication', async () => {
    const anonymous = await fetch(`${gw.baseURL}/models`);
    assert.equal(anonymous.status, 401);
    const listed = await fetch(`${gw.baseURL}/models`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(listed.status, 200);
    assert.ok(((await listed.json()) as { data: Array<{ id: string }> }).data.some((model) => model.id === 'private'));
    const one = await fetch(`${gw.baseURL}/models/private`, { headers: { 'x-api-key': secret } });
    assert.equal(one.status, 200);
    assert.equal((await fetch(`${gw.baseURL}/models/nothing`, { headers: { 'x-api-key': secret } })).status, 404);
  });

  it('records when a key was last used, off the request path', async () => {
    const key = await newKey();
    assert.equal((await chat(gw, { authorization: `Bearer ${key.key}` })).status, 200);
    let lastUsed: unknown = null;
    for (let attempt = 0; attempt < 30 && lastUsed === null; attempt++) {
      await sleep(100);
      lastUsed = (await admin<{ last_used_at: string | null }>(gw, 'GET', `/keys/${key.id}`)).last_used_at;
    }
    assert.equal(typeof lastUsed, 'string');
  });
});

describe('key-auth per route, and BYOK beside it', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let secret: string;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
    gw = await startGateway(`
admin: { tokens: [{ token: ${adminToken}, role: admin }] }
providers:
  byok-provider: { type: openai-compatible, base_url: "${upstream.url}/v1", byok: true, api_key: "sk-server" }
models: { private: { targets: [{ provider: echo, model: p }] } }
routes:
  - { match: { model: private }, plugins: { key-auth: {} } }
  - { match: { model: "byok-provider/*" }, plugins: { key-auth: {} } }`);
    await admin(gw, 'POST', '/consumers', { name: 'route-user' });
    secret = (await admin<{ key: string }>(gw, 'POST', '/keys', { consumer: 'route-user' })).key;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('guards only the routes that enable it', async () => {
    assert.equal((await chat(gw, {}, 'echo/open')).status, 200);
    assert.equal((await chat(gw, {}, 'private')).status, 401);
    assert.equal((await chat(gw, { authorization: `Bearer ${secret}` }, 'private')).status, 200);
  });

  it('a tg- Bearer key is a gateway key, never sent upstream; a provider key beside x-api-key is', async () => {
    await sdk(gw, secret).chat.completions.create({ model: 'byok-provider/m', messages });
    assert.equal(upstream.requests.at(-1)?.headers.authorization, 'Bearer sk-server');
    await sdk(gw, 'sk-client-own', { 'x-api-key': secret }).chat.completions.create({ model: 'byok-provider/m', messages });
    assert.equal(upstream.requests.at(-1)?.headers.authorization, 'Bearer sk-client-own');
  });
});

describe('key-auth on a route by path guards what the gateway answers itself', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(`
routes:
  - match: { path: "/v1/*" }
    plugins: { key-auth: { keys: [{ key: tg-path-key, consumer: c, models: ["gpt-4o*"] }] } }`);
  });
  after(() => gw.close());

  it('the model list, a model’s entry and count_tokens need the key, and the key’s model rules apply', async () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${gw.url}${path}`, { headers });
    assert.equal((await get('/v1/models')).status, 401);
    assert.equal((await get('/v1/models/echo/x')).status, 401);
    assert.equal((await get('/v1/models', { authorization: 'Bearer tg-path-key' })).status, 200);
    const other = await get('/v1/models/echo/x', { authorization: 'Bearer tg-path-key' });
    assert.equal(other.status, 403);
    assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'model_not_allowed');
    const count = await fetch(`${gw.url}/v1/messages/count_tokens`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(count.status, 401);
  });

  it('guards the same paths without /v1, as the data plane serves them (an SDK whose base URL has no /v1)', async () => {
    const guarded = await startGateway(`
routes:
  - match: { path: /v1/embeddings }
    plugins: { key-auth: { keys: [{ key: tg-embed-key, consumer: c }] } }
  - match: { path: /chat/completions, model: "echo/private*" }
    plugins: { key-auth: { keys: [{ key: tg-chat-key, consumer: c }] } }`);
    try {
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${guarded.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const embedding = { model: 'echo/e', input: 'hi' };
      for (const path of ['/v1/embeddings', '/embeddings']) {
        const refused = await post(path, embedding);
        assert.equal(refused.status, 401, path);
        assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'missing_api_key');
        assert.equal((await post(path, embedding, { authorization: 'Bearer tg-embed-key' })).status, 200, path);
      }
      const chatBody = { model: 'echo/private-1', messages };
      for (const path of ['/v1/chat/completions', '/chat/completions']) {
        assert.equal((await post(path, chatBody)).status, 401, path);
        assert.equal((await post(path, chatBody, { authorization: 'Bearer tg-chat-key' })).status, 200, path);
      }
      const withoutKey = new OpenAI({ baseURL: guarded.url, apiKey: 'none', maxRetries: 0 });
      assert.equal((await refusal(withoutKey.embeddings.create(embedding))).status, 401);
    } finally {
      await guarded.close();
    }
  });
});

describe('keys declared in several key-auth configs', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(`
plugins:
  key-auth: { keys: [{ key: tg-global-key, consumer: g }] }
routes:
  - name: team-a
    match: { model: "echo/a*" }
    plugins:
      key-auth: { keys: [{ key: tg-team-a-key, consumer: team-a-app }] }
      rate-limit: { limits: [{ scope: key, requests: 2, per: minute }] }
  - name: team-b
    match: { model: "echo/b*" }
    plugins:
      key-auth: { keys: [{ key: tg-team-b-key, consumer: team-b-app }] }
      rate-limit: { limits: [{ scope: key, requests: 2, per: minute }] }`);
  });
  after(() => gw.close());

  it('each key has its own id, so one key’s limit never counts another’s calls', async () => {
    const a = { authorization: 'Bearer tg-team-a-key' };
    const b = { authorization: 'Bearer tg-team-b-key' };
    assert.deepEqual([(await chat(gw, a, 'echo/a1')).status, (await chat(gw, a, 'echo/a1')).status, (await chat(gw, a, 'echo/a1')).status], [200, 200, 429]);
    const first = await chat(gw, b, 'echo/b1');
    assert.equal(first.status, 200, 'team-b’s first call is its own');
    const refused = await chat(gw, a, 'echo/a1');
    const message = refused.body.error?.message ?? '';
    assert.match(message, /config-key-[0-9a-f]{12}/);
    assert.doesNotMatch(message, /tg-team-a-key/);
  });

  it('refuses a config that declares one key twice or an allow-list entry that is no address', async () => {
    const problems = async (yaml: string) => {
      try {
        await startGateway(yaml);
      } catch (error) {
        return String((error as { problems?: string[] }).problems ?? error);
      }
      assert.fail('the config was accepted');
    };
    assert.match(await problems('plugins: { key-auth: { keys: [{ key: tg-same, consumer: a }, { key: tg-same, consumer: b }] } }'), /plugins\.key-auth\.keys\[1\]\.key: the same key as keys\[0\]/);
    assert.match(await problems('plugins: { key-auth: { keys: [{ key: tg-k, consumer: a, ips: ["999.1.1.1/8"] }] } }'), /plugins\.key-auth\.keys\[0\]\.ips\[0\]: expected an IP address or a CIDR block/);
  });

  it('refuses one key declared for different callers in two configs, and takes it again for the same caller', async () => {
    const routed = (globalEntry: string, routeEntry: string) => `
plugins: { key-auth: { keys: [${globalEntry}] } }
routes:
  - name: narrow
    match: { model: "echo/n*" }
    plugins: { key-auth: { keys: [${routeEntry}] } }`;
    let problems = '';
    await startGateway(routed('{ key: tg-shared, consumer: alice }', '{ key: tg-shared, consumer: bob }')).then(
      (started) => started.close().then(() => assert.fail('the config was accepted')),
      (error: { problems?: string[] }) => (problems = String(error.problems ?? error)),
    );
    assert.match(problems, /routes\[0\]\.plugins\.key-auth\.keys\[0\]\.key: the same key as plugins\.key-auth\.keys\[0\] but for consumer "bob" instead of "alice"/);
    assert.doesNotMatch(problems, /tg-shared/, 'the key itself is not quoted');
    await startGateway(routed('{ key: tg-shared, consumer: alice, team: t1 }', '{ key: tg-shared, consumer: alice, team: t2 }')).then(
      (started) => started.close().then(() => assert.fail('the config was accepted')),
      (error: { problems?: string[] }) => assert.match(String(error.problems ?? error), /of team "t2" instead of "alice" of team "t1"/),
    );
    // The same caller on a route with narrower models: one id, one caller, accepted.
    const same = await startGateway(routed('{ key: tg-shared, consumer: alice }', '{ key: tg-shared, consumer: alice, models: ["echo/n1"] }'));
    try {
      const answer = await chat(same, { authorization: 'Bearer tg-shared' }, 'echo/n1');
      assert.equal(answer.status, 200);
      assert.equal((await chat(same, { authorization: 'Bearer tg-shared' }, 'echo/n2')).status, 403);
    } finally {
      await same.close();
    }
  });
});
