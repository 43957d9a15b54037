import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/**
 * A Redis connection for the hot path, shared by every Redis-backed plugin: commands never queue
 * while Redis is away (they fail at once and the caller falls back), each has a time limit, and
 * ioredis reconnects in the background with capped backoff. ioredis is loaded only when the first
 * client is made, so single-node gateways don't carry it.
 */
export function createRedisClient(url: string, commandTimeout: number, connectTimeout = Math.max(1000, commandTimeout * 4)): Redis {
  const RedisClient = (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;
  return new RedisClient(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout,
    connectTimeout,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
  });
}
