import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port.ts';
import { startGateway } from '../helpers/start-gateway.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(25);
  }
  assert.fail('condition not met in time');
}

async function modelIds(baseURL: string): Promise<string[]> {
  const response = await fetch(`${baseURL}/models`);
  const body = (await response.json()) as { data: Array<{ id: string }> };
  return body.data.map((model) => model.id);
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hot reload', () => {
  it('picks up a changed file, and keeps the old config when the new one is bad', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-reload-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, 'models: { first: { targets: [{ provider: echo, model: a }] } }\n');
    const gw = await startGateway('', {}, { configPath: path });
    try {
      assert.deepEqual(await modelIds(gw.baseURL), ['first']);
      await writeFile(path, 'models: { second: { targets: [{ provider: echo, model: b }] } }\n');
      await waitFor(async () => (await modelIds(gw.baseURL)).includes('second'));
      await writeFile(path, 'models: { third: { targets: [{ provider: missing, model: c }] } }\n');
      await sleep(400);
      assert.equal(await gw.gateway.reload(), false);
      assert.deepEqual(await modelIds(gw.baseURL), ['second']);
    } finally {
      await gw.close();
    }
  });

  it('picks up every ConfigMap update in Kubernetes (the ..data symlink swapped, not the file written)', async () => {
    // A mounted ConfigMap: tollgate.yaml -> ..data/tollgate.yaml, ..data -> a timestamped folder.
    // The kubelet writes each update into a new folder and renames a new ..data link over the old
    // one; the path the gateway was given is never written.
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-configmap-'));
    let version = 0;
    const publish = async (yaml: string) => {
      version++;
      const timestamped = `..2026_12_06_${version}`;
      await mkdir(join(folder, timestamped));
      await writeFile(join(folder, timestamped, 'tollgate.yaml'), yaml);
      await symlink(timestamped, join(folder, '..data_tmp'));
      await rename(join(folder, '..data_tmp'), join(folder, '..data'));
    };
    await publish('models: { first: { targets: [{ provider: echo, model: a }] } }\n');
    await symlink(join('..data', 'tollgate.yaml'), join(folder, 'tollgate.yaml'));
    const gw = await startGateway('', {}, { configPath: join(folder, 'tollgate.yaml') });
    try {
      assert.deepEqual(await modelIds(gw.baseURL), ['first']);
      await publish('models: { second: { targets: [{ provider: echo, model: b }] } }\n');
      await waitFor(async () => (await modelIds(gw.baseURL)).includes('second'));
      await publish('models: { third: { targets: [{ provider: echo, model: c }] } }\n');
      await waitFor(async () => (await modelIds(gw.baseURL)).includes('third'));
    } finally {
      await gw.close();
    }
  });

  it('picks up a file an editor replaced (written beside it, renamed over it), more than once', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-reload-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, 'models: { first: { targets: [{ provider: echo, model: a }] } }\n');
    const gw = await startGateway('', {}, { configPath: path });
    try {
      for (const name of ['second', 'third']) {
        await writeFile(join(folder, '.tollgate.yaml.swp'), `models: { ${name}: { targets: [{ provider: echo, model: b }] } }\n`);
        await rename(join(folder, '.tollgate.yaml.swp'), path);
        await waitFor(async () => (await modelIds(gw.baseURL)).includes(name));
      }
    } finally {
      await gw.close();
    }
  });

  it('lets a stream that started on the old config finish on it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-reload-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, 'providers: { slow: { type: echo, options: { chunk_delay_ms: 40 } } }\n');
    const gw = await startGateway('', {}, { configPath: path });
    try {
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'slow/x', stream: true, messages: [{ role: 'user', content: 'a b c d e f' }] }) });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value, { stream: true });
      await writeFile(path, 'providers: { other: { type: echo } }\n');
      assert.equal(await gw.gateway.reload(), true);
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
      assert.match(text, /data: \[DONE\]/);
      const gone = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'slow/x', messages: [{ role: 'user', content: 'a' }] }) });
      assert.equal(gone.status, 404);
    } finally {
      await gw.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a stream in flight, then refuses new connections', async () => {
    const gw = await startGateway('providers: { slow: { type: echo, options: { chunk_delay_ms: 60 } } }');
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'slow/x', stream: true, messages: [{ role: 'user', content: 'one two three four five' }] }) });
    // The stream is in flight once its first bytes have arrived (a fixed sleep raced a loaded CI machine).
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    let text = decoder.decode(first.value, { stream: true });
    const stopped = gw.gateway.stop(5000);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
    assert.match(text, /five/);
    assert.match(text, /data: \[DONE\]/);
    await stopped;
    await assert.rejects(fetch(`${gw.baseURL}/models`));
  });
});

