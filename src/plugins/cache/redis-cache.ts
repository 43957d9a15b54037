import type { Redis } from 'ioredis';
import type { CanonicalResponse } from '../../canonical/operation.ts';
import { createRedisClient } from '../../store/redis-client.ts';
import type { CacheBackend, CachedReply } from './cache-backend.ts';

export interface RedisCacheOptions {
  url: string;
  /** Put before every key (cache key_prefix), so deployments sharing a Redis database keep apart. */
  keyPrefix: string;
  /** Milliseconds a command may take before it fails (the lookup is then a miss). */
  timeout: number;
  onReady(): void;
  onError(error: unknown): void;
}

/**
 * Responses in Redis, shared by every node: one GET per lookup, one SET ... PX per store, the
 * value `{"t":storedAt,"b":response}`. Commands never queue while Redis is away: they fail at
 * once, the lookup counts as a miss, and ioredis reconnects in the background. Redis's own
 * `maxmemory` policy bounds the size (max_entries is the memory backend's).
 */
export class RedisCache implements CacheBackend {
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #onError: (error: unknown) => void;
  readonly #prefix: string;
  #firstConnect: Promise<void> | null;

  constructor(options: RedisCacheOptions) {
    const redis = createRedisClient(options.url, options.timeout);
    redis.on('ready', options.onReady);
    redis.on('error', options.onError);
    this.#redis = redis;
    this.#onError = options.onError;
    this.#prefix = options.keyPrefix;
    // The first lookups wait (briefly) for the first connection instead of all missing at start;
    // a refused connection ends the wait at once.
    this.#firstConnect = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1000, options.timeout * 4));
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      redis.once('ready', done);
      redis.once('error', done);
    }).then(() => {
      this.#firstConnect = null;
    });
  }

  async get(key: string): Promise<CachedReply | undefined> {
    if (this.#firstConnect) await this.#firstConnect;
    try {
      const value = await this.#redis.get(this.#prefix + key);
      if (value === null) return undefined;
      const parsed = JSON.parse(value) as { t: number; b: CanonicalResponse };
      return { body: parsed.b, storedAt: parsed.t };
    } catch (error) {
      this.#onError(error);
      return undefined;
    }
  }

  async set(key: string, json: string, now: number, ttlMs: number): Promise<boolean> {
    if (this.#firstConnect) await this.#firstConnect;
    try {
      await this.#redis.set(this.#prefix + key, `{"t":${now},"b":${json}}`, 'PX', Math.max(1, Math.round(ttlMs)));
      return true;
    } catch (error) {
      this.#onError(error);
      return false;
    }
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
