import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import pino from 'pino';
import { parse } from 'yaml';
import { ConfigError } from '../../src/config/format-issues.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { loadImplementations } from '../../src/gateway/load-implementations.ts';
import { Runtime } from '../../src/gateway/runtime.ts';
import { pluginDefinitions } from '../../src/plugins/registry.ts';
import { providerDefinitions } from '../../src/providers/registry.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';
import { UpstreamClient } from '../../src/upstream/upstream-client.ts';
import { runCli } from '../helpers/run-cli.ts';

const root = new URL('../../', import.meta.url);

/** What the bench configs read from the environment (bench/run.ts sets them), so `config validate` takes them. */
const benchEnv = { BENCH_GATEWAY_PORT: '18000', BENCH_UPSTREAM_URL: 'http://127.0.0.1:19000', BENCH_STREAM_PREFIX: '', BENCH_MANY_STREAMS_PREFIX: '', BENCH_DATA_DIR: '/tmp/tollgate-bench', BENCH_WORKERS: '2' };

/** The problems `config validate` finds in a config text (parse, then build as start does); [] when it is valid. */
async function validateProblems(text: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const upstream = new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 });
  try {
    const loaded = parseConfig(text, 'test.yaml', env, { refuseEmpty: true });
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

/** The config the Kubernetes ConfigMap mounts, as written in it. */
async function configMapConfig(): Promise<string> {
  const manifest = parse(await readFile(new URL('deploy/kubernetes/configmap.yaml', root), 'utf8')) as { data: Record<string, string> };
  return manifest.data['tollgate.yaml'];
}

// The README calls `tollgate config schema` the JSON Schema for editors: an editor (yaml-language-
// server, like this test, uses a draft 2020-12 validator on the YAML as written) must take every
// config `config validate` takes, `${...}` references included, and flag what it refuses in
// plugin names and settings too.
describe('tollgate config schema, as an editor checks a file with it', () => {
  let check: (text: string) => string[];

  before(async () => {
    const printed = await runCli(['config', 'schema']);
    assert.equal(printed.code, 0, printed.stderr);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(printed.stdout) as object);
    check = (text) => (validate(parse(text)) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`));
  });

  it('takes the bundled example, the bench configs and the Kubernetes ConfigMap\'s config, which config validate takes', async () => {
    const files: Array<{ name: string; text: string; env: NodeJS.ProcessEnv }> = [{ name: 'tollgate.example.yaml', text: await readFile(new URL('tollgate.example.yaml', root), 'utf8'), env: {} }];
    for (const name of (await readdir(new URL('bench/configs/', root))).filter((file) => file.endsWith('.yaml'))) {
      files.push({ name: `bench/configs/${name}`, text: await readFile(new URL(`bench/configs/${name}`, root), 'utf8'), env: benchEnv });
    }
    files.push({ name: 'deploy/kubernetes/configmap.yaml', text: await configMapConfig(), env: { DATABASE_URL: 'postgres://tollgate@db/tollgate', REDIS_URL: 'redis://redis:6379' } });
    for (const file of files) {
      assert.deepEqual(await validateProblems(file.text, file.env), [], `config validate refuses ${file.name}`);
      assert.deepEqual(check(file.text), [], `the schema refuses ${file.name}`);
    }
  });

  it('takes a ${...} reference wherever the environment may supply a value, and still refuses a wrong value written out', () => {
    assert.deepEqual(check('server: { port: "${TOLLGATE_PORT:-8000}", workers: "${WORKERS:-1}" }\nlog: { level: "${TOLLGATE_LOG_LEVEL:-info}", access_log: "${ACCESS_LOG}" }\n'), []);
    assert.deepEqual(check('server: { port: "${TOLLGATE_PORT:-8000}" }\nlog: { level: "${TOLLGATE_LOG_LEVEL:-info}" }\nproviders: { up: { type: openai-compatible, base_url: "http://${UP_HOST}:8080/v1" } }\nplugins: { prompt-guard: { threshold: "${GUARD_THRESHOLD:-0.7}" } }\n'), []);
    assert.notDeepEqual(check('server: { port: eighty }\n'), []);
    assert.notDeepEqual(check('log: { level: loud }\n'), []);
    assert.notDeepEqual(check('server: { port: "8${PORT}" }\n'), [], 'only a whole reference can become a number');
  });

  it('refuses a mistyped plugin name and a plugin setting its schema refuses, wherever plugins are set', () => {
    assert.notDeepEqual(check('plugins: { prompt-gaurd: { action: block } }\n'), []);
    assert.notDeepEqual(check('plugins: { pii: { request: maks } }\n'), []);
    assert.notDeepEqual(check('plugins: { pii: { reqest: mask } }\n'), []);
    assert.notDeepEqual(check('plugins: { cache: { ttl: 300 } }\n'), [], 'a bare number is no duration');
    assert.notDeepEqual(check('routes: [{ match: { model: a }, model: echo/a, plugins: { pii: { request: maks } } }]\n'), []);
    assert.notDeepEqual(check('consumers: { alice: { plugins: { prompt-gaurd: {} } } }\n'), []);
    assert.notDeepEqual(check('teams: { search: { plugins: { rate-limit: { limits: [{ requests: 5, per: week }] } } } }\n'), []);
    // The same settings written correctly, on, off, or with their defaults.
    assert.deepEqual(check('plugins: { pii: { request: mask, response: redact }, prompt-guard: { action: block }, cache: false, key-auth: {}, metrics: true, tracing: ~, cost: { enabled: false } }\nroutes: [{ match: { model: a }, model: echo/a, plugins: { pii: false } }]\n'), []);
  });

  it('takes a custom plugin\'s name and settings where custom_plugins declares modules (their validate() checks them)', () => {
    assert.deepEqual(check('custom_plugins: [{ path: ./plugins/team-headers.mjs }]\nplugins: { team-headers: { team: search } }\n'), []);
    assert.notDeepEqual(check('plugins: { team-headers: { team: search } }\n'), [], 'without custom_plugins, no plugin of that name exists');
  });

  it('refuses what the operator audit\'s editor missed, as config validate does', async () => {
    for (const [text, problem] of [
      ['plugins: { prompt-gaurd: { action: block } }\n', /^plugins\.prompt-gaurd: unknown plugin "prompt-gaurd"/],
      ['plugins: { pii: { request: maks } }\n', /^plugins\.pii\.request: expected one of "block", "redact", "mask", "log-only", "off", got "maks" \(did you mean "mask"\?\)$/],
    ] as const) {
      assert.match((await validateProblems(text, {}))[0] ?? '', problem);
      assert.notDeepEqual(check(text), []);
    }
  });
});
