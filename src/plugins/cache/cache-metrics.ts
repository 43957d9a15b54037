import { Counter, Gauge, type Registry } from 'prom-client';
import type { GatewayMetrics } from '../../telemetry/metrics.ts';

export interface CacheMetrics {
  lookups: Counter<'result'>;
  stores: Counter<'backend'>;
  backendErrors: Counter<'backend'>;
  backendUp: Gauge<'backend'>;
}

function single<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The plugin's Prometheus metrics, registered once per gateway (a reload's new instance reuses them). */
export function cacheMetrics(metrics: GatewayMetrics): CacheMetrics {
  const registry = metrics.registry;
  const registers = [registry];
  return {
    lookups: single(registry, 'tollgate_cache_lookups_total', () => new Counter({ name: 'tollgate_cache_lookups_total', help: 'Response cache lookups by result (hit, miss, bypass).', labelNames: ['result'], registers })),
    stores: single(registry, 'tollgate_cache_stores_total', () => new Counter({ name: 'tollgate_cache_stores_total', help: 'Responses stored in the response cache (a store that failed counts in tollgate_cache_backend_errors_total instead).', labelNames: ['backend'], registers })),
    backendErrors: single(registry, 'tollgate_cache_backend_errors_total', () => new Counter({ name: 'tollgate_cache_backend_errors_total', help: 'Response cache store failures: lookups and stores that failed (those lookups count as misses) and connection errors.', labelNames: ['backend'], registers })),
    backendUp: single(registry, 'tollgate_cache_backend_up', () => new Gauge({ name: 'tollgate_cache_backend_up', help: '1 when the response cache store answers, 0 while it does not.', labelNames: ['backend'], registers })),
  };
}
