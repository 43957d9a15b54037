import { z } from 'zod';
import { definePlugin } from '../../pipeline/define-plugin.ts';

const metricsConfigSchema = z.object({}).strict();

export type MetricsConfig = z.infer<typeof metricsConfigSchema>;

/** Logging range (0-499). */
export const metricsPriority = 20;

/** Prometheus counters and histograms per request, in the log phase. */
export const metricsDefinition = definePlugin<MetricsConfig>({
  name: 'metrics',
  description: 'Request, latency and token metrics for /metrics.',
  priority: metricsPriority,
  configSchema: metricsConfigSchema,
  enabledByDefault: true,
  implementation: async () => (await import('./index.ts')).createMetricsPlugin,
});
