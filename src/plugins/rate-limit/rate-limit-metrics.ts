import { Counter, Gauge, type Registry } from 'prom-client';
import type { GatewayMetrics } from '../../telemetry/metrics.ts';

export interface RateLimitMetrics {
  rejections: Counter<'unit' | 'scope' | 'code'>;
  softExceeded: Counter<'unit' | 'scope'>;
  backendErrors: Counter<'backend'>;
  backendUp: Gauge<'backend'>;
}

function single<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * The plugin's Prometheus metrics, registered once per gateway: a config reload makes a new
 * plugin instance, which reuses them.
 */
export function rateLimitMetrics(metrics: GatewayMetrics): RateLimitMetrics {
  const registers = [metrics.registry];
  return {
    rejections: single(metrics.registry, 'tollgate_rate_limit_rejections_total', () => new Counter({ name: 'tollgate_rate_limit_rejections_total', help: 'Requests rejected by a limit, by unit, scope and error code.', labelNames: ['unit', 'scope', 'code'], registers })),
    softExceeded: single(metrics.registry, 'tollgate_rate_limit_soft_exceeded_total', () => new Counter({ name: 'tollgate_rate_limit_soft_exceeded_total', help: 'Requests let through over a soft limit.', labelNames: ['unit', 'scope'], registers })),
    backendErrors: single(metrics.registry, 'tollgate_rate_limit_backend_errors_total', () => new Counter({ name: 'tollgate_rate_limit_backend_errors_total', help: 'Rate-limit counter store failures (each request that could not be counted).', labelNames: ['backend'], registers })),
    backendUp: single(metrics.registry, 'tollgate_rate_limit_backend_up', () => new Gauge({ name: 'tollgate_rate_limit_backend_up', help: '1 when the rate-limit counter store answers, 0 while it does not.', labelNames: ['backend'], registers })),
  };
}
