import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port.ts';
import { waitFor } from './outage-helpers.ts';
import { startPgProxy, type PgProxy } from './pg-proxy.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './postgres-database.ts';

/**
 * `server.workers: 2` on PostgreSQL while the database goes away: the workers had both crashed on
 * a reset connection, and a replacement that could not open the store (still unreachable) was
 * never tried again, leaving nothing on the port (resilience audit F1). Now the workers ride the
 * outage out, and a worker that dies for another reason while the store is down is replaced once
 * it is back.
 */

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const probe = await createTemporaryDatabase();
if (probe) await probe.drop();

describe('server.workers through a PostgreSQL outage', { skip: probe ? false : 'PostgreSQL not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)' }, () => {
  let database: TemporaryDatabase;
  let proxy: PgProxy;

  before(async () => {
    database = (await createTemporaryDatabase())!;
    const target = new URL(database.url);
    proxy = await startPgProxy({ host: target.hostname, port: Number(target.port || 5432) });
  });
  after(async () => {
    await proxy?.close();
    await database?.drop();
  });

  it('the workers survive connections reset under traffic, and a worker that dies while the store is down is started again once it is back', { timeout: 30_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-workers-outage-'));
    const [port, adminPort] = [await freePort(), await freePort()];
    const path = join(folder, 'tollgate.yaml');
    const storage = proxy.urlFor(database.url, { connect_timeout: '1', query_timeout: '1000' });
    await writeFile(path, `server: { port: ${port}, host: 127.0.0.1, workers: 2, drain_timeout: 1s }\nadmin: { port: ${adminPort} }\nstorage: "${storage}"\nusage: { flush_interval: 20ms }\nlog: { format: json, level: info }\n`);
    const primary = spawn(process.execPath, [cli, 'start', '--config', path], { env: { PATH: process.env.PATH ?? '' } });
    let output = '';
    primary.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => primary.on('close', resolve));
    const chat = () =>
      fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { connection: 'close' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) }).then(
        (response) => response.status,
        () => 0,
      );
    try {
      assert.ok(await waitFor(() => output.includes('Tollgate running 2 worker processes'), 15_000), output);
      const workers = childrenOf(primary.pid!);
      assert.equal(workers.length, 2);

      // Every connection reset under traffic, new ones refused for most of a second.
      const statuses: number[] = [];
      const until = performance.now() + 1800;
      const load = Promise.all(Array.from({ length: 4 }, async () => {
        while (performance.now() < until) statuses.push(await chat());
      }));
      await sleep(500);
      proxy.cut();
      await sleep(800);
      proxy.heal();
      await load;
      assert.deepEqual([...new Set(statuses)], [200]);
      assert.deepEqual(childrenOf(primary.pid!).sort(), [...workers].sort(), `the same two workers run:\n${output.slice(-2000)}`);
      assert.doesNotMatch(output, /a gateway worker died/);

      // A worker killed while the store is down: its replacement cannot open the store, and is tried again.
      proxy.cut();
      process.kill(workers[1], 'SIGKILL');
      assert.ok(await waitFor(() => /could not restart gateway worker \d; trying again in 2 s/.test(output), 8000), output.slice(-2000));
      proxy.heal();
      assert.ok(await waitFor(() => /gateway worker \d started again/.test(output), 8000), output.slice(-2000));
      assert.equal(childrenOf(primary.pid!).length, 2);
      assert.equal(await chat(), 200);
    } finally {
      primary.kill('SIGTERM');
    }
    assert.equal(await exited, 0, output.slice(-2000));
  });
});
