import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { z } from 'zod';
import { parseConfig } from '../../src/config/load-config.ts';
import { ImplementationNotLoadedError } from '../../src/errors/implementation-not-loaded-error.ts';
import { implementationsInUse } from '../../src/gateway/load-implementations.ts';
import { Runtime } from '../../src/gateway/runtime.ts';
import { PipelineCompiler } from '../../src/pipeline/compile-pipeline.ts';
import { definePlugin } from '../../src/pipeline/define-plugin.ts';
import type { Plugin, PluginDefinition } from '../../src/pipeline/plugin.ts';
import { pluginDefinitions } from '../../src/plugins/registry.ts';
import { defineProvider } from '../../src/providers/define-provider.ts';
import type { Provider, ProviderDefinition } from '../../src/providers/provider.ts';
import { providerDefinitions } from '../../src/providers/registry.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';
import { UpstreamClient } from '../../src/upstream/upstream-client.ts';

const silent = pino({ level: 'silent' });

/** The names of the plugins and provider types whose code a config needs, sorted. */
function inUse(text: string, env: NodeJS.ProcessEnv = {}): { plugins: string[]; providers: string[] } {
  const { plugins, providers } = implementationsInUse(parseConfig(text, 'test.yaml', env).config, { pluginDefinitions, providerDefinitions, env });
  return { plugins: plugins.map((plugin) => plugin.name).sort(), providers: providers.map((provider) => provider.type).sort() };
}

const enabledByDefault = ['access-log', 'cost', 'metrics', 'prompt-template', 'rate-limit', 'usage-ledger'];

describe('the implementations a config needs', () => {
  it('are the plugins enabled by default and the echo provider for an empty config', () => {
    assert.deepEqual(inUse('{}'), { plugins: enabledByDefault, providers: ['echo'] });
  });

  it('leave out what the config turns off, and add what it turns on', () => {
    assert.deepEqual(inUse('log: { access_log: false }').plugins, enabledByDefault.filter((name) => name !== 'access-log'));
    assert.deepEqual(inUse('log: { access_log: false }\nplugins: { access-log: {} }').plugins, enabledByDefault);
    const configured = inUse('plugins: { jwt: { secret: "0123456789abcdef0123456789abcdef" }, rate-limit: false, cost: { enabled: false } }').plugins;
    assert.deepEqual(configured, ['access-log', 'jwt', 'metrics', 'prompt-template', 'usage-ledger']);
  });

  it("include every route's own plugins; a route turning a global plugin off still needs the global one", () => {
    const { plugins } = inUse('routes: [{ match: { model: a }, plugins: { pii: { request: mask }, metrics: false } }, { match: { model: b }, plugins: { byok: { providers: ["*"] }, cache: false } }]');
    assert.deepEqual(plugins, [...enabledByDefault, 'byok', 'pii'].sort());
  });

  it('are the types of configured providers, of zero-config providers and echo', () => {
    const env = { GROQ_API_KEY: 'g', VLLM_BASE_URL: 'http://127.0.0.1:9/v1' };
    assert.deepEqual(inUse('providers: { claude: { type: anthropic, api_key: k } }', env).providers, ['anthropic', 'echo', 'groq', 'vllm']);
    assert.deepEqual(inUse('zero_config: false\nproviders: { claude: { type: anthropic, api_key: k } }', env).providers, ['anthropic', 'echo']);
    // An entry named like a type takes that name, so the zero-config provider of the type is not made.
    assert.deepEqual(inUse('providers: { openai: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" } }', { OPENAI_API_KEY: 'sk' }).providers, ['echo', 'openai-compatible']);
  });

  it('ignore unknown names, which building the Runtime reports', () => {
    // parseConfig itself refuses an unknown provider type (load-config.ts); a config object built otherwise may still hold one.
    const { config } = parseConfig('plugins: { no-such-plugin: {} }\nproviders: { p: { type: echo } }', 'test.yaml', {});
    config.providers.p.type = 'nonsense';
    const { plugins, providers } = implementationsInUse(config, { pluginDefinitions, providerDefinitions, env: {} });
    assert.deepEqual({ plugins: plugins.map((plugin) => plugin.name).sort(), providers: providers.map((provider) => provider.type).sort() }, { plugins: enabledByDefault, providers: ['echo'] });
  });
});

/** A plugin definition that counts the imports of its implementation. */
function countingPlugin(): { definition: PluginDefinition; imports: () => number; failNext: () => void } {
  let imports = 0;
  let fail = false;
  const definition = definePlugin<{ label: string }>({
    name: 'counting',
    description: 'A test plugin.',
    priority: 100,
    configSchema: z.object({ label: z.string().default('x') }).strict(),
    implementation: async () => {
      imports++;
      if (fail) {
        fail = false;
        throw new Error('cannot import');
      }
      return (config): Plugin => ({ name: `counting-${config.label}`, priority: 100 });
    },
  });
  return { definition: definition as PluginDefinition, imports: () => imports, failNext: () => (fail = true) };
}

describe('a definition whose code is not loaded', () => {
  it('refuses to make a plugin with an internal error naming it, and makes one once loaded', async () => {
    const { definition, imports } = countingPlugin();
    assert.throws(() => definition.create({ label: 'a' }, { logger: silent, metrics: new GatewayMetrics() }), (error: unknown) => error instanceof ImplementationNotLoadedError && /internal error: the code of the plugin "counting" was not loaded/.test(error.message));
    await Promise.all([definition.load(), definition.load()]);
    await definition.load();
    assert.equal(imports(), 1, 'imported once');
    assert.equal(definition.create({ label: 'a' }, { logger: silent, metrics: new GatewayMetrics() }).name, 'counting-a');
  });

  it('tries the import again after it failed', async () => {
    const { definition, imports, failNext } = countingPlugin();
    failNext();
    await assert.rejects(definition.load(), /cannot import/);
    await definition.load();
    assert.equal(imports(), 2);
  });

  it('is a programming error for the pipeline compiler, never reported as a config problem', () => {
    const { definition } = countingPlugin();
    const compiler = new PipelineCompiler(new Map([[definition.name, definition]]), { logger: silent, metrics: new GatewayMetrics() });
    const problems: string[] = [];
    assert.throws(() => compiler.compileGlobal({ counting: {} }, problems), ImplementationNotLoadedError);
    assert.deepEqual(problems, []);
  });

  it('makes Runtime.build throw when a provider type it needs was not loaded', async () => {
    const echo: ProviderDefinition = defineProvider({
      type: 'echo',
      description: 'A test provider.',
      defaultBaseUrl: 'echo://local',
      env: {},
      requiresApiKey: false,
      alwaysEnabled: true,
      implementation: async () => (settings): Provider => ({ settings, nativeFormat: null, operations: new Set(), send: () => Promise.reject(new Error('unused')) }),
    });
    assert.throws(() => echo.create({} as never, {} as never), /internal error: the code of the provider type "echo" was not loaded/);
    const upstream = new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 });
    const dependencies = { providerDefinitions: new Map([['echo', echo]]), pluginDefinitions: new Map(), upstream, logger: silent, metrics: new GatewayMetrics(), env: {} };
    try {
      assert.throws(() => Runtime.build(parseConfig('{}', 'test.yaml', {}), dependencies), ImplementationNotLoadedError);
    } finally {
      await upstream.close();
    }
  });
});
