import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// HTTP details of the Admin API: the Allow header of a 405, 413 and 415 for bodies it cannot
// take, `param` on a refused request, and times normalised to UTC.

const adminToken = 'protocol-admin-token';

describe('Admin API: HTTP details', () => {
  let gw: RunningGateway;

  async function send(method: string, path: string, init: { body?: RequestInit['body']; contentType?: string | null } = {}) {
    const headers: Record<string, string> = { authorization: `Bearer ${adminToken}` };
    if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
    const response = await fetch(`${gw.adminUrl}${path}`, { method, headers, body: init.body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text === '' ? undefined : JSON.parse(text) };
  }
  const json = (method: string, path: string, body: unknown) => send(method, path, { body: JSON.stringify(body) });

  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin, name: ops-team }, { token: protocol-viewer-token, role: viewer }] }
providers: { up: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1", models: [m1] } }
models: { smart: { targets: [{ provider: up, model: m1 }] } }
routes: [{ name: r1, match: { model: "r1-*" }, model: smart }]`);
    assert.equal((await json('POST', '/consumers', { name: 'protocol' })).status, 201);
  });
  after(() => gw.close());

  it('refuses a body with a __proto__ key anywhere (dash audit: metadata {"__proto__": 5} was taken, 201, and silently dropped), and stores nothing', async () => {
    for (const body of ['{"name":"proto-team","metadata":{"__proto__":5}}', '{"name":"proto-team","metadata":{"a":"b","__proto__":{"x":"y"}}}', '{"__proto__":{"name":"x"},"name":"proto-team"}']) {
      const answer = await send('POST', '/teams', { body });
      assert.equal(answer.status, 400, answer.text);
      assert.match(answer.text, /__proto__/);
    }
    assert.equal((await send('GET', '/teams/proto-team', { contentType: null })).status, 404);
    assert.equal((await json('POST', '/teams', { name: 'proto-team', metadata: { owner: 'ana' } })).status, 201);
  });

  it('refuses a body that is not UTF-8, as the data plane does (regression audit: the bad byte was stored as U+FFFD)', async () => {
    const body = Buffer.from('{"name":"utf8-team-XX"}');
    body[body.indexOf('XX')] = 0xff;
    const answer = await send('POST', '/teams', { body });
    assert.equal(answer.status, 400, answer.text);
    assert.match(answer.text, /UTF-8/);
  });

  it('GET /whoami tells a token its role and its audit actor; without a known token it is 401', async () => {
    const admin = await send('GET', '/whoami', { contentType: null });
    assert.equal(admin.status, 200);
    assert.equal(admin.body.role, 'admin');
    assert.equal(admin.body.actor, 'admin-token:ops-team');
    assert.doesNotMatch(admin.text, /protocol-admin-token/);
    const viewer = await fetch(`${gw.adminUrl}/whoami`, { headers: { authorization: 'Bearer protocol-viewer-token' } });
    assert.deepEqual(((await viewer.json()) as { role: string; actor: string }), { role: 'viewer', actor: 'admin-token:#2' });
    const unknown = await fetch(`${gw.adminUrl}/whoami`, { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(unknown.status, 401);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'invalid_admin_token');
    assert.equal((await fetch(`${gw.adminUrl}/whoami`)).status, 401);
  });

  it('a 405 declarative_resource says in Allow what the path takes', async () => {
    for (const [method, path] of [['POST', '/providers'], ['DELETE', '/providers/up'], ['PATCH', '/models/smart'], ['DELETE', '/routes/r1'], ['POST', '/plugins']]) {
      const answer = await send(method, path, { body: '{}' });
      assert.equal(answer.status, 405, `${method} ${path}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'declarative_resource');
      assert.equal(answer.headers.get('allow'), 'GET, HEAD', `${method} ${path}`);
    }
    // What Allow promises is served.
    assert.equal((await send('HEAD', '/providers/up', { contentType: null })).status, 200);
  });

  it('a method a path of the API does not take is 405 with Allow; a path it does not have stays 404', async () => {
    for (const [method, path, allow] of [['PUT', '/keys', 'GET, POST, HEAD'], ['DELETE', '/keys', 'GET, POST, HEAD'], ['PUT', '/keys/key_x', 'GET, PATCH, DELETE, HEAD'], ['POST', '/healthz', 'GET, HEAD']]) {
      const answer = await send(method, path, { contentType: null });
      assert.equal(answer.status, 405, `${method} ${path}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'method_not_allowed');
      assert.deepEqual(answer.headers.get('allow')?.split(', ').sort(), allow.split(', ').sort(), `${method} ${path}`);
    }
    const unknown = await send('GET', '/nowhere/at/all', { contentType: null });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'unknown_url');
  });

  it('a body over 1 MiB is 413 request_too_large', async () => {
    const answer = await json('POST', '/teams', { name: 'big', metadata: { padding: 'x'.repeat(1_100_000) } });
    assert.equal(answer.status, 413, answer.text);
    assert.equal(answer.body.error.code, 'request_too_large');
    assert.equal(answer.body.error.type, 'invalid_request_error');
  });

  it('a body that is not sent as application/json is 415 unsupported_media_type', async () => {
    const body = JSON.stringify({ name: 'plain' });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', null]) {
      const answer = await send('POST', '/teams', { body: contentType === null ? new TextEncoder().encode(body) : body, contentType });
      assert.equal(answer.status, 415, `${contentType}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'unsupported_media_type');
    }
    assert.equal((await send('POST', '/teams', { body, contentType: 'application/json; charset=utf-8' })).status, 201);
    assert.equal((await send('DELETE', '/keys/key_missing', { contentType: 'application/json' })).status, 404, 'an empty JSON body is no body');
  });

  it('invalid_request names the field at fault in param', async () => {
    const cases: Array<[string, string, unknown, string | null]> = [
      ['POST', '/keys', { consumer: 'protocol', budget: { max_usd: 1, period: '30d' } }, 'budget.period'],
      ['POST', '/keys', { consumer: 'protocol', limits: [{ requests: 5 }] }, 'limits[0].per'],
      ['POST', '/keys', { consumer: 'protocol', ips: ['10.0.0.0/8', 'nope'] }, 'ips[1]'],
      ['POST', '/keys', { consumer: 'protocol', surprise: true }, 'surprise'],
      ['POST', '/keys', {}, 'consumer'],
      ['PATCH', '/consumers/protocol', { enabled: 'yes' }, 'enabled'],
      ['POST', '/teams', [1, 2], null],
    ];
    for (const [method, path, body, param] of cases) {
      const answer = await json(method, path, body);
      assert.equal(answer.status, 400, `${JSON.stringify(body)}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'invalid_request');
      assert.equal(answer.body.error.param, param, `${JSON.stringify(body)}: ${answer.body.error.message}`);
    }
    const query = await send('GET', '/keys?limit=0', { contentType: null });
    assert.equal(query.body.error.param, 'limit');
    const range = await send('GET', '/usage?from=2026-12-02&to=2026-12-01', { contentType: null });
    assert.equal(range.status, 400);
    assert.equal(range.body.error.param, 'from');
  });

  it('stores and answers expires_at in UTC when it is sent with an offset', async () => {
    const created = await json('POST', '/keys', { consumer: 'protocol', expires_at: '2037-03-01T20:00:00-05:00' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.expires_at, '2037-03-02T01:00:00.000Z');
    assert.equal((await send('GET', `/keys/${created.body.id}`, { contentType: null })).body.expires_at, '2037-03-02T01:00:00.000Z');
    const patched = await json('PATCH', `/keys/${created.body.id}`, { expires_at: '2037-06-01T08:30:00+05:30' });
    assert.equal(patched.body.expires_at, '2037-06-01T03:00:00.000Z');
    const audit = await send('GET', `/audit?resource=keys&resource_id=${created.body.id}`, { contentType: null });
    assert.equal(audit.body.data[0].after.expires_at, '2037-06-01T03:00:00.000Z');
  });
});

describe('admin.tokens in the config', () => {
  it('refuses the same token listed twice (one token has one role), naming the entry; takes a name of letters, digits, . _ -', async () => {
    const { adminSchema } = await import('../../src/config/schema.ts');
    const twice = adminSchema.safeParse({ tokens: [{ token: 'same-token-0123456789', role: 'viewer' }, { token: 'same-token-0123456789', role: 'admin' }] });
    assert.equal(twice.success, false);
    assert.deepEqual(twice.error!.issues.map((issue) => [issue.path.join('.'), issue.message]), [['tokens.1.token', 'the same token as admin.tokens[0]: one token has one role']]);
    assert.equal(adminSchema.safeParse({ tokens: [{ token: 'a-long-random-token-0123', name: 'ci deploy' }] }).success, false);
    assert.equal(adminSchema.safeParse({ tokens: [{ token: 'a-long-random-token-0123', name: 'ci-deploy_2.0' }] }).success, true);
  });
});
