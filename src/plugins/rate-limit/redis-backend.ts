import type { Redis } from 'ioredis';
import { createRedisClient } from '../../store/redis-client.ts';
import { AdmissionTimedOut, noneUnseeded, settledKeyOf, type Adjustment, type AdmitResult, type CounterBackend, type CounterCheck, type Release } from './counter-backend.ts';
import { InFlightLeases, inFlightLeaseMs } from './in-flight-leases.ts';
import { admitScript, raiseScript, refreshScript, settleScript } from './redis-scripts.ts';

interface ScriptedRedis extends Redis {
  tollgateAdmit(...args: Array<string | number>): Promise<Array<number | string>>;
  tollgateSettle(...args: Array<string | number>): Promise<string[]>;
  tollgateRaise(...args: Array<string | number>): Promise<number>;
  tollgateRefresh(...args: Array<string | number>): Promise<number>;
}

export interface RedisBackendOptions {
  url: string;
  /** Milliseconds a command may take before it fails (the request then follows on_backend_error). */
  timeout: number;
  onReady?: () => void;
  onError?: (error: Error) => void;
  /** How long a concurrency slot counts after it was last stamped (in-flight-leases.ts); the admission's `ttl` for in-flight sets must be the same. */
  inFlightLeaseMs?: number;
}

/** A command's answer did not come within redis_timeout. */
class DeadlinePassed extends Error {}

/**
 * `sent`, or a rejection (DeadlinePassed) once `timeout` ms have passed without its answer. The deadline is
 * checked only after the event loop has read its sockets (setImmediate after the timer): when the
 * loop was busy for longer than the timeout (a long GC pause, a CPU shared with other work, a
 * burst's own work), an answer Redis sent in time is already waiting there, whereas ioredis's own
 * command timer fires before any socket is read and calls it a timeout (blind audit LOW 1: a
 * burst's admissions failed open with Redis answering in time).
 */
