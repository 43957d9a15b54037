import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIError } from 'openai';
import { freePort } from '../helpers/free-port.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Inodes of the TCP sockets on 127.0.0.1:port in a state (0A listening, 01 established), from /proc/net/tcp. */
function socketInodes(port: number, state: '0A' | '01'): Set<string> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[3] === state) inodes.add(fields[9]);
  }
  return inodes;
}

/** Which of the inodes the process holds open. */
function heldBy(pid: number, inodes: Set<string>): number {
  let held = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode !== undefined && inodes.has(inode)) held++;
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return held;
}

describe('server.workers', () => {
  it('runs several gateway processes on one port, one Admin listener, and drains them all on SIGTERM', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-workers-'));
    const [port, adminPort] = [await freePort(), await freePort()];
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, `server: { port: ${port}, host: 127.0.0.1, workers: 2 }\nadmin: { port: ${adminPort} }\nstorage: sqlite:${join(folder, 'tollgate.db')}\nlog: { format: json, level: warn }\n`);
    const primary = spawn(process.execPath, [cli, 'start', '--config', path], { env: { ...process.env, OPENAI_API_KEY: '' } });
    let output = '';
    primary.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => primary.on('close', resolve));
    try {
      for (let waited = 0; !output.includes('worker processes') && waited < 20_000; waited += 50) await sleep(50);
      assert.match(output, /Tollgate running 2 worker processes/);
      const workers = childrenOf(primary.pid!);
      assert.equal(workers.length, 2, `children: ${workers.join(',')}`);
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { connection: 'close' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) }).then((response) => response.status),
        ),
      );
      assert.deepEqual(new Set(answers), new Set([200]));
      // Each worker listens on a socket of its own (SO_REUSEPORT), and keep-alive connections
      // opened at once are spread over both, not all accepted by whichever woke first.
      const listening = socketInodes(port, '0A');
      assert.equal(listening.size, 2, 'one listening socket per worker');
      for (const pid of workers) assert.equal(heldBy(pid, listening), 1, `worker ${pid} holds its own listening socket`);
      const agent = new Agent({ keepAlive: true, maxSockets: 32 });
      const kept = await Promise.all(
        Array.from({ length: 32 }, () =>
          new Promise<number>((resolve, reject) => {
            const body = JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] });
            const sent = request({ port, host: '127.0.0.1', method: 'POST', path: '/v1/chat/completions', agent, headers: { 'content-type': 'application/json' } }, (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode ?? 0));
            });
            sent.on('error', reject);
            sent.end(body);
          }),
        ),
      );
      assert.deepEqual(new Set(kept), new Set([200]));
      const established = socketInodes(port, '01');
      const perWorker = workers.map((pid) => heldBy(pid, established));
      assert.equal(perWorker[0] + perWorker[1], 32, `connections held: ${perWorker.join(' + ')}`);
      assert.ok(Math.min(...perWorker) >= 4, `both workers serve connections: ${perWorker.join(' + ')}`);
      agent.destroy();
      assert.equal((await fetch(`http://127.0.0.1:${adminPort}/healthz`)).status, 200);
      // Worker 1's /metrics counts every worker's requests (summed through the primary).
      const metrics = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
      const counted = metrics
        .split('\n')
        .filter((line) => line.startsWith('tollgate_requests_total{') && line.includes('status="200"'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
      assert.equal(counted, 72, metrics.split('\n').filter((line) => line.startsWith('tollgate_requests_total')).join('\n'));
      assert.doesNotMatch(metrics, /metrics of the other workers are missing/);
      primary.kill('SIGTERM');
      assert.equal(await closed, 0);
      for (const pid of workers) assert.throws(() => process.kill(pid, 0), 'worker still running');
    } finally {
      primary.kill('SIGKILL');
    }
  });

  it('a worker that replaces one that died takes the port, Admin port and store the gateway started with, not the file as it is now (workers audit)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-workers-pinned-'));
    const [port, adminPort, otherPort, otherAdminPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const path = join(folder, 'tollgate.yaml');
    const configWith = (data: number, admin: number, database: string) => `server: { port: ${data}, host: 127.0.0.1, workers: 2 }\nadmin: { port: ${admin} }\nstorage: sqlite:${join(folder, database)}\nlog: { format: json, level: warn }\n`;
    await writeFile(path, configWith(port, adminPort, 'first.db'));
    const primary = spawn(process.execPath, [cli, 'start', '--config', path], { env: { ...process.env, OPENAI_API_KEY: '' } });
    let output = '';
    primary.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => primary.on('close', resolve));
    try {
      for (let waited = 0; !output.includes('worker processes') && waited < 20_000; waited += 50) await sleep(50);
      const [, second] = childrenOf(primary.pid!);
      // Restart-only settings changed in the file (the reload warns and keeps them), then a worker dies.
      await writeFile(path, configWith(otherPort, otherAdminPort, 'second.db'));
      await sleep(300);
      process.kill(second!, 'SIGKILL');
      let replaced: number[] = [];
      for (let waited = 0; waited < 15_000; waited += 100) {
        replaced = childrenOf(primary.pid!);
        if (replaced.length === 2 && !replaced.includes(second!) && socketInodes(port, '0A').size === 2) break;
        await sleep(100);
      }
      assert.equal(socketInodes(port, '0A').size, 2, 'both workers listen on the port the gateway started with');
      assert.equal(socketInodes(otherPort, '0A').size, 0, "no worker listens on the file's new port");
      assert.equal(readdirSync(folder).filter((name) => name.startsWith('second.db')).length, 0, "no worker opened the file's new store");
      primary.kill('SIGTERM');
      assert.equal(await closed, 0);
    } finally {
      primary.kill('SIGKILL');
    }
  });

  it('/metrics combines the workers sensibly: per-process gauges are not summed, and a worker that does not answer counts with its last answer', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-workers-'));
    const [port, adminPort] = [await freePort(), await freePort()];
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, `server: { port: ${port}, host: 127.0.0.1, workers: 2 }\nadmin: { port: ${adminPort} }\nstorage: sqlite:${join(folder, 'tollgate.db')}\nlog: { format: json, level: warn }\n`);
    const primary = spawn(process.execPath, [cli, 'start', '--config', path], { env: { ...process.env, OPENAI_API_KEY: '' } });
    let output = '';
    primary.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => primary.on('close', resolve));
    const scrape = async () => (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
    const requestsCounted = (metrics: string) =>
      metrics
        .split('\n')
        .filter((line) => line.startsWith('tollgate_requests_total{'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    const value = (metrics: string, name: string) => Number(metrics.split('\n').find((line) => line.startsWith(`${name} `))?.split(' ')[1]);
    const workers = () => childrenOf(primary.pid!);
    try {
      for (let waited = 0; !output.includes('worker processes') && waited < 20_000; waited += 50) await sleep(50);
      assert.equal(workers().length, 2);
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { connection: 'close' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) }).then((response) => response.status),
        ),
      );
      assert.deepEqual(new Set(answers), new Set([200]));
      for (let waited = 0; (output.match(/"type":"access"/g) ?? []).length < 40 && waited < 3000; waited += 50) await sleep(50);
      // The access lines name the process that served each request: both served some.
      const servedBy = new Map<number, number>();
      for (const match of output.matchAll(/"pid":(\d+)[^\n]*"type":"access"/g)) servedBy.set(Number(match[1]), (servedBy.get(Number(match[1])) ?? 0) + 1);
      const [first, second] = workers();
      assert.ok((servedBy.get(first) ?? 0) > 0 && (servedBy.get(second) ?? 0) > 0, `requests per worker: ${JSON.stringify([...servedBy])}`);

      const before = await scrape();
      assert.equal(requestsCounted(before), 40);
      const maxFiles = Number(/^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${first}/limits`, 'utf8'))?.[1]);
      assert.equal(value(before, 'process_max_fds'), maxFiles, 'a limit every process has, not their sum');
      assert.ok(value(before, 'process_open_fds') < maxFiles);
      assert.equal((before.match(/^nodejs_version_info\{/gm) ?? []).length, 1);

      // The worker that is not the Admin listener's stops answering: its last answer still counts.
      const admin = [first, second].find((pid) => heldBy(pid, socketInodes(adminPort, '0A')) > 0);
      const other = admin === first ? second : first;
      process.kill(other, 'SIGSTOP');
      try {
        const stalled = await scrape();
        assert.equal(requestsCounted(stalled), 40, 'no counter drops while a worker does not answer');
        assert.match(stalled, new RegExp(`^# tollgate: worker pid ${other} did not answer within \\d+ ms; its figures are from its last answer`, 'm'));
      } finally {
        process.kill(other, 'SIGCONT');
      }
      const again = await scrape();
      assert.equal(requestsCounted(again), 40);
      assert.doesNotMatch(again, /did not answer/);
      primary.kill('SIGTERM');
      assert.equal(await closed, 0);
    } finally {
      primary.kill('SIGKILL');
    }
  });

  it('applies an Admin API write in every worker before it is answered: a new key works at once, a revoked one is refused at once', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-workers-'));
    const [port, adminPort] = [await freePort(), await freePort()];
    const path = join(folder, 'tollgate.yaml');
    const adminToken = 'workers-admin-token';
    await writeFile(path, `server: { port: ${port}, host: 127.0.0.1, workers: 2 }\nadmin: { port: ${adminPort}, tokens: [{ token: ${adminToken} }] }\nstorage: sqlite:${join(folder, 'tollgate.db')}\nplugins: { key-auth: {} }\nlog: { format: json, level: warn }\n`);
    const primary = spawn(process.execPath, [cli, 'start', '--config', path], { env: { ...process.env, OPENAI_API_KEY: '' } });
    let output = '';
    primary.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => primary.on('close', resolve));
    const admin = async <T>(method: string, adminPath: string, body?: unknown): Promise<T> => {
      const response = await fetch(`http://127.0.0.1:${adminPort}${adminPath}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      assert.ok(response.ok, `${method} ${adminPath}: ${response.status}`);
      return (await response.json()) as T;
    };
    /** 40 calls through the OpenAI SDK, each on a connection of its own, so the kernel spreads them over both workers; their statuses. */
    const burst = (apiKey: string): Promise<number[]> => {
      const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey, maxRetries: 0, defaultHeaders: { connection: 'close' } });
      return Promise.all(
        Array.from({ length: 40 }, () =>
          client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }).then(
            () => 200,
            (error: unknown) => (error instanceof APIError ? (error.status ?? 0) : 0),
          ),
        ),
      );
    };
    try {
      for (let waited = 0; !output.includes('worker processes') && waited < 20_000; waited += 50) await sleep(50);
      assert.match(output, /Tollgate running 2 worker processes/);
      const consumer = await admin<{ id: string }>('POST', '/consumers', { name: 'app' });
      // Rounds, since a sibling's own one-second poll may by chance fall between a write and its burst.
      for (let round = 0; round < 3; round++) {
        const created = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: consumer.id });
        const afterCreate = await burst(created.key);
        assert.deepEqual(afterCreate.filter((status) => status !== 200), [], `round ${round}: right after POST /keys, every worker knows the key`);
        await admin('DELETE', `/keys/${created.id}`);
        const afterRevoke = await burst(created.key);
        assert.deepEqual(afterRevoke.filter((status) => status !== 401), [], `round ${round}: right after DELETE /keys/{id}, every worker refuses the key`);
      }
      primary.kill('SIGTERM');
      assert.equal(await closed, 0);
      // Both workers took calls (the access lines, written at any level but silent, name the process).
      const servedBy = new Set([...output.matchAll(/"pid":(\d+)[^\n]*"type":"access"/g)].map((match) => match[1]));
      assert.equal(servedBy.size, 2, `the calls reached both workers: ${[...servedBy].join(', ')}`);
    } finally {
      primary.kill('SIGKILL');
    }
  });
});

describe('server.workers with storage sqlite::memory:', () => {
  it('is refused at the start, exit 2, naming both settings (workers audit: each worker had a private empty database, keys worked in one)', async () => {
    const { runCli } = await import('../helpers/run-cli.ts');
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-workers-memory-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, `server: { port: ${await freePort()}, workers: 2 }\nadmin: { enabled: false }\nstorage: "sqlite::memory:"\n`);
    const result = await runCli(['start', '--config', path]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /server\.workers: 2 processes cannot share storage "sqlite::memory:"/);
  });
});
