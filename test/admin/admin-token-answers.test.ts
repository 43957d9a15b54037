import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runIdentityCommand } from '../../src/cli/identity-commands.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

const adminToken = 'admin-token-0f3c9a7e5b2d4c61';
const viewerToken = 'viewer-token-8e1d2c3b4a596877';

/** `tollgate <args>` in-process, with the Admin API's address and token given as flags (or no token). */
async function tollgate(args: string[], adminUrl: string, token?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const saved = process.env.TOLLGATE_ADMIN_TOKEN;
  delete process.env.TOLLGATE_ADMIN_TOKEN;
  try {
    const flags = ['--admin-url', adminUrl, ...(token === undefined ? [] : ['--admin-token', token])];
    const code = await runIdentityCommand([...args, ...flags], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
    return { code, stdout, stderr };
  } finally {
    if (saved !== undefined) process.env.TOLLGATE_ADMIN_TOKEN = saved;
  }
}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; error: { code: string; message: string } | undefined }> {
  const response = await fetch(url, init);
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return { status: response.status, error: body.error };
}

// Finding 2 of the operator audit: the Authentication table promises 401 for a write without a
// token, whatever its body; the token was checked after the body's type (415).
describe('Admin API: the token is checked before the body', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }, { token: ${viewerToken}, role: viewer }] }`);
  });
  after(() => gw.close());

  it('a write without a token, or with a wrong one, is 401 whatever its content type; with the token, a form is 415', async () => {
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '{"name":"payments"}' };
    assert.equal((await call(`${gw.adminUrl}/teams`, form)).error?.code, 'missing_admin_token');
    assert.equal((await call(`${gw.adminUrl}/teams`, { ...form, headers: { ...form.headers, authorization: 'Bearer wrong-token-1234567890' } })).error?.code, 'invalid_admin_token');
    const viewer = await call(`${gw.adminUrl}/teams`, { ...form, headers: { ...form.headers, authorization: `Bearer ${viewerToken}` } });
    assert.deepEqual([viewer.status, viewer.error?.code], [403, 'read_only_token']);
    const admin = await call(`${gw.adminUrl}/teams`, { ...form, headers: { ...form.headers, authorization: `Bearer ${adminToken}` } });
    assert.deepEqual([admin.status, admin.error?.code], [415, 'unsupported_media_type']);
    const json = await fetch(`${gw.adminUrl}/teams`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: '{"name":"payments"}' });
    assert.equal(json.status, 201);
  });

  it('a body over the limit without a token is 401 too, not 413', async () => {
    const answer = await call(`${gw.adminUrl}/teams`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(2_000_000) }) });
    assert.deepEqual([answer.status, answer.error?.code], [401, 'missing_admin_token']);
  });

  it('a wrong token learns nothing about the configured ones; the CLI says where its token came from', async () => {
    const wrong = await call(`${gw.adminUrl}/teams`, { headers: { authorization: 'Bearer wrong-token-1234567890' } });
    assert.deepEqual([wrong.status, wrong.error?.code, wrong.error?.message], [401, 'invalid_admin_token', 'The admin token is not valid.']);
    const cli = await tollgate(['teams', 'list'], gw.adminUrl, 'wrong-token-1234567890');
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^tollgate teams list: The admin token is not valid\. The CLI sent --admin-token, else \$TOLLGATE_ADMIN_TOKEN: it is none of the gateway's admin tokens/);
    const none = await tollgate(['teams', 'list'], gw.adminUrl);
    assert.match(none.stderr, /needs Authorization: Bearer <admin token>.* The CLI sends --admin-token, else \$TOLLGATE_ADMIN_TOKEN: neither is set here\./);
  });
});

// Finding 6: a gateway started without any admin token (the Quickstart's `npm start`) refused
// every CLI call with "The admin token is not valid.", which sent the operator looking for a typo.
describe('Admin API: a gateway with no admin token configured says so', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway('{}');
  });
  after(() => gw.close());

  it('answers no_admin_tokens, with or without a token, saying how to set one', async () => {
    for (const headers of [{}, { authorization: 'Bearer some-token-the-cli-had-1234' }]) {
      const answer = await call(`${gw.adminUrl}/teams`, { headers });
      assert.equal(answer.status, 401);
      assert.equal(answer.error?.code, 'no_admin_tokens');
      assert.match(answer.error?.message ?? '', /^This gateway has no admin token configured.*set TOLLGATE_ADMIN_TOKEN in the environment the gateway runs in \(or admin\.tokens in its config file\) and restart it/);
    }
    assert.equal((await fetch(`${gw.adminUrl}/healthz`)).status, 200);
  });

  it('the CLI prints it', async () => {
    const result = await tollgate(['teams', 'list'], gw.adminUrl, 'some-token-the-cli-had-1234');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^tollgate teams list: This gateway has no admin token configured/);
    assert.doesNotMatch(result.stderr, /is not valid/);
  });
});
