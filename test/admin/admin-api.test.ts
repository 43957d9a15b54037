import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashKeySecret } from '../../src/identity/key-secret.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

const adminToken = 'admin-token-for-tests';
const viewerToken = 'viewer-token-for-tests';

interface Answer {
  status: number;
  text: string;
  body: any;
}

describe('Admin API', () => {
  let gw: RunningGateway;

  async function call(method: string, path: string, token: string | null = adminToken, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${gw.adminUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, text, body: parsed };
  }

  function assertError(answer: Answer, status: number, code: string): void {
    assert.equal(answer.status, status, answer.text);
    assert.equal(answer.body.error.code, code);
    assert.equal(typeof answer.body.error.message, 'string');
    assert.equal(typeof answer.body.error.type, 'string');
  }

  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }, { token: ${viewerToken}, role: viewer }, { token: "", role: admin }] }`);
  });
  after(() => gw.close());

  it('keeps /healthz, /readyz, /metrics and /openapi.json open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) assert.equal((await call('GET', path, null)).status, 200, path);
  });

  it('answers 401 without a token or with a wrong one, on reads and writes', async () => {
    for (const path of ['/teams', '/consumers', '/keys', '/audit', '/keys/key_x']) {
      assertError(await call('GET', path, null), 401, 'missing_admin_token');
      assertError(await call('GET', path, 'not-a-token'), 401, 'invalid_admin_token');
    }
    assertError(await call('POST', '/teams', null, { name: 'x' }), 401, 'missing_admin_token');
    assertError(await call('POST', '/teams', '', { name: 'x' }), 401, 'missing_admin_token');
  });

  it('refuses a path it cannot decode or a segment over 100 characters in its own error shape, not Fastify\'s', async () => {
    for (const path of ['/keys/%', '/teams/%ED%A0%80', `/keys/${'k'.repeat(5000)}`]) {
      const answer = await call('GET', path);
      assert.equal(answer.status, 400, path);
      const body = answer.body as { error: { type: string; code: string | null; message: string } };
      assert.equal(body.error.type, 'invalid_request_error', path);
      assert.doesNotMatch(JSON.stringify(body), /FST_ERR/, path);
    }
  });

  it('lets a viewer read but not write (403)', async () => {
    assert.equal((await call('GET', '/keys', viewerToken)).status, 200);
    assertError(await call('POST', '/teams', viewerToken, { name: 'viewer-team' }), 403, 'read_only_token');
    const team = await call('POST', '/teams', adminToken, { name: 'owned-by-admin' });
    assertError(await call('PATCH', `/teams/${team.body.id}`, viewerToken, { name: 'renamed' }), 403, 'read_only_token');
    assertError(await call('DELETE', `/teams/${team.body.id}`, viewerToken), 403, 'read_only_token');
    assert.equal((await call('GET', `/teams/${team.body.id}`, viewerToken)).body.name, 'owned-by-admin');
  });

  it('creates a key (201, secret shown once) and never returns the secret or its hash again', async () => {
    await call('POST', '/teams', adminToken, { name: 'payments' });
    const consumer = await call('POST', '/consumers', adminToken, { name: 'checkout', team: 'payments' });
    assert.equal(consumer.status, 201, consumer.text);
    const created = await call('POST', '/keys', adminToken, { consumer: 'checkout', name: 'prod', models: ['gpt-4o*'], limits: { rpm: 60 }, budget: { max_usd: 100, period: 'month' }, expires_at: '2030-01-01T00:00:00Z', metadata: { tier: 'gold' } });
    assert.equal(created.status, 201, created.text);
    const secret: string = created.body.key;
    assert.match(secret, /^tg-/);
    assert.equal(created.body.consumer_id, consumer.body.id);
    assert.equal(created.body.team_id, consumer.body.team_id, "the consumer's team by default");
    assert.equal(created.body.display, `${secret.slice(0, 7)}…${secret.slice(-4)}`);
    const hash = hashKeySecret(secret);
    const reads = [
      await call('GET', '/keys'),
      await call('GET', `/keys/${created.body.id}`),
      await call('GET', '/keys?consumer=checkout'),
      await call('PATCH', `/keys/${created.body.id}`, adminToken, { name: 'prod-2' }),
      await call('GET', '/audit'),
      await call('GET', '/keys', viewerToken),
    ];
    for (const read of reads) {
      assert.equal(read.status, 200, read.text);
      assert.ok(!read.text.includes(secret), 'no secret');
      assert.ok(!read.text.includes(hash), 'no hash');
      assert.ok(!read.text.includes('key_hash'), 'no hash field');
    }
    assert.equal(reads[1].body.key, undefined);
    assert.deepEqual(reads[2].body.data.map((key: { id: string }) => key.id), [created.body.id]);
  });

  it('writes an audit entry for every change, naming the token but not revealing it', async () => {
    const team = await call('POST', '/teams', adminToken, { name: 'audited' });
    await call('PATCH', `/teams/${team.body.id}`, adminToken, { metadata: { owner: 'ana' } });
    await call('DELETE', `/teams/${team.body.id}`, adminToken);
    const audit = await call('GET', `/audit?resource=teams&resource_id=${team.body.id}`, viewerToken);
    assert.equal(audit.status, 200, audit.text);
    assert.deepEqual(audit.body.data.map((entry: { action: string }) => entry.action), ['delete', 'update', 'create']);
    const [deleted, updated] = audit.body.data;
    // Its place in admin.tokens: nothing derived from the token (a viewer could test guesses of a hash offline).
    assert.equal(deleted.actor, 'admin-token:#1');
    assert.ok(!audit.text.includes(adminToken));
    assert.deepEqual(updated.before.metadata, {});
    assert.deepEqual(updated.after.metadata, { owner: 'ana' });
    assert.equal(deleted.after, null);
  });

  it('validates bodies and references (400), unknown ids (404) and conflicts (409)', async () => {
    assertError(await call('POST', '/keys', adminToken, { consumer: 'checkout', surprise: true }), 400, 'invalid_request');
    assertError(await call('POST', '/keys', adminToken, { consumer: 'checkout', ips: ['not-an-ip'] }), 400, 'invalid_request');
    assertError(await call('POST', '/keys', adminToken, { consumer: 'checkout', expires_at: 'tomorrow' }), 400, 'invalid_request');
    assertError(await call('POST', '/keys', adminToken, {}), 400, 'invalid_request');
    assertError(await call('POST', '/keys', adminToken, { consumer: 'nobody' }), 400, 'unknown_reference');
    assertError(await call('POST', '/consumers', adminToken, { name: 'x', team: 'no-such-team' }), 400, 'unknown_reference');
    assertError(await call('GET', '/keys?limit=0'), 400, 'invalid_request');
    assertError(await call('GET', '/keys/key_missing'), 404, 'not_found');
    assertError(await call('PATCH', '/consumers/con_missing', adminToken, { name: 'y' }), 404, 'not_found');
    assertError(await call('DELETE', '/keys/key_missing'), 404, 'not_found');
    assertError(await call('GET', '/nowhere'), 404, 'unknown_url');
    await call('POST', '/teams', adminToken, { name: 'twice' });
    assertError(await call('POST', '/teams', adminToken, { name: 'twice' }), 409, 'conflict');
    await call('POST', '/consumers', adminToken, { name: 'has-keys' });
    const key = await call('POST', '/keys', adminToken, { consumer: 'has-keys' });
    const consumer = await call('GET', '/consumers/has-keys');
    assertError(await call('DELETE', `/consumers/${consumer.body.id}`), 409, 'conflict');
    assert.equal((await call('DELETE', `/keys/${key.body.id}`)).status, 200);
    assert.deepEqual((await call('DELETE', `/consumers/${consumer.body.id}`)).body, { id: consumer.body.id, deleted: true });
  });

  it('paginates lists with limit and cursor, and filters', async () => {
    for (let index = 0; index < 5; index++) await call('POST', '/consumers', adminToken, { name: `paged-${index}`, team: 'payments' });
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await call('GET', `/consumers?team=payments&limit=2${cursor ? `&after=${cursor}` : ''}`);
      assert.equal(page.status, 200, page.text);
      assert.ok(page.body.data.length <= 2);
      names.push(...page.body.data.map((consumer: { name: string }) => consumer.name));
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.deepEqual(names, ['checkout', 'paged-0', 'paged-1', 'paged-2', 'paged-3', 'paged-4']);
    const offset = await call('GET', '/consumers?team=payments&limit=2&offset=4');
    assert.deepEqual(offset.body.data.map((consumer: { name: string }) => consumer.name), ['paged-3', 'paged-4']);
  });

  it('refuses an after= that is no cursor of the list (400 invalid_request, param after) instead of answering the first page', async () => {
    const consumer = await call('POST', '/consumers', adminToken, { name: 'cursor-owner' });
    const key = await call('POST', '/keys', adminToken, { consumer: consumer.body.id });
    const team = await call('POST', '/teams', adminToken, { name: 'cursor-team' });
    const audit = await call('GET', '/audit?limit=1');
    const cursors: Record<string, string> = { '/teams': team.body.id, '/consumers': consumer.body.id, '/keys': key.body.id, '/audit': audit.body.data[0].id };
    for (const [list, cursor] of Object.entries(cursors)) {
      // A cursor the list gave (or an id of its kind) pages on.
      assert.equal((await call('GET', `${list}?after=${cursor}`)).status, 200, `${list}?after=${cursor}`);
      const foreign = list === '/keys' ? consumer.body.id : key.body.id;
      for (const bad of ['garbage', cursor.slice(0, -3), `${cursor}x`, cursor.toUpperCase(), foreign, '']) {
        const refused = await call('GET', `${list}?after=${encodeURIComponent(bad)}`);
        assertError(refused, 400, 'invalid_request');
        assert.equal(refused.body.error.param, 'after', `${list}?after=${bad}`);
        assert.match(refused.body.error.message, /query\.after: expected the next_cursor of a previous page/);
      }
    }
    // A revoked key's id still marks a place in the list.
    assert.equal((await call('DELETE', `/keys/${key.body.id}`)).status, 200);
    assert.equal((await call('GET', `/keys?after=${key.body.id}`)).status, 200);
  });
});

describe('Admin API: read-only views of the YAML config', () => {
  let gw: RunningGateway;
  const get = async (path: string, token = viewerToken) => {
    const response = await fetch(`${gw.adminUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) };
  };

  before(async () => {
    gw = await startGateway(
      `admin: { tokens: [{ token: ${adminToken}, role: admin }, { token: ${viewerToken}, role: viewer }] }
providers:
  upstream: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1", api_key: "sk-provider-secret", headers: { x-org-secret: "org-header-secret" }, models: [m1] }
models: { smart: { targets: [{ provider: upstream, model: m1 }] } }
routes:
  - { name: guarded, match: { model: smart }, plugins: { key-auth: { keys: [{ key: "route-declared-secret", consumer: c1 }] } } }
plugins:
  key-auth: { keys: [{ key: "global-declared-secret", consumer: c2 }] }`,
      { OPENAI_API_KEY: 'sk-env-secret' },
    );
  });
  after(() => gw.close());

  it('shows providers, models, routes and plugins without any secret', async () => {
    const providers = await get('/providers');
    assert.equal(providers.status, 200, providers.text);
    const upstream = providers.body.data.find((entry: { id: string }) => entry.id === 'upstream');
    assert.equal(upstream.source, 'config');
    assert.equal(upstream.api_key_set, true);
    assert.deepEqual(upstream.header_names, ['x-org-secret']);
    assert.equal(providers.body.data.find((entry: { id: string }) => entry.id === 'openai')?.source, 'environment');
    assert.equal(providers.body.data.find((entry: { id: string }) => entry.id === 'echo')?.source, 'built_in');
    assert.equal((await get('/models/smart')).body.targets[0].model, 'm1');
    assert.equal((await get('/routes/guarded')).body.match.model, 'smart');
    const plugins = await get('/plugins');
    assert.deepEqual(plugins.body.data.map((entry: { id: string; scope: string }) => [entry.id, entry.scope]), [['key-auth', 'global'], ['guarded:key-auth', 'route:guarded']]);
    const everything = [providers.text, plugins.text, (await get('/routes')).text, (await get('/providers/upstream')).text].join('\n');
    for (const secret of ['sk-provider-secret', 'org-header-secret', 'sk-env-secret', 'route-declared-secret', 'global-declared-secret']) assert.ok(!everything.includes(secret), secret);
    assert.equal((await get('/providers/nope')).status, 404);
  });

  it('refuses writes to them with 405 declarative_resource (after the role check)', async () => {
    const write = (method: string, path: string, token: string) => fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    const refused = await write('POST', '/providers', adminToken);
    assert.equal(refused.status, 405);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'declarative_resource');
    assert.equal((await write('DELETE', '/routes/guarded', adminToken)).status, 405);
    assert.equal((await write('PATCH', '/models/smart', viewerToken)).status, 403);
  });

  it('lists in Allow only the methods a YAML-declared resource accepts: GET, HEAD', async () => {
    const write = (method: string, path: string) => fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{}' });
    for (const [collection, item] of [['/providers', '/providers/upstream'], ['/models', '/models/smart'], ['/routes', '/routes/guarded'], ['/plugins', '/plugins/key-auth']]) {
      // The documented refusals of writes to the resources themselves.
      for (const [method, path] of [['POST', collection], ['PATCH', item], ['DELETE', item]]) {
        const refused = await write(method, path);
        assert.equal(refused.status, 405, `${method} ${path}`);
        assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'declarative_resource', `${method} ${path}`);
        assert.equal(refused.headers.get('allow'), 'GET, HEAD', `${method} ${path}`);
      }
      // Methods the paths never take: Allow must not offer the refused ones.
      for (const [method, path] of [['POST', item], ['PUT', item], ['PATCH', collection], ['DELETE', collection], ['PUT', collection]]) {
        const refused = await write(method, path);
        assert.equal(refused.status, 405, `${method} ${path}`);
        assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'method_not_allowed', `${method} ${path}`);
        assert.equal(refused.headers.get('allow'), 'GET, HEAD', `${method} ${path}`);
      }
    }
    // A provider's stored credential is writable: its own methods stay listed.
    const credential = await write('POST', '/providers/upstream/credential');
    assert.equal(credential.status, 405);
    assert.equal(credential.headers.get('allow'), 'PUT, DELETE');
  });

  it('refuses an after= that names no item of a config list (400 invalid_request, param after)', async () => {
    const paged = await get('/providers?limit=1');
    assert.equal(paged.status, 200);
    assert.equal((await get(`/providers?limit=1&after=${paged.body.next_cursor}`)).status, 200);
    for (const list of ['/providers', '/models', '/routes', '/plugins']) {
      const refused = await get(`${list}?after=garbage`);
      assert.equal(refused.status, 400, `${list}: ${refused.text}`);
      assert.deepEqual([refused.body.error.code, refused.body.error.param], ['invalid_request', 'after']);
    }
  });
});
