import { z } from 'zod';
import { redisUrlSchema } from '../../config/connection-urls.ts';
import { durationSchema } from '../../config/schema.ts';

const sizeSchema = z.union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|kib|mib)$/i, 'expected a size such as 64kib, 1mib')]);

export const cacheConfigSchema = z
  .object({
    ttl: durationSchema.default('5m').describe('How long a stored response is served.'),
    max_entries: z.number().int().positive().default(10_000).describe('Memory backend: most responses kept; the least recently used goes first.'),
    max_entry_bytes: sizeSchema.default('1mib').describe('Responses larger than this (as JSON) are not stored.'),
    backend: z.enum(['memory', 'redis']).optional().describe('memory (per node) or redis (shared by nodes). Default: redis when redis_url or the top-level redis: is set, else memory.'),
    redis_url: redisUrlSchema.optional().describe('Redis for the redis backend (redis:// or rediss://); default the top-level redis: URL.'),
    key_prefix: z.string().default('tollgate:cache:').describe('Prefix of every Redis key this plugin writes: give deployments that share a Redis database their own (as rate-limit key_prefix).'),
    redis_timeout: durationSchema.default('200ms').describe('Longest a Redis command may take; a slower lookup counts as a miss.'),
    shared: z.boolean().default(false).describe('Share entries between callers. Default: entries are per consumer (else per key, else global).'),
    operations: z.array(z.enum(['chat', 'completions', 'embeddings'])).default(['chat', 'completions', 'embeddings']).describe('Which operations are cached (non-streaming requests only).'),
  })
  .strict();

export type CacheConfig = z.infer<typeof cacheConfigSchema>;
