import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../helpers/free-port.ts';

/**
 * A redis-server of the test's own, which it can take away and bring back: empty (a restart
 * without persistence, a failover to an empty replica) or with its data (a restart that saved it,
 * an outage of the network). Never the shared Redis.
 */
export interface OwnRedis {
  url: string;
  /** Stops the server; with `keepData` it first writes its data to disk, which start() reads back. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** Starts the server again on the same port. */
  start(): Promise<void>;
  /** A client for looking at what the gateway wrote (closed by close()). */
  client(): Redis;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

/** Whether redis-server can be started here (the tests that need one skip otherwise). */
export async function canStartRedis(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('redis-server', ['--version'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let probe: Redis | null = null;

  const start = async () => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory, '--dbfilename', 'dump.rdb'], { stdio: 'ignore' });
    child = started;
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.connect();
          await client.ping();
          return;
        } catch (error) {
          if (attempt >= 100 || started.exitCode !== null) throw new Error(`redis-server on ${port} did not start: ${String(error)}`);
          await sleep(30);
        }
      }
    } finally {
      client.disconnect();
    }
  };

  const stop = async (options: { keepData?: boolean } = {}) => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    if (options.keepData) {
      const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      // SHUTDOWN SAVE writes dump.rdb although --save '' turns periodic saves off; the connection drops.
      await client.call('SHUTDOWN', 'SAVE').catch(() => undefined);
      client.disconnect();
    } else {
      // Nothing kept: the next start reads no dump (a previous keepData stop's file goes too).
      rmSync(join(directory, 'dump.rdb'), { force: true });
      running.kill('SIGKILL');
    }
    await exited;
  };

  await start();
  return {
    url,
    stop,
    start,
    client: () => {
      if (probe === null) {
        // Commands wait for the (re)connection: the test asks after start().
        probe = new Redis(url, { maxRetriesPerRequest: 3 });
        probe.on('error', () => undefined);
      }
      return probe;
    },
    close: async () => {
      probe?.disconnect();
      probe = null;
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
