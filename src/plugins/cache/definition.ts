import { definePlugin } from '../../pipeline/define-plugin.ts';
import { cacheConfigSchema, type CacheConfig } from './cache-config.ts';

/**
 * Cache range (500-999): it runs after authentication, limits and input guardrails, so a hit is
 * still authenticated, counted and checked; its store runs after output guardrails.
 */
export const cachePriority = 800;

/** Exact-match response cache for non-streaming chat, completions and embeddings, in memory or Redis. */
export const cacheDefinition = definePlugin<CacheConfig>({
  name: 'cache',
  description: 'Exact-match response cache for non-streaming chat, completions and embeddings (memory or Redis).',
  priority: cachePriority,
  configSchema: cacheConfigSchema,
  implementation: async () => (await import('./index.ts')).createCachePlugin,
});
