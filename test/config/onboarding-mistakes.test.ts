import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { ConfigError } from '../../src/config/format-issues.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { loadImplementations } from '../../src/gateway/load-implementations.ts';
import { Runtime } from '../../src/gateway/runtime.ts';
import { pluginDefinitions } from '../../src/plugins/registry.ts';
import { providerDefinitions } from '../../src/providers/registry.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';
import { UpstreamClient } from '../../src/upstream/upstream-client.ts';
import { runCli } from '../helpers/run-cli.ts';
import { startGateway } from '../helpers/start-gateway.ts';

// The configuration mistakes a first-time user made (the onboarding audit): each is refused at
// load, naming the path, the cause and the fix, rather than surfacing as a failed call.

/** The problems of a config text, or [] when it is valid (parse, then build as start and `config validate` do). */
async function problems(text: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const upstream = new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 });
  try {
    const loaded = parseConfig(text, 'test.yaml', env);
    await loadImplementations(loaded.config, { providerDefinitions, pluginDefinitions, env });
    const runtime = Runtime.build(loaded, { providerDefinitions, pluginDefinitions, upstream, logger: pino({ level: 'silent' }), metrics: new GatewayMetrics(), env });
    await runtime.close();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  } finally {
    await upstream.close();
  }
}

describe('durations', () => {
  it('refuses a bare number, which read as milliseconds, and says to write the unit', async () => {
    assert.deepEqual(await problems('upstream: { timeouts: { first_byte: 3 } }'), ['upstream.timeouts.first_byte: a bare number is ambiguous: write the unit, such as 3s or 3ms (only 0 may go without one)']);
    assert.match((await problems('usage: { flush_interval: 50 }'))[0], /^usage\.flush_interval: a bare number is ambiguous: write the unit, such as 50s or 50ms/);
    assert.match((await problems('providers: { p: { type: echo, timeouts: { total: 30 } } }'))[0], /^providers\.p\.timeouts\.total: a bare number is ambiguous/);
    assert.match((await problems('plugins: { cache: { ttl: 300 } }'))[0], /^plugins\.cache\.ttl: a bare number is ambiguous/);
  });

  it('takes durations with their unit, and 0 without one', async () => {
    assert.deepEqual(await problems('upstream: { timeouts: { connect: 0, first_byte: 3s, idle: 0, total: 0 } }\nusage: { flush_interval: 50ms }'), []);
  });

  it('reads a total timeout of 0 as off, as 0 is for the other timeouts, not as "time out at once"', async () => {
    const upstream = new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 });
    const loaded = parseConfig('upstream: { timeouts: { total: 0 } }\nproviders: { own: { type: echo, timeouts: { total: 0 } }, other: { type: echo, timeouts: { total: 5s } } }', 'test.yaml', {});
    await loadImplementations(loaded.config, { providerDefinitions, pluginDefinitions, env: {} });
    const runtime = Runtime.build(loaded, { providerDefinitions, pluginDefinitions, upstream, logger: pino({ level: 'silent' }), metrics: new GatewayMetrics(), env: {} });
    try {
      const day = 86_400_000;
      assert.ok(runtime.providers.get('own')!.settings.timeouts.total > 20 * day);
      assert.ok(runtime.providers.get('echo')!.settings.timeouts.total > 20 * day, 'the global upstream.timeouts.total: 0');
      assert.equal(runtime.providers.get('other')!.settings.timeouts.total, 5000);
    } finally {
      await runtime.close();
      await upstream.close();
    }
  });
});

describe('provider base URLs', () => {
  it('refuses a misspelt scheme and a URL without one, saying how to write it', async () => {
    assert.deepEqual(await problems('providers: { htp: { type: openai-compatible, base_url: "htp://127.0.0.1:19810/v1" } }'), ['providers.htp.base_url: expected a URL starting with http:// or https://, got "htp://127.0.0.1:19810/v1" (htp:// is no scheme a provider is called with)']);
    assert.deepEqual(await problems('providers: { noscheme: { type: openai-compatible, base_url: "localhost:19810/v1" } }'), ['providers.noscheme.base_url: expected a URL starting with http:// or https://, got "localhost:19810/v1", whose host reads as a scheme (write http://localhost:19810/v1)']);
    assert.deepEqual(await problems('providers: { ok: { type: openai-compatible, base_url: "http://localhost:19810/v1" } }'), []);
  });

  it('refuses an openai-compatible provider without a base_url (it has no default address)', async () => {
    assert.deepEqual(await problems('providers: { nobase: { type: openai-compatible, models: [x] } }'), ['providers.nobase.base_url: required for type openai-compatible, which has no default address; write the server\'s URL, e.g. base_url: "http://127.0.0.1:8000/v1"']);
  });

  it('refuses a base URL from the environment that cannot be called, naming the variable (OLLAMA_HOST may omit its scheme)', async () => {
    assert.deepEqual(await problems('{}', { OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'localhost:8080/v1' }), ['OPENAI_BASE_URL (environment variable, the base URL of provider openai): expected a URL starting with http:// or https://, got "localhost:8080/v1", whose host reads as a scheme (write http://localhost:8080/v1)']);
    assert.deepEqual(await problems('{}', { OLLAMA_HOST: 'gpu-box:11434' }), []);
  });
});

