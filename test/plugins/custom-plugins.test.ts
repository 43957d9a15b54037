import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';
import { refusal } from '../helpers/openai-sdk.ts';
import { runCli } from '../helpers/run-cli.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startChatStandIn } from '../prompt-api/chat-stand-in.ts';

type StandIn = Awaited<ReturnType<typeof startChatStandIn>>;

/** A fixture module's absolute path (test/fixtures/custom-plugins/). */
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/custom-plugins/${name}`, import.meta.url));

const messages = (content: string): OpenAI.Chat.ChatCompletionMessageParam[] => [{ role: 'user', content }];

describe('custom plugins through the real gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startChatStandIn();
    gw = await startGateway(
      [
        'custom_plugins:',
        `  - { path: "${fixture('team-headers.mjs')}" }`,
        `  - { path: "${fixture('topic-guard.mjs')}" }`,
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "guarded" }',
        '    model: upstream/m',
        '    plugins: { topic-guard: { blocked: [Weapons] } }',
        '  - match: { model: "untagged" }',
        '    model: upstream/m',
        '    plugins: { team-headers: false }',
        '  - match: { model: "quiet" }',
        '    model: upstream/m',
        '    plugins: { team-headers: { enabled: false, team: other } }',
        'plugins:',
        '  team-headers: { team: search, served_by: edge-1 }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('adds a header to the upstream call and one to the answer (global config)', async () => {
    const before = upstream.requests.length;
    const { data, response } = await client.chat.completions.create({ model: 'upstream/m', messages: messages('Hi') }).withResponse();
    assert.equal(data.choices[0].message.content, 'Hi');
    assert.equal(response.headers.get('x-served-by'), 'edge-1');
    assert.equal(upstream.requests[before].headers['x-team'], 'search');
  });

  it('adds the answer header to a stream too', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'echo/x', messages: messages('Hi'), stream: true }).withResponse();
    assert.equal(response.headers.get('x-served-by'), 'edge-1');
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'Hi');
  });

  it('false and { enabled: false } turn it off on a route', async () => {
    for (const model of ['untagged', 'quiet']) {
      const before = upstream.requests.length;
      const { response } = await client.chat.completions.create({ model, messages: messages('Hi') }).withResponse();
      assert.equal(response.headers.get('x-served-by'), null, model);
      assert.equal(upstream.requests[before].headers['x-team'], undefined, model);
    }
  });

  it('a plugin configured on one route runs only there', async () => {
    const elsewhere = await client.chat.completions.create({ model: 'upstream/m', messages: messages('tell me about weapons') });
    assert.equal(elsewhere.choices[0].message.content, 'tell me about weapons');
    const before = upstream.requests.length;
    const error = await refusal(client.chat.completions.create({ model: 'guarded', messages: messages('tell me about weapons') }));
    assert.equal(error.status, 403);
    assert.equal(upstream.requests.length, before, 'a refused request never reaches the provider');
  });

  it('refuses with its own status, type and code in the OpenAI format, with x-request-id and its headers', async () => {
    const error = await refusal(client.chat.completions.create({ model: 'guarded', messages: messages('WEAPONS please') }));
    assert.equal(error.status, 403);
    assert.equal(error.code, 'topic_not_allowed');
    assert.equal(error.type, 'permission_error');
    assert.equal(error.message, '403 This gateway does not answer questions on that topic.');
    assert.ok(error.headers?.get('x-request-id'));
    assert.equal(error.headers?.get('x-topic-guard'), 'blocked');
    // Before a stream starts, the refusal is a plain error answer.
    const streamed = await refusal(client.chat.completions.create({ model: 'guarded', messages: messages('weapons'), stream: true }));
    assert.equal(streamed.code, 'topic_not_allowed');
  });

  it('refuses an Anthropic Messages client in the Anthropic format', async () => {
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
    const error = await anthropic.messages.create({ model: 'guarded', max_tokens: 50, messages: [{ role: 'user', content: 'weapons' }] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof Anthropic.APIError, String(error));
    assert.equal(error.status, 403);
    const requestId = error.headers?.get('x-request-id');
    assert.ok(requestId);
    assert.deepEqual(error.error, { type: 'error', error: { type: 'permission_error', message: 'This gateway does not answer questions on that topic.' }, request_id: requestId });
  });

  it('answers early with a response of its own, in the client format', async () => {
    const before = upstream.requests.length;
    const answer = await client.chat.completions.create({ model: 'guarded', messages: messages('ping') });
    assert.equal(answer.choices[0].message.content, 'pong');
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'guarded', max_tokens: 50, messages: [{ role: 'user', content: 'ping' }] });
    assert.equal(message.content[0].type === 'text' ? message.content[0].text : '', 'pong');
    assert.equal(upstream.requests.length, before);
  });
});

describe('a custom plugin per consumer', () => {
  it("runs for the consumer whose config names it, after authentication", async () => {
    const gw = await startGateway(
      [
        'zero_config: false',
        `custom_plugins: [{ path: "${fixture('team-headers.mjs')}" }]`,
        'plugins:',
        '  key-auth:',
        '    keys:',
        '      - { key: tg-alice-0123456789, consumer: alice }',
        '      - { key: tg-bob-0123456789, consumer: bob }',
        'consumers:',
        '  alice: { plugins: { team-headers: { team: research, served_by: alice-edge } } }',
      ].join('\n'),
    );
    try {
      const served = async (apiKey: string) => (await new OpenAI({ baseURL: gw.baseURL, apiKey, maxRetries: 0 }).chat.completions.create({ model: 'echo/x', messages: messages('Hi') }).withResponse()).response.headers.get('x-served-by');
      assert.equal(await served('tg-alice-0123456789'), 'alice-edge');
      assert.equal(await served('tg-bob-0123456789'), null);
      const error = await refusal(new OpenAI({ baseURL: gw.baseURL, apiKey: 'tg-nobody-000000000', maxRetries: 0 }).chat.completions.create({ model: 'echo/x', messages: messages('Hi') }));
      assert.equal(error.status, 401);
      assert.equal(error.headers?.get('x-served-by'), null);
    } finally {
      await gw.close();
    }
  });
});

describe('custom plugin problems are config problems', () => {
  const start = (text: string) => startGateway(`zero_config: false\n${text}`);

  it("validate() refusing a config names the plugin's config path", async () => {
    const declared = `custom_plugins: [{ path: "${fixture('team-headers.mjs')}" }]\n`;
    await assert.rejects(start(`${declared}plugins: { team-headers: { team: 42 } }`), /plugins\.team-headers: team: expected a non-empty string/);
    await assert.rejects(start(`${declared}routes: [{ match: { model: x }, model: echo/x, plugins: { team-headers: { team: a, colour: red } } }]`), /routes\[0\]\.plugins\.team-headers: unknown field "colour"/);
  });

  it('a module that cannot be used is refused with its custom_plugins path and why', async () => {
    const cases: Array<[string, RegExp]> = [
      ['missing.mjs', /custom_plugins\[0\]\.path: cannot find \/.*\/missing\.mjs/],
      ['syntax-error.mjs', /custom_plugins\[0\]\.path: cannot import \/.*\/syntax-error\.mjs: SyntaxError: Unexpected token ',' \(line 3: priority: 100 \+,\)/],
      ['no-plugin-export.mjs', /custom_plugins\[0\]\.path: \/.*\/no-plugin-export\.mjs: exports no plugin: write `export default \{ name, priority, create \}`/],
      ['incomplete.mjs', /custom_plugins\[0\]\.path: \/.*\/incomplete\.mjs: priority: expected a finite number .*, got "high"/],
      ['named-cost.mjs', /custom_plugins\[0\]\.path: \/.*\/named-cost\.mjs: the name "cost" is a built-in plugin's; give the custom plugin another name/],
      ['authentication-range.mjs', /priority: 3100 is in or above the authentication range \(3000-3999\)/],
    ];
    for (const [name, expected] of cases) await assert.rejects(start(`custom_plugins: [{ path: "${fixture(name)}" }]`), expected, name);
  });

  it('two modules with one name are refused, every problem listed at once', async () => {
    const text = `custom_plugins: [{ path: "${fixture('team-headers.mjs')}" }, { path: "${fixture('missing.mjs')}" }, { path: "${fixture('team-headers.mjs')}" }]`;
    await assert.rejects(start(text), (error: Error & { problems?: string[] }) => {
      assert.equal(error.name, 'ConfigError');
      assert.equal(error.problems?.length, 2, error.message);
      assert.match(error.problems![0], /^custom_plugins\[1\]\.path: cannot find/);
      assert.match(error.problems![1], /^custom_plugins\[2\]\.path: .*: the name "team-headers" is already the plugin of custom_plugins\[0\]/);
      return true;
    });
  });

  it('a create() that throws, or returns a misspelt hook, is a problem at its config path', async () => {
    await assert.rejects(start(`custom_plugins: [{ path: "${fixture('create-fails.mjs')}" }]\nplugins: { create-fails: {} }`), /plugins\.create-fails: create\(\) failed: endpoint is not reachable/);
    await assert.rejects(start(`custom_plugins: [{ path: "${fixture('misspelt-hook.mjs')}" }]\nplugins: { misspelt-hook: true }`), /plugins\.misspelt-hook: create\(\) returned unknown hook "onReqest"/);
  });

  it('a declared plugin that no config enables is imported and checked, but not made', async () => {
    const gw = await start(`custom_plugins: [{ path: "${fixture('create-fails.mjs')}" }]`);
    await gw.close();
  });

  describe('from the command line (paths relative to the config file)', () => {
    let folder: string;
    const config = async (name: string, text: string): Promise<string> => {
      const path = join(folder, name);
      await writeFile(path, `storage: "sqlite::memory:"\nzero_config: false\n${text}`);
      return path;
    };
    before(async () => {
      folder = await mkdtemp(join(tmpdir(), 'tollgate-custom-plugins-'));
      await mkdir(join(folder, 'plugins'));
      await copyFile(fixture('team-headers.mjs'), join(folder, 'plugins', 'team-headers.mjs'));
    });
    after(() => rm(folder, { recursive: true, force: true }));

    it('`config validate` accepts a good one and reports a bad one with its path (exit 1)', async () => {
      const good = await runCli(['config', 'validate', await config('good.yaml', 'custom_plugins: [{ path: ./plugins/team-headers.mjs }]\nplugins: { team-headers: { team: search } }\n')]);
      assert.equal(good.code, 0, good.stderr);
      const bad = await runCli(['config', 'validate', await config('bad.yaml', 'custom_plugins: [{ path: ./plugins/team-headers.mjs }]\nplugins: { team-headers: {} }\n')]);
      assert.equal(bad.code, 1, bad.stdout);
      assert.match(bad.stderr, /Invalid configuration in .*bad\.yaml:\n {2}- plugins\.team-headers: team: expected a non-empty string/);
      const missing = await runCli(['config', 'validate', await config('missing.yaml', 'custom_plugins: [{ path: plugins/nothing-here.mjs }]\n')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, new RegExp(`custom_plugins\\[0\\]\\.path: cannot find ${join(folder, 'plugins', 'nothing-here.mjs').replaceAll('/', '\\/')}`));
    });

    it('`start` exits non-zero on the same problem', async () => {
      const result = await runCli(['start', '--config', await config('start.yaml', 'custom_plugins: [{ path: ./plugins/team-headers.mjs }]\nplugins: { team-headers: { team: "" } }\n')]);
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stderr, /plugins\.team-headers: team: expected a non-empty string/);
    });
  });
});

describe('a custom plugin whose hooks throw', () => {
  const lines: Array<Record<string, any>> = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let gateway: Gateway;
  let client: OpenAI;

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    gateway = await Gateway.start({
      configText: `zero_config: false\ncustom_plugins: [{ path: "${fixture('faulty.mjs')}" }]\nplugins: { faulty: {} }\n`,
      env: {},
      port: 0,
      adminPort: 0,
      logger: pino({ level: 'info' }, sink),
      storage: 'sqlite::memory:',
    });
    client = new OpenAI({ baseURL: `http://127.0.0.1:${gateway.port}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gateway.stop(2000);
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers 500 internal_error with the request id, and the message stays in the log', async () => {
    const raw = await fetch(`http://127.0.0.1:${gateway.port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-crash-1' }, body: JSON.stringify({ model: 'echo/x', messages: messages('crash') }) });
    const text = await raw.text();
    assert.equal(raw.status, 500);
    assert.equal(raw.headers.get('x-request-id'), 'req-crash-1');
    assert.deepEqual(JSON.parse(text).error, { message: 'The gateway failed to handle the request. The request id identifies it in the logs.', type: 'api_error', param: null, code: 'internal_error' });
    assert.doesNotMatch(text, /hunter2|faulty\.mjs|at /);
    const logged = lines.find((line) => line.requestId === 'req-crash-1' && line.level === 50);
    assert.ok(logged, JSON.stringify(lines));
    assert.match(logged.err.message, /custom plugin "faulty" failed in onRequest: database password is hunter2/);
    assert.match(logged.err.stack, /faulty\.mjs/);
  });

  it('a rejected promise and a header Node cannot send are 500s too', async () => {
    for (const content of ['reject', 'bad-header']) {
      const error = await refusal(client.chat.completions.create({ model: 'echo/x', messages: messages(content) }));
      assert.equal(error.status, 500, content);
      assert.equal(error.code, 'internal_error');
    }
    assert.ok(lines.some((line) => /failed in onRequest: async failure/.test(line.err?.message ?? '')));
    assert.ok(lines.some((line) => /failed in onRequest: ctx\.responseHeaders\["x-broken"\] cannot be sent/.test(line.err?.message ?? '')));
  });

  it('a failing onChunk fails that stream only', async () => {
    await assert.rejects(async () => {
      const stream = await client.chat.completions.create({ model: 'echo/x', messages: messages('stream-fail'), stream: true });
      for await (const _chunk of stream);
    }, (error: unknown) => error instanceof APIError);
    assert.ok(lines.some((line) => /custom plugin "faulty" failed in onChunk: chunk failure/.test(line.err?.message ?? '')));
  });

  it('keeps serving; a rejected onLog is logged, never an unhandled rejection', async () => {
    const answer = await client.chat.completions.create({ model: 'echo/x', messages: messages('all good') });
    assert.equal(answer.choices[0].message.content, 'all good');
    const streamed: string[] = [];
    for await (const chunk of await client.chat.completions.create({ model: 'echo/x', messages: messages('all good'), stream: true })) streamed.push(chunk.choices[0]?.delta.content ?? '');
    assert.equal(streamed.join(''), 'all good');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(lines.some((line) => line.msg === 'a log-phase plugin failed' && line.plugin === 'faulty' && /failed in onLog: log sink down/.test(line.err.message)));
    assert.deepEqual(unhandled, []);
  });
});

describe('reloading picks up a changed plugin file', () => {
  let folder: string;
  let configPath: string;
  let gw: RunningGateway;
  const pluginFile = () => join(folder, 'plugins', 'versioned.mjs');
  const imports = () => (globalThis as { versionedPluginImports?: number }).versionedPluginImports ?? 0;
  const writePlugin = (version: string) =>
    writeFile(
      pluginFile(),
      [
        'globalThis.versionedPluginImports = (globalThis.versionedPluginImports ?? 0) + 1;',
        'export default {',
        "  name: 'versioned',",
        '  priority: 700,',
        `  create: () => ({ onRequest(ctx) { ctx.responseHeaders = { ...ctx.responseHeaders, 'x-plugin-version': '${version}' }; } }),`,
        '};',
      ].join('\n'),
    );
  const version = async (): Promise<string | null> => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: messages('Hi') }) });
    assert.equal(response.status, 200);
    return response.headers.get('x-plugin-version');
  };

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-custom-reload-'));
    await mkdir(join(folder, 'plugins'));
    await writePlugin('v1');
    configPath = join(folder, 'tollgate.yaml');
    await writeFile(configPath, 'zero_config: false\ncustom_plugins: [{ path: ./plugins/versioned.mjs }]\nplugins: { versioned: {} }\n');
    gw = await startGateway('', {}, { configPath });
  });
  after(async () => {
    await gw.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('imports a changed file again, an unchanged one not; a broken one is refused and the running one stays', async () => {
    assert.equal(await version(), 'v1');
    const importedAtStart = imports();
    assert.equal(await gw.gateway.reload(), true);
    assert.equal(imports(), importedAtStart, 'an unchanged file is not imported again');
    assert.equal(await version(), 'v1');

    await writePlugin('v2');
    assert.equal(await gw.gateway.reload(), true);
    assert.equal(imports(), importedAtStart + 1);
    assert.equal(await version(), 'v2');

    await writeFile(pluginFile(), 'export default { name: "versioned", priority: 700, create: () => ({ onRequest( }) };\n');
    assert.equal(await gw.gateway.reload(), false);
    assert.equal(await version(), 'v2', 'the running configuration stays');

    await writePlugin('v3');
    assert.equal(await gw.gateway.reload(), true);
    assert.equal(await version(), 'v3');
  });
});
