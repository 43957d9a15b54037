import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { ConfigError } from '../../src/config/format-issues.ts';
import { loadConfigFile, parseConfig } from '../../src/config/load-config.ts';
import { configJsonSchema } from '../../src/config/config-json-schema.ts';
import { loadImplementations } from '../../src/gateway/load-implementations.ts';
import { Runtime } from '../../src/gateway/runtime.ts';
import { pluginDefinitions } from '../../src/plugins/registry.ts';
import { providerDefinitions } from '../../src/providers/registry.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';
import { UpstreamClient } from '../../src/upstream/upstream-client.ts';

const metrics = new GatewayMetrics();

/** Loads the config's plugins and providers the way the gateway does, then builds its Runtime. */
async function build(text: string, env: NodeJS.ProcessEnv = {}): Promise<Runtime> {
  const upstream = new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 });
  const loaded = parseConfig(text, 'test.yaml', env);
  await loadImplementations(loaded.config, { providerDefinitions, pluginDefinitions, env });
  return Runtime.build(loaded, { providerDefinitions, pluginDefinitions, upstream, logger: pino({ level: 'silent' }), metrics, env });
}

async function problemsOf(action: () => unknown): Promise<string[]> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('expected the config to be rejected');
}

describe('configuration', () => {
  it('loads the bundled example and the design contract example', async () => {
    const example = await loadConfigFile(new URL('../../tollgate.example.yaml', import.meta.url).pathname, {});
    assert.equal(example.config.server.port, 8000);
    assert.equal(example.config.admin.host, '127.0.0.1');
    const runtime = await build(`
server:   { port: 8000, host: 0.0.0.0 }
admin:    { port: 8001, host: 127.0.0.1, tokens: [{ token: "\${TOLLGATE_ADMIN_TOKEN}", role: admin }] }
storage:  sqlite:./data/tollgate.db
providers:
  openai:    { type: openai,    api_key: "\${OPENAI_API_KEY}" }
  local:     { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1" }
models:
  fast: { targets: [{ provider: openai, model: gpt-4o-mini }] }
  canary:
    strategy: weighted
    targets:
      - { provider: openai, model: gpt-4o-mini, weight: 90 }
      - { provider: local,  model: llama-3.1-8b, weight: 10 }
routes:
  - match: { model: "canary" }
    fallbacks: [fast]
`, { OPENAI_API_KEY: 'sk-x' });
    assert.deepEqual([...runtime.router.groups.keys()], ['fast', 'canary']);
  });

  it('substitutes ${VAR} and ${VAR:-default}, typing whole numbers', () => {
    const { config, missingEnv } = parseConfig('server: { port: "${PORT:-9000}" }\nredis: "${REDIS_URL}"\nproviders: { a: { type: openai, api_key: "k-${SUFFIX}" } }', 'x', { SUFFIX: 'abc' });
    assert.equal(config.server.port, 9000);
    assert.equal(config.providers.a.api_key, 'k-abc');
    assert.deepEqual(missingEnv, ['REDIS_URL']);
  });

  it('names the path and the problem for each mistake', async () => {
    assert.deepEqual(await problemsOf(() => parseConfig('providers: { local: { type: openai-compatible, base_url: localhost } }', 'x')), ['providers.local.base_url: expected a URL, got "localhost" (write it with its scheme: http://localhost)']);
    assert.deepEqual(await problemsOf(() => parseConfig('server: { port: 99999 }', 'x')), ['server.port: expected a number <= 65535, got 99999']);
    assert.deepEqual(await problemsOf(() => parseConfig('servr: {}', 'x')), ['(root): unknown field "servr" (did you mean "server"?)']);
    assert.deepEqual(await problemsOf(() => parseConfig('models: { a: { targets: [] } }', 'x')), ['models.a.targets: expected at least 1 item, got an empty list']);
    assert.match((await problemsOf(() => parseConfig('routes: [{ match: { model: 1 } }]', 'x')))[0], /^routes\[0\]\.match\.model: /);
    assert.match((await problemsOf(() => parseConfig('server: [unclosed', 'x')))[0], /^YAML: /);
  });

  it('never quotes a secret from the environment or the file in a problem', async () => {
    const env = { REDIS_PASSWORD: 'redis-pass-4f7a9c', UP_KEY: 'sk-upstream-secret-77c1', DB_PASSWORD: 'db-pass-91b2' };
    const problems = [
      ...(await problemsOf(() => parseConfig('redis: "redis:/:${REDIS_PASSWORD}@127.0.0.1:6379/11"', 'x', env))),
      ...(await problemsOf(() => parseConfig('redis: "127.0.0.1:6379?password=${REDIS_PASSWORD}"', 'x', env))),
      ...(await problemsOf(() => parseConfig('providers: { up: { type: openai-compatible, base_url: "127.0.0.1:9/v1?api_key=${UP_KEY}" } }', 'x', env))),
      ...(await problemsOf(() => parseConfig('providers: { up: { type: openai-compatible, base_url: "http//admin:${DB_PASSWORD}@127.0.0.1:9/v1" } }', 'x', env))),
      ...(await problemsOf(() => parseConfig('storage: "postgress://postgres:${DB_PASSWORD}@127.0.0.1/db"', 'x', env))),
      ...(await problemsOf(() => parseConfig('providers:\n  up: { type: openai, api_key: sk-literal-in-file-5e5e\n', 'x', env))),
    ];
    assert.equal(problems.length, 6, problems.join('\n'));
    for (const problem of problems) assert.doesNotMatch(problem, /redis-pass-4f7a9c|sk-upstream-secret-77c1|db-pass-91b2|sk-literal-in-file-5e5e/, problem);
    // What is left still says where and what the problem is.
    assert.match(problems[0], /^redis: expected a URL starting with redis:\/\/ or rediss:\/\/, got "redis:\/:\*\*\*@127\.0\.0\.1:6379\/11"/);
    assert.match(problems[2], /^providers\.up\.base_url: expected a URL, got "127\.0\.0\.1:9\/v1\?api_key=\*\*\*"/);
    assert.match(problems[5], /^YAML: /);
    // A path that names a secret is not a secret: the message after it is kept.
    assert.match((await problemsOf(() => build('plugins: { jwt: { secret: 5 } }')))[0], /^plugins\.jwt\.secret: .*expected/);
  });

  it('refuses a config file with nothing in it; {} is the defaults', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-config-'));
    for (const text of ['', '\n  \n', '# only a comment\n']) {
      await writeFile(join(folder, 'empty.yaml'), text);
      assert.deepEqual(await problemsOf(() => loadConfigFile(join(folder, 'empty.yaml'), {})), ['(root): the file is empty (or holds only comments); write {} to run on the defaults']);
    }
    await writeFile(join(folder, 'defaults.yaml'), '{}\n');
    assert.equal((await loadConfigFile(join(folder, 'defaults.yaml'), {})).config.server.port, 8000);
  });

  it('rejects references that lead nowhere', async () => {
    assert.deepEqual(await problemsOf(() => build('providers: { p: { type: nonsense } }')), ['providers.p.type: unknown provider type "nonsense" (known: ' + [...providerDefinitions.keys()].join(', ') + ')']);
    assert.match((await problemsOf(() => build('models: { a: { targets: [{ provider: missing, model: m }] } }')))[0], /^models\.a\.targets\[0\]\.provider: no provider named "missing"/);
    assert.match((await problemsOf(() => build('routes: [{ match: { model: x }, fallbacks: [nowhere] }]')))[0], /^routes\[0\]\.fallbacks\[0\]: "nowhere" names no model group/);
    assert.match((await problemsOf(() => build('plugins: { no-such-plugin: {} }')))[0], /^plugins\.no-such-plugin: unknown plugin/);
    assert.match((await problemsOf(() => build('plugins: { access-log: { verbose: true } }')))[0], /^plugins\.access-log: unknown field "verbose"/);
    assert.match((await problemsOf(() => build('models: { a: { strategy: weighted, targets: [{ provider: echo, model: m, weight: 0 }] } }')))[0], /^models\.a\.targets: the weighted strategy needs at least one target with a weight above 0/);
  });

  it('enables providers from the environment (zero-config) and honours <TYPE>_BASE_URL', async () => {
    const runtime = await build('{}', { OPENAI_API_KEY: 'sk-1', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    const openai = runtime.providers.get('openai');
    assert.equal(openai?.settings.baseUrl, 'http://127.0.0.1:9/v1');
    assert.equal(openai?.settings.apiKey, 'sk-1');
    assert.equal((await build('{}', {})).providers.has('openai'), false);
    assert.equal((await build('zero_config: false', { OPENAI_API_KEY: 'sk-1' })).providers.has('openai'), false);
    // A keyless local server type is enabled by its base URL alone.
    const local = (await build('{}', { VLLM_BASE_URL: 'http://127.0.0.1:9/v1' })).providers.get('vllm');
    assert.equal(local?.settings.baseUrl, 'http://127.0.0.1:9/v1');
  });

  it('enables a type by another variable its definition names (Bedrock: AWS_ACCESS_KEY_ID), its options from the environment', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', AWS_REGION: 'eu-west-1' };
    const bedrock = (await build('{}', env)).providers.get('bedrock');
    assert.equal(bedrock?.settings.apiKey, undefined);
    assert.deepEqual(bedrock?.settings.options, { access_key_id: 'AKIDEXAMPLE', secret_access_key: 'secret-example', region: 'eu-west-1' });
    // The Bedrock API key alone enables it too; without either it stays off.
    assert.equal((await build('{}', { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-key', AWS_REGION: 'us-east-1' })).providers.get('bedrock')?.settings.apiKey, 'bedrock-key');
    assert.equal((await build('{}', { AWS_REGION: 'us-east-1' })).providers.has('bedrock'), false);
    assert.equal((await build('zero_config: false', env)).providers.has('bedrock'), false);
  });

  it("reads an API key from its alternative variable when the SDK's own is unset (Cohere: COHERE_API_KEY beside CO_API_KEY)", async () => {
    assert.equal((await build('{}', { COHERE_API_KEY: 'co-alt' })).providers.get('cohere')?.settings.apiKey, 'co-alt');
    assert.equal((await build('{}', { CO_API_KEY: 'co-sdk', COHERE_API_KEY: 'co-alt' })).providers.get('cohere')?.settings.apiKey, 'co-sdk');
    assert.equal((await build('{}', {})).providers.has('cohere'), false);
  });

  it('publishes a JSON Schema with field descriptions', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }> };
    assert.ok(schema.properties.providers.description);
    assert.ok(schema.properties.server);
  });
});
