import { definePlugin } from '../../pipeline/define-plugin.ts';
import { rateLimitConfigSchema, type RateLimitConfig } from './rate-limit-config.ts';

/** Admission range (2000-2999): after authentication has set ctx.caller, before guardrails and cache. */
export const rateLimitPriority = 2500;

/**
 * Rate limits, token limits and budgets by scope (global, route, model, team, consumer, key, ip,
 * header), in memory or in Redis. Enabled by default so limits written on keys, consumers and
 * teams apply with no configuration; with no limit to check it returns at once.
 */
export const rateLimitDefinition = definePlugin<RateLimitConfig>({
  name: 'rate-limit',
  description: 'Request, concurrency, token and cost limits with OpenAI rate-limit headers.',
  priority: rateLimitPriority,
  configSchema: rateLimitConfigSchema,
  enabledByDefault: true,
  implementation: async () => (await import('./index.ts')).createRateLimitPlugin,
});
