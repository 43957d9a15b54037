import type { HealthConfig } from '../config/schema.ts';
import { toMilliseconds } from '../config/units.ts';
import { defaultHealthSettings, type HealthSettings } from './target-health.ts';

/** `routing.health` in milliseconds, defaults filled in. */
export function compileHealthSettings(config: HealthConfig): HealthSettings {
  const errorRate = config.error_rate;
  return {
    consecutiveFailures: config.consecutive_failures ?? defaultHealthSettings.consecutiveFailures,
    errorRate: errorRate
      ? { threshold: errorRate.threshold, windowMs: errorRate.window === undefined ? 30_000 : toMilliseconds(errorRate.window), minRequests: errorRate.min_requests ?? 20 }
      : null,
    cooldownMs: config.cooldown === undefined ? defaultHealthSettings.cooldownMs : toMilliseconds(config.cooldown),
    maxCooldownMs: config.max_cooldown === undefined ? defaultHealthSettings.maxCooldownMs : toMilliseconds(config.max_cooldown),
    rateLimitCooldownMs: config.rate_limit_cooldown === undefined ? defaultHealthSettings.rateLimitCooldownMs : toMilliseconds(config.rate_limit_cooldown),
    failFast: config.fail_fast ?? defaultHealthSettings.failFast,
  };
}
