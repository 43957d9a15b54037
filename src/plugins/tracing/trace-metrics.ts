import { Counter } from 'prom-client';
import type { GatewayMetrics } from '../../telemetry/metrics.ts';
import { registeredMetric, withZeroSeries } from '../../telemetry/registered-metric.ts';
import { dropReasons } from './export-warnings.ts';

/**
 * tollgate_trace_spans_dropped_total{reason}: spans lost on their way to the collector, registered
 * when tracing is first configured, every reason at 0 from the start.
 */
export function droppedSpansCounter(metrics: GatewayMetrics): Counter<'reason'> {
  const registry = metrics.registry;
  return registeredMetric(registry, 'tollgate_trace_spans_dropped_total', () =>
    withZeroSeries(
      new Counter({
        name: 'tollgate_trace_spans_dropped_total',
        help: 'Finished spans that never reached the collector: its export failed (export_failed, after the exporter retried), or the export queue was full (queue_full, max_queue_size).',
        labelNames: ['reason'],
        registers: [registry],
      }),
      dropReasons.map((reason) => ({ reason })),
    ),
  );
}
