import type { Counter, Registry } from 'prom-client';

/**
 * The metric of this name in `registry`, or the one `make` registers: a plugin's metrics are
 * registered once per gateway, and a config reload's new plugin instance reuses them.
 */
export function registeredMetric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Creates each of these label combinations at 0. A labelled counter has no series until its first
 * increment, so `increase(x[5m]) > 0` cannot see that first event (there is no earlier sample to
 * compare it with): a counter whose label values are a small set known at start (reasons,
 * outcomes) starts with every series at 0. Returns the counter.
 */
export function withZeroSeries<Labels extends string>(counter: Counter<Labels>, combinations: ReadonlyArray<Partial<Record<Labels, string>>>): Counter<Labels> {
  for (const labels of combinations) counter.inc(labels, 0);
  return counter;
}
