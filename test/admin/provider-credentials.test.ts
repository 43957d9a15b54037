import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { CredentialCipher, MasterKeyError, parseMasterKey } from '../../src/identity/credential-cipher.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

const adminToken = 'admin-secret-for-credential-tests';
const viewerToken = 'viewer-secret-for-credential-tests';
const storedSecret = 'sk-stored-SUPER-SECRET-0123456789';
const messages = [{ role: 'user' as const, content: 'hi' }];

async function call(gw: RunningGateway, method: string, path: string, body?: unknown, token = adminToken): Promise<{ status: number; text: string; json: any }> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

function config(upstreamUrl: string): string {
  return `admin: { tokens: [{ token: ${adminToken}, role: admin }, { token: ${viewerToken}, role: viewer }] }
providers:
  up:       { type: openai-compatible, base_url: "${upstreamUrl}/v1", api_key: "\${UP_KEY}" }
  nokey:    { type: openai, base_url: "${upstreamUrl}/v1" }
  aws:      { type: bedrock, base_url: "${upstreamUrl}", options: { region: us-east-1, access_key_id: AKIAEXAMPLE0000000000, secret_access_key: secret-in-yaml } }
`;
}

describe('provider credentials in the store', () => {
  let folder: string;
  let storage: string;
  let upstream: StandIn;
  let gw: RunningGateway;
  let otherNode: RunningGateway;
  const masterKey = randomBytes(32).toString('base64');

  const lastAuthorization = () => upstream.requests.at(-1)?.headers.authorization;
  const chat = (node: RunningGateway, model: string) => new OpenAI({ baseURL: node.baseURL, apiKey: 'x', maxRetries: 0 }).chat.completions.create({ model, messages });

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-credentials-'));
    storage = `sqlite:${join(folder, 'tollgate.db')}`;
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
    const env = { UP_KEY: 'sk-from-env', TOLLGATE_MASTER_KEY: masterKey };
    gw = await startGateway(config(upstream.url), env, { storage });
    otherNode = await startGateway(config(upstream.url), env, { storage });
  });
  after(async () => {
    await gw.close();
    await otherNode.close();
    await upstream.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('a stored credential overrides the environment\'s, on this node at once and on another within about a second', async () => {
    await chat(gw, 'up/m');
    assert.equal(lastAuthorization(), 'Bearer sk-from-env');

    const put = await call(gw, 'PUT', '/providers/up/credential', { api_key: storedSecret });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.has_credential, true);
    assert.ok(!put.text.includes(storedSecret), 'the answer never contains the secret');

    await chat(gw, 'up/m');
    assert.equal(lastAuthorization(), `Bearer ${storedSecret}`);
    await sleep(1500);
    await chat(otherNode, 'up/m');
    assert.equal(lastAuthorization(), `Bearer ${storedSecret}`, 'the other node polled the change');
  });

  it('is write-only: GET /providers shows has_credential, never the value', async () => {
    const list = await call(gw, 'GET', '/providers');
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(storedSecret));
    const up = list.json.data.find((provider: { id: string }) => provider.id === 'up');
    assert.equal(up.has_credential, true);
    assert.equal(up.credential_source, 'store');
    const nokey = list.json.data.find((provider: { id: string }) => provider.id === 'nokey');
    assert.equal(nokey.has_credential, false);
    assert.equal(nokey.credential_source, null);
    // AWS keys in the YAML are Bedrock's credential, though it has no api_key (dash audit: shown as none).
    const aws = list.json.data.find((provider: { id: string }) => provider.id === 'aws');
    assert.deepEqual([aws.has_credential, aws.credential_source], [true, 'config']);
    assert.ok(!list.text.includes('secret-in-yaml'));
    const one = await call(gw, 'GET', '/providers/up');
    assert.ok(!one.text.includes(storedSecret));
    const audit = await call(gw, 'GET', '/audit?limit=1000');
    assert.ok(!audit.text.includes(storedSecret));
  });

  it('is encrypted at rest (AES-256-GCM): the raw row holds ciphertext only', () => {
    const database = new DatabaseSync(storage.slice('sqlite:'.length), { readOnly: true });
    try {
      const rows = database.prepare('select * from provider_credentials').all() as Array<Record<string, string>>;
      assert.equal(rows.length, 1);
      const raw = JSON.stringify(rows);
      assert.ok(!raw.includes(storedSecret), 'the secret is not in the row');
      assert.ok(!raw.includes(Buffer.from(storedSecret).toString('base64')), 'nor its base64');
      assert.match(rows[0].ciphertext, /^v1:/);
      assert.equal(new CredentialCipher(parseMasterKey(masterKey)!).decrypt(rows[0].ciphertext, 'up'), storedSecret);
      assert.throws(() => new CredentialCipher(randomBytes(32)).decrypt(rows[0].ciphertext, 'up'), 'another master key cannot read it');
      assert.throws(() => new CredentialCipher(parseMasterKey(masterKey)!).decrypt(rows[0].ciphertext, 'nokey'), 'bound to its provider');
    } finally {
      database.close();
    }
  });

  it('is audit-logged without the secret', async () => {
    const audit = await call(gw, 'GET', '/audit?resource=credentials&resource_id=up');
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.json.data.length, 1);
    const [entry] = audit.json.data;
    assert.equal(entry.action, 'create');
    assert.equal(entry.resource, 'credentials');
    assert.match(entry.actor, /^admin-token:/);
    assert.equal(entry.after.has_credential, true);
    assert.ok(!JSON.stringify(entry).includes(storedSecret));
    assert.ok(!('ciphertext' in entry.after));
  });

  it('makes a provider with no key usable, and DELETE gives the environment key back', async () => {
    await assert.rejects(chat(gw, 'nokey/m'), (error: { status: number; code: string }) => error.status === 401 && error.code === 'missing_provider_key');
    assert.equal((await call(gw, 'PUT', '/providers/nokey/credential', { api_key: 'sk-nokey-stored' })).status, 200);
    await chat(gw, 'nokey/m');
    assert.equal(lastAuthorization(), 'Bearer sk-nokey-stored');

    assert.equal((await call(gw, 'DELETE', '/providers/up/credential')).status, 200);
    await chat(gw, 'up/m');
    assert.equal(lastAuthorization(), 'Bearer sk-from-env');
    assert.equal((await call(gw, 'DELETE', '/providers/up/credential')).status, 404);
    const audit = await call(gw, 'GET', '/audit?resource=credentials&resource_id=up');
    assert.deepEqual(audit.json.data.map((entry: { action: string }) => entry.action), ['delete', 'create']);
  });

  it('refuses viewers, unknown providers and bad bodies', async () => {
    assert.equal((await call(gw, 'PUT', '/providers/up/credential', { api_key: 'x' }, viewerToken)).status, 403);
    assert.equal((await call(gw, 'PUT', '/providers/up/credential', { api_key: 'x' }, 'wrong')).status, 401);
    assert.equal((await call(gw, 'PUT', '/providers/nowhere/credential', { api_key: 'x' })).status, 404);
    assert.equal((await call(gw, 'PUT', '/providers/up/credential', { api_key: '' })).status, 400);
    assert.equal((await call(gw, 'PUT', '/providers/up/credential', { key: 'x' })).status, 400);
    // A line break would break every call to the provider (it is sent in a header): refused, and not echoed.
    for (const bad of ['sk-good\r\nx-injected: 1', 'sk-with space', 'sk-tab\t', 'sk-\u00e9']) {
      const refused = await call(gw, 'PUT', '/providers/up/credential', { api_key: bad });
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.equal(refused.json.error.param, 'api_key');
      assert.doesNotMatch(refused.text, /sk-good|sk-with|sk-tab/);
    }
  });

  it('is in the OpenAPI document', async () => {
    const document = (await (await fetch(`${gw.adminUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    assert.ok(document.paths['/providers/{id}/credential'].put);
    assert.ok(document.paths['/providers/{id}/credential'].delete);
  });
});

describe('provider credentials without a master key', () => {
  it('refuses to store one, saying what to set', async () => {
    const gw = await startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }] }\nproviders: { up: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" } }\n`);
    try {
      const put = await call(gw, 'PUT', '/providers/up/credential', { api_key: storedSecret });
      assert.equal(put.status, 400);
      assert.equal(put.json.error.code, 'master_key_missing');
      assert.match(put.json.error.message, /TOLLGATE_MASTER_KEY/);
      assert.ok(!put.text.includes(storedSecret));
    } finally {
      await gw.close();
    }
  });

  it('refuses to start with a master key that is not 32 bytes', async () => {
    assert.throws(() => parseMasterKey('too-short'), MasterKeyError);
    assert.equal(parseMasterKey(randomBytes(32).toString('hex'))?.length, 32);
    assert.equal(parseMasterKey(randomBytes(32).toString('base64url'))?.length, 32);
    assert.equal(parseMasterKey(''), undefined);
    await assert.rejects(startGateway('{}', { TOLLGATE_MASTER_KEY: 'not-a-key' }), /TOLLGATE_MASTER_KEY must be 32 bytes/);
  });
});
