import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, open, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function run(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '' } });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, at: performance.now() })));
  return { child, output, ended };
}

describe('a stop signal while the gateway starts', () => {
  it('is handled from the process’s first moments: SIGTERM while the command’s code still loads exits 0 at once', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-early-signal-'));
    // How long this machine takes to start Node on a TypeScript file that says it is up: the
    // gateway's first module runs about as soon; the rest of the command takes several times longer.
    const probe = join(folder, 'probe.ts');
    await writeFile(probe, "process.stdout.write('up');\nsetTimeout(() => {}, 5000);\n");
    const spawnedAt = performance.now();
    const bare = spawn(process.execPath, [probe]);
    await new Promise((resolve) => bare.stdout.once('data', resolve));
    const nodeUp = performance.now() - spawnedAt;
    bare.kill('SIGKILL');
    // A store that accepts and never answers keeps the start from finishing, so on a slow or busy
    // machine the signal still lands before the gateway serves (while its code loads, or while it
    // waits for the store): both are the start-up this is about.
    const silent = createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const storePort = (silent.address() as { port: number }).port;
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, `server: { port: ${await freePort()}, host: 127.0.0.1 }\nadmin: { port: ${await freePort()} }\nstorage: "postgres://postgres@127.0.0.1:${storePort}/x?connect_timeout=30"\n`);
    const gateway = run(['start', '--config', path]);
    try {
      await sleep(nodeUp * 2);
      const sent = performance.now();
      gateway.child.kill('SIGTERM');
      const { code, signal, at } = await gateway.ended;
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, `SIGTERM ${Math.round(nodeUp * 2)} ms after spawn: ${gateway.output.stderr}`);
      assert.ok(at - sent < 2000, `exited ${Math.round(at - sent)} ms after SIGTERM`);
      assert.match(gateway.output.stderr, /^tollgate: SIGTERM during start-up: stopped before serving$/m);
    } finally {
      gateway.child.kill('SIGKILL');
      silent.close();
    }
  });

  it('other commands keep Node’s default: a signal ends them as it would have', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-early-signal-'));
    const fifo = join(folder, 'tollgate.yaml');
    execFileSync('mkfifo', [fifo]);
    const validate = run(['config', 'validate', fifo]);
    const writer = await open(fifo, 'w');
    try {
      validate.child.kill('SIGTERM');
      const { code, signal } = await validate.ended;
      assert.deepEqual({ code, signal }, { code: null, signal: 'SIGTERM' });
    } finally {
      await writer.close();
    }
  });

  it('server.workers: SIGTERM to the primary while worker 1 waits for its store stops both at once, exit 0', async () => {
    // A "PostgreSQL" that accepts and never answers: worker 1 waits in its start.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const storePort = (silent.address() as { port: number }).port;
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-early-signal-'));
    const [port, adminPort] = [await freePort(), await freePort()];
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, `server: { port: ${port}, host: 127.0.0.1, workers: 2 }\nadmin: { port: ${adminPort} }\nstorage: "postgres://postgres@127.0.0.1:${storePort}/x"\nlog: { format: json, level: info }\n`);
    const primary = run(['start', '--config', path]);
    try {
      for (let waited = 0; !primary.output.stdout.includes('waiting up to 10 s') && waited < 10_000; waited += 20) await sleep(20);
      assert.match(primary.output.stdout, /waiting up to 10 s/);
      const sent = performance.now();
      primary.child.kill('SIGTERM');
      const { code, signal, at } = await primary.ended;
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, primary.output.stdout + primary.output.stderr);
      assert.ok(at - sent < 3000, `exited ${Math.round(at - sent)} ms after SIGTERM`);
      assert.doesNotMatch(primary.output.stderr, /cannot start/);
    } finally {
      primary.child.kill('SIGKILL');
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
