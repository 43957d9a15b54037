import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** The `tollgate` command run in `cwd` with only PATH and `env` in its environment. */
function tollgate(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The problem lines of a refusal (`  - path: message`). */
const problemsOf = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('  - ')).map((line) => line.slice(4));

/** The operator audit's config (.audit/operator/tollgate.yaml), trimmed: an edit of it makes each broken file. */
const base = `zero_config: false
storage: "sqlite::memory:"
providers:
  echo: { type: echo, models: [echo-1] }
  openai: { type: openai, api_key: sk-stub, base_url: "http://127.0.0.1:9/v1", models: [gpt-4o-mini] }
  anthropic: { type: anthropic, api_key: sk-ant-stub, base_url: "http://127.0.0.1:9", models: [claude-sonnet-4-5] }
models:
  smart: { targets: [{ provider: openai, model: gpt-4o-mini }, { provider: anthropic, model: claude-sonnet-4-5 }] }
  backup: { targets: [{ provider: anthropic, model: claude-sonnet-4-5 }] }
  assistant-v1: { targets: [{ provider: openai, model: gpt-4o-mini }] }
  assistant-v2: { targets: [{ provider: anthropic, model: claude-sonnet-4-5 }] }
routes:
  - { name: with-fallback, match: { model: resilient }, model: smart, fallbacks: [backup] }
  - name: assistant-canary
    match: { model: assistant }
    split:
      - { model: assistant-v1, weight: 90 }
      - { model: assistant-v2, weight: 10, name: v2 }
plugins:
  pii: { request: mask, response: redact }
`;

// The operator audit's weaker `config validate` messages (finding 5): each now quotes the bad
// value, says what was likely meant, and reports only the root problem.
describe('config validate: what a first-time operator reads', () => {
  let folder: string;
  const file = async (name: string, text: string): Promise<string> => {
    const path = join(folder, name);
    await writeFile(path, text);
    return path;
  };
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-validate-messages-'));
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it('takes the audit config as it is', async () => {
    const result = await tollgate(['config', 'validate', await file('good.yaml', base)], folder);
    assert.equal(result.code, 0, result.stderr);
  });

  it('quotes the value zod only described: a weight written as a word, an option misspelt', async () => {
    const weight = await tollgate(['config', 'validate', await file('b11.yaml', base.replace('weight: 10,', 'weight: ten,'))], folder);
    assert.deepEqual(problemsOf(weight.stderr), ['routes[1].split[1].weight: expected a number, got "ten"']);
    const option = await tollgate(['config', 'validate', await file('b12.yaml', base.replace('request: mask', 'request: maks'))], folder);
    assert.deepEqual(problemsOf(option.stderr), ['plugins.pii.request: expected one of "block", "redact", "mask", "log-only", "off", got "maks" (did you mean "mask"?)']);
  });

  it('says which field an unknown one most likely meant, else the fields there are', async () => {
    const host = await tollgate(['config', 'validate', await file('b10.yaml', `server: { port: 8000, hots: 127.0.0.1 }\n${base}`)], folder);
    assert.deepEqual(problemsOf(host.stderr), ['server: unknown field "hots" (did you mean "host"?)']);
    const key = await tollgate(['config', 'validate', await file('b14.yaml', base.replace('api_key: sk-stub,', 'api_kye: sk-stub,'))], folder);
    assert.deepEqual(problemsOf(key.stderr), ['providers.openai: unknown field "api_kye" (did you mean "api_key"?)']);
    const unrelated = await tollgate(['config', 'validate', await file('unrelated.yaml', `log: { colour: red }\n${base}`)], folder);
    assert.deepEqual(problemsOf(unrelated.stderr), ['log: unknown field "colour" (known: level, format, access_log)']);
  });

  it('reports a mistyped provider type alone, not a "no provider named" for everything that names the provider', async () => {
    const result = await tollgate(['config', 'validate', await file('b7.yaml', base.replace('type: anthropic,', 'type: antropic,'))], folder);
    assert.equal(result.code, 1);
    const problems = problemsOf(result.stderr);
    assert.equal(problems.length, 1, result.stderr);
    assert.match(problems[0], /^providers\.anthropic\.type: unknown provider type "antropic" \(known: echo, openai, /);
  });

  it('without a file, checks the file start would load: --config, $TOLLGATE_CONFIG, ./tollgate.yaml, the bundled example', async () => {
    const own = join(folder, 'own');
    await mkdir(own);
    const bundled = await tollgate(['config', 'validate'], own);
    assert.equal(bundled.code, 0, bundled.stderr);
    assert.match(bundled.stdout, /^checking .*tollgate\.example\.yaml \(the file start would load: /);
    await writeFile(join(own, 'tollgate.yaml'), base.replace('weight: 10,', 'weight: ten,'));
    const local = await tollgate(['config', 'validate'], own);
    assert.equal(local.code, 1);
    assert.match(local.stdout, /^checking tollgate\.yaml /);
    assert.match(local.stderr, /routes\[1\]\.split\[1\]\.weight: expected a number, got "ten"/);
    const fromEnv = await tollgate(['config', 'validate'], own, { TOLLGATE_CONFIG: await file('env.yaml', base) });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.match(fromEnv.stdout, /env\.yaml: valid\./);
  });

  it('says "no such file" with the path it looked at, for validate and start', async () => {
    const validate = await tollgate(['config', 'validate', 'nope.yaml'], folder);
    assert.equal(validate.code, 1);
    assert.deepEqual(problemsOf(validate.stderr), [`no such file: ${join(folder, 'nope.yaml')}`]);
    const start = await tollgate(['start', '--config', 'nope.yaml'], folder);
    assert.equal(start.code, 2);
    assert.deepEqual(problemsOf(start.stderr), [`no such file: ${join(folder, 'nope.yaml')}`]);
  });

  it('never quotes a value under a secret-looking name', async () => {
    const result = await tollgate(['config', 'validate', await file('secret.yaml', `admin: { tokens: [{ token: 918273645546372819 }] }\n${base}`)], folder);
    assert.deepEqual(problemsOf(result.stderr), ['admin.tokens[0].token: expected text, got a value not quoted here (the field may hold a secret)']);
  });
});
