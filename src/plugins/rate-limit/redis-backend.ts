import type { Redis } from 'ioredis';
import { createRedisClient } from '../../store/redis-client.ts';
import type { Adjustment, AdmitResult, CounterBackend, CounterCheck, Release } from './counter-backend.ts';
import { admitScript, raiseScript, settleScript } from './redis-scripts.ts';

interface ScriptedRedis extends Redis {
  tollgateAdmit(...args: Array<string | number>): Promise<Array<number | string>>;
  tollgateSettle(...args: Array<string | number>): Promise<string[]>;
  tollgateRaise(...args: Array<string | number>): Promise<number>;
}

export interface RedisBackendOptions {
  url: string;
  /** Milliseconds a command may take before it fails (the request then follows on_backend_error). */
  timeout: number;
  onReady?: () => void;
  onError?: (error: Error) => void;
}

/**
 * Counters in Redis, shared by every node: one EVALSHA per request on the hot path (admit), one
 * in the log phase (settle). Commands never queue while Redis is away (they fail at once and the
 * limit's on_backend_error decides); ioredis reconnects in the background, so recovery needs
 * nothing. With Redis Cluster, a request's keys may sit in different slots: use one primary.
 */
export class RedisBackend implements CounterBackend {
  readonly kind = 'redis';
  readonly #redis: ScriptedRedis;
  #firstConnect: Promise<void> | null;

  constructor(options: RedisBackendOptions) {
    const redis = createRedisClient(options.url, options.timeout) as ScriptedRedis;
    redis.defineCommand('tollgateAdmit', { lua: admitScript });
    redis.defineCommand('tollgateSettle', { lua: settleScript });
    redis.defineCommand('tollgateRaise', { lua: raiseScript });
    redis.on('ready', () => options.onReady?.());
    redis.on('error', (error: Error) => options.onError?.(error));
    this.#redis = redis;
    // Requests that arrive while the first connection is still being made wait for it (briefly)
    // instead of failing open or closed at every start.
    this.#firstConnect = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1000, options.timeout * 4));
      timer.unref();
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    }).then(() => {
      this.#firstConnect = null;
    });
  }

  async admit(checks: CounterCheck[], requestId: string, now: number): Promise<AdmitResult> {
    if (this.#firstConnect) await this.#firstConnect;
    const keys: string[] = [];
    const args: Array<string | number> = [checks.length, now, requestId];
    for (const check of checks) {
      keys.push(check.key, check.previousKey ?? check.key);
      args.push(check.concurrent ? 'c' : 'w', check.limit === Infinity ? -1 : check.limit, check.amount, check.previousKey === null ? 0 : check.previousWeight, Math.ceil(check.ttl));
    }
    const reply = await this.#redis.tollgateAdmit(keys.length, ...keys, ...args);
    const current: number[] = [];
    const previous: number[] = [];
    for (let index = 0; index < checks.length; index++) {
      current.push(Number(reply[1 + 2 * index]));
      previous.push(Number(reply[2 + 2 * index]));
    }
    return { blocked: Number(reply[0]) - 1, current, previous };
  }

  async settle(adjustments: Adjustment[], releases: Release[], read: string[]): Promise<number[]> {
    if (adjustments.length === 0 && releases.length === 0 && read.length === 0) return [];
    const keys = [...adjustments.map((adjustment) => adjustment.key), ...releases.map((release) => release.key), ...read];
    const args = [adjustments.length, releases.length, ...adjustments.map((adjustment) => adjustment.delta), ...releases.map((release) => release.requestId)];
    const reply = await this.#redis.tollgateSettle(keys.length, ...keys, ...args);
    return reply.map(Number);
  }

  async raise(key: string, value: number, ttl: number): Promise<void> {
    if (this.#firstConnect) await this.#firstConnect;
    await this.#redis.tollgateRaise(1, key, value, Math.ceil(ttl));
  }

  async claim(key: string, ttl: number): Promise<boolean> {
    return (await this.#redis.set(key, '1', 'PX', Math.ceil(ttl), 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
