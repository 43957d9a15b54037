import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when Redis answers at REDIS_URL; otherwise says loudly why the tests skip (or fails under TOLLGATE_REQUIRE_SERVICES=1). */
export async function redisAvailable(): Promise<boolean> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.TOLLGATE_REQUIRE_SERVICES === '1') throw new Error(`Redis is required (TOLLGATE_REQUIRE_SERVICES=1) but ${redisUrl} cannot be reached: ${String(error)}`);
    console.warn(`\n*** SKIP: Redis at ${redisUrl} cannot be reached (${String(error)}); the Redis rate-limit tests are skipped. Set REDIS_URL, or TOLLGATE_REQUIRE_SERVICES=1 to make this a failure. ***\n`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** A port with nothing listening (bound, then released). */
export { freePort as deadPort } from '../helpers/free-port.ts';

/** A throwaway redis-server of our own on a port, so a test can stop and restart it; null when the binary is missing. */
export async function startOwnRedis(port: number): Promise<{ stop(): Promise<void> } | null> {
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const failed = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(true));
    setTimeout(() => resolve(false), 50);
  });
  if (failed) return null;
  const probe = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      await sleep(50);
    }
  }
  probe.disconnect();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