function withinDeadline<T>(sent: Promise<T>, timeout: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (done) return;
        done = true;
        reject(new DeadlinePassed(`Redis did not answer within ${timeout} ms (redis_timeout)`));
      });
    }, timeout);
    sent.then(
      (value) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Counters in Redis, shared by every node: one EVALSHA per request on the hot path (admit), one
 * in the log phase (settle). Commands never queue while Redis is away (they fail at once and the
 * limit's on_backend_error decides); ioredis reconnects in the background, so recovery needs
 * nothing but the concurrency slots' releases that failed meanwhile, which InFlightLeases retries.
 * With Redis Cluster, a request's keys may sit in different slots: use one primary.
 */
export class RedisBackend implements CounterBackend {
  readonly kind = 'redis';
  readonly #redis: ScriptedRedis;
  readonly #leases: InFlightLeases;
  readonly #timeout: number;
  #firstConnect: Promise<void> | null;

  constructor(options: RedisBackendOptions) {
    this.#timeout = options.timeout;
    // Commands fail after redis_timeout (withinDeadline); ioredis keeps waiting for their answer a
    // while longer, so an admission answered late still tells its settlement what it charged.
    const redis = createRedisClient(options.url, Math.max(1000, options.timeout * 4), Math.max(1000, options.timeout * 4)) as ScriptedRedis;
    redis.defineCommand('tollgateAdmit', { lua: admitScript });
    redis.defineCommand('tollgateSettle', { lua: settleScript });
    redis.defineCommand('tollgateRaise', { lua: raiseScript });
    redis.defineCommand('tollgateRefresh', { lua: refreshScript });
    this.#leases = new InFlightLeases({ stamp: (held, now, leaseMs) => this.#stamp(held, now, leaseMs), remove: (releases) => this.#remove(releases) }, options.inFlightLeaseMs ?? inFlightLeaseMs);
    redis.on('ready', () => {
      options.onReady?.();
      this.#leases.retry();
    });
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
      // A budget's seed mark takes the previous bucket's place: calendar windows have none.
      keys.push(check.key, check.seedMark ?? check.previousKey ?? check.key);
      args.push(check.concurrent ? 'c' : check.seedMark === null ? 'w' : 's', check.limit === Infinity ? -1 : check.limit, check.amount, check.previousKey === null ? 0 : check.previousWeight, Math.ceil(check.ttl));
    }
    const sent = this.#redis.tollgateAdmit(keys.length, ...keys, ...args).then((reply) => this.#admitted(reply, checks, requestId));
    try {
      return await withinDeadline(sent, this.#timeout);
    } catch (error) {
      if (!(error instanceof DeadlinePassed)) throw error;
      // Sent, and maybe run: what it did, if Redis answers after all, is for the settlement.
      throw new AdmissionTimedOut(error.message, sent.catch(() => null));
    }
  }

  /** An admission's reply; the slots it took are held (stamped) until their release. */
  #admitted(reply: Array<number | string>, checks: CounterCheck[], requestId: string): AdmitResult {
    const current: number[] = [];
    const previous: number[] = [];
    for (let index = 0; index < checks.length; index++) {
      current.push(Number(reply[1 + 2 * index]));
      previous.push(Number(reply[2 + 2 * index]));
    }
    const blocked = Number(reply[0]) - 1;
    const unseeded = reply.length > 1 + 2 * checks.length ? reply.slice(1 + 2 * checks.length).map((index) => Number(index) - 1) : noneUnseeded;
    if (blocked === -1 && unseeded.length === 0) {
      for (const check of checks) if (check.concurrent) this.#leases.hold(check.key, requestId);
    }
    return { blocked, current, previous, unseeded };
  }

  async settle(adjustments: Adjustment[], releases: Release[], read: string[]): Promise<number[]> {
    if (adjustments.length === 0 && releases.length === 0 && read.length === 0) return [];
    const keys = [...adjustments.flatMap((adjustment) => [adjustment.key, settledKeyOf(adjustment.key)]), ...releases.map((release) => release.key), ...read];
    const args = [adjustments.length, releases.length, ...adjustments.flatMap((adjustment) => [adjustment.delta, adjustment.spent ?? 0]), ...releases.map((release) => release.requestId)];
    if (releases.length > 0) this.#leases.letGo(releases);
    try {
      const reply = await withinDeadline(this.#redis.tollgateSettle(keys.length, ...keys, ...args), this.#timeout);
      return reply.map(Number);
    } catch (error) {
      // Corrections are not retried (one that timed out may have landed: sent again it would count
      // twice); releases are, so a slot does not stay taken until its lease runs out.
      if (releases.length > 0) this.#leases.releaseFailed(releases);
      throw error;
    }
  }

  async raise(key: string, value: number, ttl: number, mark: string): Promise<void> {
    if (this.#firstConnect) await this.#firstConnect;
    await withinDeadline(this.#redis.tollgateRaise(3, key, mark, settledKeyOf(key), value, Math.ceil(ttl)), this.#timeout);
  }

  /** Releases alone, for retrying them (the settle script with no corrections and nothing to read). */
  #remove(releases: Release[]): Promise<unknown> {
    return withinDeadline(this.#redis.tollgateSettle(releases.length, ...releases.map((release) => release.key), 0, releases.length, ...releases.map((release) => release.requestId)), this.#timeout);
  }

  #stamp(held: ReadonlyMap<string, ReadonlySet<string>>, now: number, leaseMs: number): Promise<unknown> {
    const keys: string[] = [];
    const args: Array<string | number> = [now, leaseMs];
    for (const [key, ids] of held) {
      keys.push(key);
      args.push(ids.size, ...ids);
    }
    return withinDeadline(this.#redis.tollgateRefresh(keys.length, ...keys, ...args), this.#timeout);
  }

  async claim(key: string, ttl: number): Promise<boolean> {
    return (await withinDeadline(this.#redis.set(key, '1', 'PX', Math.ceil(ttl), 'NX'), this.#timeout)) === 'OK';
  }

  async close(): Promise<void> {
    this.#leases.close();
    this.#redis.disconnect();
  }
}
