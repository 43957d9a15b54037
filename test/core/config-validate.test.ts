import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/run-cli.ts';

/**
 * `tollgate config validate` refuses what `tollgate start` would refuse (the store and Redis
 * URLs follow one rule each), and a YAML syntax error is reported once, where it is.
 */
describe('tollgate config validate', () => {
  let folder: string;
  const file = async (name: string, text: string): Promise<string> => {
    const path = join(folder, name);
    await writeFile(path, text);
    return path;
  };
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-validate-'));
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it('refuses a storage URL the store cannot open, as start does', async () => {
    const result = await runCli(['config', 'validate', await file('storage.yaml', 'storage: "postgress://x"\n')]);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, /storage: expected sqlite:PATH or postgres:\/\/\.\.\., got "postgress:\/\/x"/);
    const sqlite = await runCli(['config', 'validate', await file('sqlite.yaml', 'storage: "sqlite:"\n')]);
    assert.match(sqlite.stderr, /storage: sqlite: needs a file path/);
  });

  it('refuses a Redis address without its scheme, and says how to write it', async () => {
    const result = await runCli(['config', 'validate', await file('redis.yaml', 'redis: "localhost:6379"\n')]);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, /redis: expected a URL starting with redis:\/\/ or rediss:\/\/, got "localhost:6379" \(e\.g\. redis:\/\/127\.0\.0\.1:6379/);
    const plugin = await runCli(['config', 'validate', await file('plugin-redis.yaml', 'plugins: { cache: { backend: redis, redis_url: "127.0.0.1:6379" } }\n')]);
    assert.match(plugin.stderr, /plugins\.cache\.redis_url: expected a URL starting with redis:\/\//);
  });

  it('reports an unquoted ${VAR} in a flow map once, with the line, and says to quote it', async () => {
    const text = 'server: { port: ${PORT:-8000}, host: 127.0.0.1 }\nadmin:\n  port: 8001\nproviders:\n  a: { type: openai, api_key: "x" }\n';
    const result = await runCli(['config', 'validate', await file('flow.yaml', text)]);
    assert.equal(result.code, 1);
    const problems = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    assert.equal(problems.length, 1, result.stderr);
    assert.match(problems[0], /^ {2}- YAML: .* at line 1, column \d+$/);
    assert.match(result.stderr, /server: \{ port: \$\{PORT:-8000\}, host: 127\.0\.0\.1 \}\n\s+\^/);
    assert.match(result.stderr, /An environment reference inside \{ \} or \[ \] must be quoted: write "\$\{PORT:-8000\}", not \$\{PORT:-8000\}\./);
    assert.match(result.stderr, /more YAML errors? after this one, most likely caused by it: fix it first/);
    assert.ok(result.stderr.split('\n').length < 10, `a few lines, not hundreds:\n${result.stderr}`);
  });

  it('takes an empty Redis URL (an unset ${REDIS_URL}) as no Redis, with a warning', async () => {
    const result = await runCli(['config', 'validate', await file('unset-redis.yaml', 'redis: "${REDIS_URL}"\nzero_config: false\n')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /warning: environment variable REDIS_URL is not set/);
  });

  it('refuses a content-rules pattern the gateway cannot match in linear time, naming its path', async () => {
    const result = await runCli(['config', 'validate', await file('pattern.yaml', 'plugins:\n  content-rules:\n    required_metadata: [{ header: x-cost-center, pattern: "cc-(?=[0-9])[0-9]+" }]\n')]);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, /plugins\.content-rules\.required_metadata\[0\]\.pattern: uses lookahead \(\(\?= or \(\?!\); the gateway matches patterns in linear time with RE2/);
  });

  it('accepts the same settings written correctly', async () => {
    const text = 'server: { port: "${PORT:-8000}" }\nstorage: "sqlite::memory:"\nredis: "redis://127.0.0.1:6379/2"\nzero_config: false\n';
    const result = await runCli(['config', 'validate', await file('good.yaml', text)]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /valid/);
  });
});