describe('listeners, routes and provider entries', () => {
  it('refuses an admin port equal to the data port, unless the two listen on different addresses', async () => {
    assert.deepEqual(await problems('server: { port: 19809 }\nadmin: { port: 19809 }'), ['admin.port: 19809 is server.port too: the Admin API needs a port of its own (default 8001), or admin.enabled: false']);
    assert.deepEqual(await problems('server: { port: 19809, host: 127.0.0.1 }\nadmin: { port: 19809, host: 127.0.0.2 }'), []);
    assert.deepEqual(await problems('server: { port: 19809 }\nadmin: { port: 19809, enabled: false }'), []);
  });

  it('refuses a listen host that is neither an IP address nor a host name', async () => {
    assert.match((await problems('server: { host: "not a host" }'))[0], /^server\.host: expected an IP address or a host name to listen on, such as 0\.0\.0\.0 \(every interface\), 127\.0\.0\.1 or ::, got "not a host"$/);
    assert.match((await problems('admin: { host: "[::1]" }'))[0], /^admin\.host: .*write an IPv6 address without brackets \(::1\)$/);
    assert.deepEqual(await problems('server: { host: "::" }\nadmin: { host: localhost }'), []);
  });

  it('refuses two routes of one name (the name identifies a route)', async () => {
    assert.deepEqual(await problems('routes:\n  - { name: premium, match: { model: a }, model: echo/x }\n  - { name: premium, match: { model: b }, model: echo/y }'), [
      'routes[1].name: "premium" is already the name of routes[0]; route names must be unique (they identify a route in x-tollgate-route, the usage ledger and /routes/{id})',
    ]);
  });

  it('refuses a given route name an unnamed route goes by (route-<index>): their records would merge under one name', async () => {
    assert.deepEqual(await problems('routes:\n  - { name: route-1, match: { model: a }, model: echo/x }\n  - { match: { model: b }, model: echo/y }'), [
      'routes[0].name: "route-1" is the name routes[1] goes by (it has none of its own: an unnamed route is route-<index>); route names must be unique (they identify a route in x-tollgate-route, the usage ledger and /routes/{id})',
    ]);
    assert.deepEqual(await problems('routes:\n  - { name: route-1, match: { model: a }, model: echo/x }\n  - { name: other, match: { model: b }, model: echo/y }'), []);
  });

  it('reports an unknown provider type beside the schema problems, not only once they are fixed', async () => {
    const found = await problems('server: { port: "x" }\nproviders:\n  a: { type: nonsense }\n  b: { type: echo, options: { chunk_delay: 5 } }\n  c: { type: openai-compatible }');
    assert.equal(found.length, 4, found.join('\n'));
    assert.match(found[0], /^server\.port: /);
    assert.match(found[1], /^providers\.a\.type: unknown provider type "nonsense" \(known: echo, openai, /);
    assert.match(found[2], /^providers\.b\.options: unknown field "chunk_delay"/);
    assert.match(found[3], /^providers\.c\.base_url: required for type openai-compatible/);
  });

  it('says why a provider name or a providers list is refused, and what body_limit and retry.on take', async () => {
    assert.deepEqual(await problems('providers: { "my/openai": { type: openai } }'), ['providers.my/openai: provider names use letters, digits, _ . - (clients write name/model, so a name holds no /)']);
    assert.deepEqual(await problems('providers:\n  - { type: openai }'), ['providers: expected a mapping (name: value, ...), got a list (- ...)']);
    assert.match((await problems('server: { body_limit: 1gb }'))[0], /^server\.body_limit: expected a size such as 512kb, 10mib or 32mib, or a number of bytes \(kb and mb count 1000s, kib and mib 1024s/);
    assert.match((await problems('routing: { retry: { on: [timeout, 418, "5xx"] } }'))[0], /^routing\.retry\.on\[2\]: expected connect_error, timeout, bad_response, or an HTTP status from 400 to 599 as a number \(503, not "5xx"\)$/);
  });
});

describe('values from the environment', () => {
  it('names the variable a refused value came from, and a Kubernetes service link for what it is', async () => {
    const example = 'server:\n  port: ${TOLLGATE_PORT:-8000}\n';
    const [port] = await problems(example, { TOLLGATE_PORT: 'tcp://10.0.0.1:8000' });
    assert.match(port, /^server\.port: .*\(environment variable TOLLGATE_PORT is "tcp:\/\/10\.0\.0\.1:8000": Kubernetes sets that for a Service named tollgate; set enableServiceLinks: false in the pod spec/);
    const [storage] = await problems('storage: "${DATABASE_URL}"');
    assert.equal(storage, 'storage: expected sqlite:PATH or postgres://..., got "" (environment variable DATABASE_URL is not set)');
    const [host] = await problems('server: { host: "${BIND_HOST}" }', { BIND_HOST: 'http://0.0.0.0' });
    assert.match(host, /^server\.host: .*got "http:\/\/0\.0\.0\.0"; no scheme or port here \(from environment variable BIND_HOST\)$/);
  });
});

describe('YAML', () => {
  it('says to quote a value that holds a colon, such as sqlite::memory:', async () => {
    const [problem] = await problems('storage: sqlite::memory:\n');
    assert.match(problem, /^YAML: /);
    assert.match(problem, /A value that holds ": " or ends with ":" must be quoted: write storage: "sqlite::memory:"\./);
    assert.deepEqual(await problems('storage: "sqlite::memory:"\n'), []);
  });
});

describe('config validate and start refuse them', () => {
  let folder: string;
  const file = async (name: string, text: string): Promise<string> => {
    const path = join(folder, name);
    await writeFile(path, text);
    return path;
  };
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-mistakes-'));
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it('config validate: exit 1 and every problem, first pass and second', async () => {
    const schema = await runCli(['config', 'validate', await file('first.yaml', 'zero_config: false\nupstream: { timeouts: { first_byte: 3 } }\nproviders:\n  htp: { type: openai-compatible, base_url: "htp://127.0.0.1:19810/v1" }\n  odd: { type: nonsense }\n')]);
    assert.equal(schema.code, 1, schema.stdout);
    assert.match(schema.stderr, /upstream\.timeouts\.first_byte: a bare number is ambiguous/);
    assert.match(schema.stderr, /providers\.htp\.base_url: expected a URL starting with http:\/\/ or https:\/\//);
    assert.match(schema.stderr, /providers\.odd\.type: unknown provider type "nonsense"/);
    const built = await runCli(['config', 'validate', await file('second.yaml', 'zero_config: false\nserver: { port: 19809 }\nadmin: { port: 19809 }\n')]);
    assert.equal(built.code, 1, built.stdout);
    assert.match(built.stderr, /admin\.port: 19809 is server\.port too/);
    const nobase = await runCli(['config', 'validate', await file('nobase.yaml', 'zero_config: false\nproviders: { nobase: { type: openai-compatible } }\n')]);
    assert.equal(nobase.code, 1, nobase.stdout);
    assert.match(nobase.stderr, /providers\.nobase\.base_url: required for type openai-compatible/);
  });

  it('start: exit 2 with the problem, before listening', async () => {
    const result = await runCli(['start', '--config', await file('start.yaml', 'storage: "sqlite::memory:"\nzero_config: false\nserver: { port: 0 }\nadmin: { port: 0 }\nproviders: { nobase: { type: openai-compatible } }\n')]);
    assert.equal(result.code, 2, result.stdout);
    assert.match(result.stderr, /providers\.nobase\.base_url: required for type openai-compatible/);
  });

  it('reload: refused, the running configuration kept', async () => {
    const path = await file('reload.yaml', 'zero_config: false\nproviders: { local: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" } }\n');
    const gw = await startGateway('', {}, { configPath: path });
    try {
      await writeFile(path, 'zero_config: false\nproviders: { local: { type: openai-compatible, base_url: "localhost:9/v1" } }\n');
      assert.equal(await gw.gateway.reload(), false);
      assert.equal(gw.gateway.runtime.providers.get('local')?.settings.baseUrl, 'http://127.0.0.1:9/v1');
    } finally {
      await gw.close();
    }
  });
});
