// Through the real gateway: a plugin's code is imported only when the running config uses it.
// Every module resolution is recorded from the first line on, so this file imports the gateway
// (and everything it imports) dynamically, after the hook is in place.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const resolved = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.add(result.url);
    return result;
  },
});

const { startGateway } = await import('../helpers/start-gateway.ts');

const jwtImplementation = new URL('../../src/plugins/jwt/index.ts', import.meta.url).href;
const jwtDefinition = new URL('../../src/plugins/jwt/definition.ts', import.meta.url).href;
const packageLoaded = (name: string): boolean => [...resolved].some((url) => url.includes(`/node_modules/${name}/`));

const withoutJwt = 'models: { demo: { targets: [{ provider: echo, model: m }] } }\n';
const withJwt = `${withoutJwt}plugins: { jwt: { secret: "a-test-secret-of-at-least-32-bytes!!" } }\n`;

function chat(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hello' }] }) });
}

describe('plugin code on demand', () => {
  it('a config without jwt never imports its implementation (nor jose); a reload that enables jwt does', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-on-demand-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, withoutJwt);
    const gw = await startGateway('', {}, { configPath: path });
    try {
      assert.equal((await chat(gw.url)).status, 200);
      assert.ok(resolved.has(jwtDefinition), 'the definition is there for config validation');
      assert.equal(resolved.has(jwtImplementation), false, 'src/plugins/jwt/index.ts was imported without jwt in the config');
      assert.equal(packageLoaded('jose'), false, 'jose was imported without jwt in the config');

      // A bad jwt config is refused as before, and the running config stays.
      await writeFile(path, `${withoutJwt}plugins: { jwt: {} }\n`);
      assert.equal(await gw.gateway.reload(), false);
      assert.equal((await chat(gw.url)).status, 200);

      await writeFile(path, withJwt);
      assert.equal(await gw.gateway.reload(), true);
      assert.ok(resolved.has(jwtImplementation) && packageLoaded('jose'), 'the reload imported the jwt plugin');
      const missing = await chat(gw.url);
      assert.equal(missing.status, 401);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'missing_token');
      const invalid = await chat(gw.url, { authorization: 'Bearer aaa.bbb.ccc' });
      assert.equal(invalid.status, 401);
      assert.equal(((await invalid.json()) as { error: { code: string } }).error.code, 'invalid_token');
    } finally {
      await gw.close();
    }
  });
});
