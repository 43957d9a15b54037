import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { rateLimitPriority } from './definition.ts';
import type { RateLimitConfig } from './rate-limit-config.ts';
import { RateLimiter } from './rate-limiter.ts';

/** The rate-limit plugin's instance: a RateLimiter behind the access and log phases (definition.ts). */
export function createRateLimitPlugin(config: RateLimitConfig, dependencies: PluginDependencies): Plugin {
  const limiter = new RateLimiter(config, dependencies);
  return {
    name: 'rate-limit',
    priority: rateLimitPriority,
    onRequest: (ctx) => limiter.onRequest(ctx),
    onLog: (ctx) => limiter.onLog(ctx),
    close: () => limiter.close(),
  };
}
