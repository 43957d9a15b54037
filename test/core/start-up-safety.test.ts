import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** Starts a gateway on ephemeral ports with `configText` and `env`, answers its log lines, and stops it after `use`. */
async function withGateway(configText: string, env: NodeJS.ProcessEnv, use: (gateway: Gateway, lines: LogLine[]) => Promise<void> = async () => {}): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const gateway = await Gateway.start({ configText, env, port: 0, adminPort: 0, logger, storage: 'sqlite::memory:' });
  try {
    await use(gateway, lines);
  } finally {
    await gateway.stop(1000);
  }
  return lines;
}

const openWarning = (lines: LogLine[]) => lines.find((line) => line.level === 40 && /without an authentication plugin/.test(line.msg));

describe('start-up safety: an open data plane is warned about; TOLLGATE_ADMIN_TOKEN works without admin.tokens', () => {
  it('warns when a non-loopback listener has no authentication and a provider would spend the operator’s credential', async () => {
    const provider = 'providers: { openai: { type: openai, api_key: sk-start-up-test, base_url: "http://127.0.0.1:9/v1" } }';
    const open = openWarning(await withGateway(`server: { host: 0.0.0.0 }\n${provider}`, {}));
    assert.ok(open, 'a warning');
    assert.deepEqual(open.providers, ['openai']);
    assert.match(open.msg, /0\.0\.0\.0 without an authentication plugin: anyone who can reach port \d+ calls openai/);
    assert.doesNotMatch(JSON.stringify(open), /sk-start-up-test/, 'never the key');

    assert.equal(openWarning(await withGateway(`server: { host: 0.0.0.0 }\n${provider}\nplugins: { key-auth: {} }`, {})), undefined, 'key-auth on: no warning');
    assert.equal(openWarning(await withGateway(`server: { host: 127.0.0.1 }\n${provider}`, {})), undefined, 'loopback: no warning');
    assert.equal(openWarning(await withGateway('server: { host: 0.0.0.0 }', {})), undefined, 'only echo: no warning');
    assert.equal(openWarning(await withGateway('server: { host: 0.0.0.0 }\nproviders: { openai: { type: openai, base_url: "http://127.0.0.1:9/v1" } }', {})), undefined, 'no credential: no warning');
  });

  it('warns when server.cors lets every web page call providers without authentication', async () => {
    const provider = 'providers: { openai: { type: openai, api_key: sk-start-up-test, base_url: "http://127.0.0.1:9/v1" } }';
    const anyPage = (lines: LogLine[]) => lines.find((line) => line.level === 40 && /any web page/.test(line.msg));
    const warned = anyPage(await withGateway(`server: { host: 127.0.0.1, cors: { allow_origins: ["*"] } }\n${provider}`, {}));
    assert.ok(warned, 'a warning, on loopback too');
    assert.deepEqual(warned.providers, ['openai']);
    assert.equal(anyPage(await withGateway(`server: { host: 127.0.0.1, cors: { allow_origins: ["*"] } }\n${provider}\nplugins: { key-auth: {} }`, {})), undefined, 'key-auth on: no warning');
    assert.equal(anyPage(await withGateway(`server: { host: 127.0.0.1, cors: { allow_origins: ["https://app.example.com"] } }\n${provider}`, {})), undefined, 'listed origins: no warning');
  });

  it('TOLLGATE_ADMIN_TOKEN (and TOLLGATE_VIEWER_TOKEN) are the Admin API tokens when admin.tokens names none; the config’s win', async () => {
    const env = { TOLLGATE_ADMIN_TOKEN: 'env-admin-token', TOLLGATE_VIEWER_TOKEN: 'env-viewer-token' };
    const lines = await withGateway('server: { host: 127.0.0.1 }', env, async (gateway) => {
      const admin = `http://127.0.0.1:${gateway.adminPort}`;
      const teams = await fetch(`${admin}/teams`, { headers: { authorization: 'Bearer env-admin-token' } });
      assert.equal(teams.status, 200);
      const created = await fetch(`${admin}/teams`, { method: 'POST', headers: { authorization: 'Bearer env-viewer-token', 'content-type': 'application/json' }, body: '{"name":"x"}' });
      assert.equal(created.status, 403, 'the viewer token reads only');
      assert.equal((await fetch(`${admin}/teams`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    });
    assert.ok(lines.some((line) => line.level === 30 && /takes the token in TOLLGATE_ADMIN_TOKEN/.test(line.msg)));
    assert.ok(!lines.some((line) => /admin\.tokens is empty and/.test(line.msg)));
    assert.doesNotMatch(JSON.stringify(lines), /env-admin-token|env-viewer-token/, 'never a token in the log');

    await withGateway('server: { host: 127.0.0.1 }\nadmin: { tokens: [{ token: config-admin-token, role: admin }] }', env, async (gateway) => {
      const admin = `http://127.0.0.1:${gateway.adminPort}`;
      assert.equal((await fetch(`${admin}/teams`, { headers: { authorization: 'Bearer env-admin-token' } })).status, 401, 'the variable is not read beside the config’s tokens');
      assert.equal((await fetch(`${admin}/teams`, { headers: { authorization: 'Bearer config-admin-token' } })).status, 200);
    });

    const without = await withGateway('server: { host: 127.0.0.1 }', {});
    assert.ok(without.some((line) => line.level === 40 && /admin\.tokens is empty and TOLLGATE_ADMIN_TOKEN is not set/.test(line.msg)));
  });
});
