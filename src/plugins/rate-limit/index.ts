import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';
import { rateLimitConfigSchema, type RateLimitConfig } from './rate-limit-config.ts';
import { RateLimiter } from './rate-limiter.ts';

/** Admission range (2000-2999): after authentication has set ctx.caller, before guardrails and cache. */
const priority = 2500;

/**
 * Rate limits, token limits and budgets by scope (global, route, model, team, consumer, key, ip,
 * header), in memory or in Redis. Enabled by default so limits written on keys, consumers and
 * teams apply with no configuration; with no limit to check it returns at once.
 */
export const rateLimitDefinition: PluginDefinition<RateLimitConfig> = {
  name: 'rate-limit',
  description: 'Request, concurrency, token and cost limits with OpenAI rate-limit headers.',
  priority,
  configSchema: rateLimitConfigSchema,
  enabledByDefault: true,
  create(config, dependencies): Plugin {
    const limiter = new RateLimiter(config, dependencies);
    return {
      name: 'rate-limit',
      priority,
      onRequest: (ctx) => limiter.onRequest(ctx),
      onLog: (ctx) => limiter.onLog(ctx),
      close: () => limiter.close(),
    };
  },
};