describe('the tollgate command', () => {
  it('validates a config file and reports every problem with its path', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-cli-'));
    const good = join(folder, 'good.yaml');
    const bad = join(folder, 'bad.yaml');
    await writeFile(good, 'models: { demo: { targets: [{ provider: echo, model: m }] } }\n');
    await writeFile(bad, 'providers: { local: { type: openai-compatible, base_url: localhost } }\nserver: { port: -1 }\n');
    const ok = await run(['config', 'validate', good]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /valid/);
    const failed = await run(['config', 'validate', bad]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /providers\.local\.base_url: expected a URL, got "localhost"/);
    assert.match(failed.stderr, /server\.port: /);
  });

  it('prints the JSON Schema', async () => {
    const result = await run(['config', 'schema']);
    assert.equal(result.code, 0);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    assert.ok(schema.properties.providers && schema.properties.models && schema.properties.routes);
  });

  /** `tollgate start` on a config file, once it logged where it listens; stop() sends SIGTERM and gives the exit code. */
  async function startCli(configText: string): Promise<{ startLine: { listen: string; providers: string[] }; output: () => string; stop: () => Promise<number | null> }> {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-cli-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, configText);
    const child = spawn(process.execPath, [cli, 'start', '--config', path], { env: { ...process.env, OPENAI_API_KEY: '' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const stop = () => {
      child.kill('SIGTERM');
      return closed;
    };
    try {
      await waitFor(async () => output.includes('Tollgate listening'), 10_000);
    } catch (error) {
      await stop();
      throw error;
    }
    const startLine = JSON.parse(output.split('\n').find((entry) => entry.includes('Tollgate listening')) ?? '{}') as { listen: string; providers: string[] };
    return { startLine, output: () => output, stop };
  }

  it('starts with --config, logs where it listens, and stops on SIGTERM', async () => {
    const cliRun = await startCli('server: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0 }\nlog: { format: json }\n');
    assert.match(cliRun.startLine.listen, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(cliRun.startLine.providers.some((provider) => provider.startsWith('echo')));
    assert.equal(await cliRun.stop(), 0);
    // Log lines are buffered (telemetry/logger.ts): a graceful stop writes them all.
    assert.match(cliRun.output(), /"msg":"stopped"\}\n$/);
  });

  it('writes buffered log lines within the flush interval, and the access line carries no credential', async () => {
    const cliRun = await startCli('server: { port: 0, host: 127.0.0.1 }\nadmin: { enabled: false }\nlog: { format: json }\n');
    try {
      const secret = 'sk-client-secret-0123456789';
      const response = await fetch(`${cliRun.startLine.listen}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(response.status, 200);
      const id = response.headers.get('x-request-id');
      const answeredAt = Date.now();
      // No more traffic: only the flush timer (250 ms) can write the line.
      await waitFor(async () => cliRun.output().includes(`"id":"${id}"`), 3000);
      assert.ok(Date.now() - answeredAt < 1500, 'the access line came within the flush interval');
      const access = JSON.parse(cliRun.output().split('\n').find((entry) => entry.includes(`"id":"${id}"`)) ?? '{}') as Record<string, unknown>;
      assert.equal(access.type, 'access');
      assert.equal(access.status, 200);
      assert.ok(!cliRun.output().includes(secret), 'the client credential is in no log line');
    } finally {
      await cliRun.stop();
    }
  });

  it('log.level warn quiets the other info lines but keeps the access lines access_log asks for', async () => {
    const port = await freePort();
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-cli-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, `server: { port: ${port}, host: 127.0.0.1 }\nadmin: { enabled: false }\nlog: { format: json, level: warn }\n`);
    const child = spawn(process.execPath, [cli, 'start', '--config', path], { env: { ...process.env, OPENAI_API_KEY: '' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const call = () => fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) });
      let response: Response | null = null;
      await waitFor(async () => {
        response = await call().catch(() => null);
        return response !== null;
      }, 10_000);
      assert.equal(response!.status, 200);
      const id = response!.headers.get('x-request-id');
      await waitFor(async () => output.includes(`"id":"${id}"`), 3000);
      assert.ok(!output.includes('Tollgate listening'), 'the info-level start line is not written at warn');
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
  });
});
