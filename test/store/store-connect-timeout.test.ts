import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/store/open-store.ts';
import { freePort } from '../helpers/free-port.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** A "PostgreSQL" that accepts connections and never answers (a blackholed or wedged server). */
async function startSilentServer(): Promise<{ port: number; open: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `tollgate start` on a config whose storage is `storage`; its output so far, and its end. */
async function startCli(storage: string) {
  const folder = await mkdtemp(join(tmpdir(), 'tollgate-store-wait-'));
  const [port, adminPort] = [await freePort(), await freePort()];
  const path = join(folder, 'tollgate.yaml');
  await writeFile(path, `server: { port: ${port}, host: 127.0.0.1 }\nadmin: { port: ${adminPort} }\nstorage: "${storage}"\nlog: { format: json, level: info }\n`);
  const child = spawn(process.execPath, [cli, 'start', '--config', path], { env: { PATH: process.env.PATH ?? '' } });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, at: performance.now() })));
  return { child, output, ended, adminPort };
}

describe('a PostgreSQL store that accepts the connection and never answers', () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  before(async () => {
    silent = await startSilentServer();
  });
  after(async () => {
    await silent.close();
  });

  it('openStore gives up after connect_timeout, with a clear error and the password masked, and leaves no connection open', async () => {
    const started = performance.now();
    await assert.rejects(openStore(`postgres://app:s3cret-pw@127.0.0.1:${silent.port}/db?connect_timeout=1`), (error: Error) => {
      assert.match(error.message, /cannot open the store at postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/db\?connect_timeout=1: PostgreSQL did not answer within 1 s/);
      assert.doesNotMatch(error.message, /s3cret-pw/);
      return true;
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 900 && elapsed < 5000, `gave up after ${Math.round(elapsed)} ms`);
    for (let waited = 0; silent.open() > 0 && waited < 2000; waited += 20) await sleep(20);
    assert.equal(silent.open(), 0, 'the connection it waited on is closed');
  });

  it('tollgate start logs what it waits for, then exits 1 with the reason', async () => {
    const run = await startCli(`postgres://postgres@127.0.0.1:${silent.port}/x?connect_timeout=1`);
    const { code } = await run.ended;
    assert.equal(code, 1, run.output.stdout + run.output.stderr);
    const waiting = run.output.stdout.split('\n').find((line) => line.includes('waiting up to 1 s'));
    assert.ok(waiting, `a log line says what the start waits for:\n${run.output.stdout}`);
    assert.match(waiting, /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/x/);
    assert.match(run.output.stderr, /tollgate: cannot start: cannot open the store at .*: PostgreSQL did not answer within 1 s/);
  });

  it('SIGTERM while the start waits for the store ends the process at once, with exit code 0', async () => {
    // The default wait (10 s) is longer than this test allows for the exit.
    const run = await startCli(`postgres://postgres@127.0.0.1:${silent.port}/x`);
    for (let waited = 0; !run.output.stdout.includes('waiting up to 10 s') && waited < 10_000; waited += 20) await sleep(20);
    assert.match(run.output.stdout, /waiting up to 10 s/);
    const sent = performance.now();
    run.child.kill('SIGTERM');
    const { code, signal, at } = await run.ended;
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, run.output.stderr);
    assert.ok(at - sent < 2000, `exited ${Math.round(at - sent)} ms after SIGTERM`);
    assert.match(run.output.stderr, /SIGTERM during start-up/);
    const healthz = await fetch(`http://127.0.0.1:${run.adminPort}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    assert.equal(healthz, 'refused');
  });
});
