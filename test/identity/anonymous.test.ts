import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';
import { anonymousConfigSchema } from '../../src/plugins/anonymous/definition.ts';
import { createAnonymousPlugin } from '../../src/plugins/anonymous/index.ts';
import { isLoopbackHost } from '../../src/server/loopback-host.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { requestContext } from './jwt-helpers.ts';

const adminToken = 'admin-secret-for-anonymous-tests';
const messages = [{ role: 'user' as const, content: 'hi' }];

describe('anonymous plugin', () => {
  let local: RunningGateway;
  let withKeys: RunningGateway;
  let key: string;

  before(async () => {
    local = await startGateway(`server: { host: 127.0.0.1 }\nplugins: { anonymous: { consumer: dev, metadata: { tier: free } } }\n`);
    withKeys = await startGateway(`server: { host: 127.0.0.1 }\nadmin: { tokens: [{ token: ${adminToken}, role: admin }] }\nplugins: { key-auth: {}, anonymous: {} }\n`);
    const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    await fetch(`${withKeys.adminUrl}/consumers`, { method: 'POST', headers, body: JSON.stringify({ name: 'real-app' }) });
    key = ((await (await fetch(`${withKeys.adminUrl}/keys`, { method: 'POST', headers, body: JSON.stringify({ consumer: 'real-app' }) })).json()) as { key: string }).key;
  });
  after(async () => {
    await local.close();
    await withKeys.close();
  });

  it('lets a request without a credential in, as the configured consumer', async () => {
    const response = await fetch(`${local.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages }) });
    assert.equal(response.status, 200);
    const ctx = requestContext({});
    const plugin = createAnonymousPlugin(anonymousConfigSchema.parse({ consumer: 'dev', team: 'local' }), { logger: pino({ level: 'silent' }), metrics: new GatewayMetrics(), serverHost: '127.0.0.1' });
    await plugin.onRequest!(ctx);
    assert.deepEqual(ctx.caller, { consumer: 'dev', consumerId: 'config:dev', team: 'local', teamId: 'config:local', metadata: { anonymous: 'true' } });
  });

  it('with key-auth: no key is anonymous, a good key is its consumer, a wrong key is still refused', async () => {
    const anonymous = await fetch(`${withKeys.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages }) });
    assert.equal(anonymous.status, 200);
    const keyed = await new OpenAI({ baseURL: withKeys.baseURL, apiKey: key, maxRetries: 0 }).chat.completions.create({ model: 'echo/x', messages });
    assert.equal(keyed.choices[0].message.content, 'hi');
    try {
      await new OpenAI({ baseURL: withKeys.baseURL, apiKey: 'tg-wrong-key', maxRetries: 0 }).chat.completions.create({ model: 'echo/x', messages });
      assert.fail('a wrong key must not become anonymous access');
    } catch (error) {
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_api_key');
    }
  });

  it('refuses to start on a non-loopback listener unless allow_remote is set', async () => {
    await assert.rejects(startGateway(`server: { host: 0.0.0.0 }\nplugins: { anonymous: {} }\n`), (error: Error & { problems?: string[] }) => {
      const text = `${error.message} ${(error.problems ?? []).join(' ')}`;
      assert.match(text, /plugins\.anonymous: .*not a loopback address.*allow_remote/s);
      return true;
    });
    const create = (host: string, config: Record<string, unknown> = {}) =>
      createAnonymousPlugin(anonymousConfigSchema.parse(config), { logger: pino({ level: 'silent' }), metrics: new GatewayMetrics(), serverHost: host });
    assert.throws(() => create('10.1.2.3'), /not a loopback address/);
    assert.doesNotThrow(() => create('0.0.0.0', { allow_remote: true }));
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.1', 'example.com']) assert.equal(isLoopbackHost(host), false, host);
  });

  it('says so loudly (warn) when its config takes effect, not when it is only made', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const plugin = createAnonymousPlugin(anonymousConfigSchema.parse({}), { logger: pino({ level: 'info' }, sink), metrics: new GatewayMetrics(), serverHost: '127.0.0.1' });
    assert.equal(lines.length, 0);
    plugin.announce!();
    const warning = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).find((line) => line.level === 40);
    assert.ok(warning);
    assert.match(warning.msg, /ANONYMOUS ACCESS IS ON/);
  });

  it('a reload that is refused does not say anonymous access is on; one that takes effect does', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-anonymous-'));
    const path = join(folder, 'tollgate.yaml');
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const said = () => lines.filter((line) => /ANONYMOUS ACCESS IS ON/.test(line.msg)).length;
    await writeFile(path, 'server: { host: 127.0.0.1 }\nplugins: { key-auth: {} }\n');
    const gateway = await Gateway.start({ configPath: path, env: {}, port: 0, adminPort: 0, logger: pino({ level: 'info' }, sink), storage: 'sqlite::memory:' });
    try {
      assert.equal(said(), 0);
      // Anonymous on, but a problem elsewhere in the file: the running config (keys required) stays.
      await writeFile(path, 'server: { host: 127.0.0.1 }\nplugins: { anonymous: {}, content-rules: { tiers: { free: { blocked_terms: [x] } } } }\n');
      assert.equal(await gateway.reload(), false);
      assert.equal(said(), 0, 'a refused config is not running: no warning about it');
      assert.ok(lines.some((line) => line.msg.startsWith('configuration reload rejected')));
      await writeFile(path, 'server: { host: 127.0.0.1 }\nplugins: { anonymous: {} }\n');
      assert.equal(await gateway.reload(), true);
      assert.equal(said(), 1);
    } finally {
      await gateway.stop(2000);
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('judges a reload by the address the listener is bound to, not the new file’s server.host', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-anonymous-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, 'server: { host: 0.0.0.0 }\nplugins: { key-auth: {} }\n');
    const gw = await startGateway('', {}, { configPath: path });
    try {
      const chat = () => fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal((await chat()).status, 401);
      await writeFile(path, 'server: { host: 127.0.0.1 }\nplugins: { anonymous: {} }\n');
      assert.equal(await gw.gateway.reload(), false, 'the reload is refused: the listener is still on 0.0.0.0');
      assert.equal((await chat()).status, 401, 'key-auth is still on');
    } finally {
      await gw.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
