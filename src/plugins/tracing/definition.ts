import { definePlugin } from '../../pipeline/define-plugin.ts';
import { tracingConfigSchema, type TracingConfig } from './tracing-config.ts';

/** Logging range (0-499): last of the log phase, after the access log, metrics and the usage ledger. */
export const tracingPriority = 5;

/**
 * OpenTelemetry traces: one server span per request and a child span for the upstream call, built
 * in the log phase from the request's timestamps and exported in batches over OTLP/HTTP. Off
 * unless configured; without it, neither this plugin's code nor OpenTelemetry's is imported.
 */
export const tracingDefinition = definePlugin<TracingConfig>({
  name: 'tracing',
  description: 'OpenTelemetry spans per request (GenAI semantic conventions), exported over OTLP/HTTP in batches.',
  priority: tracingPriority,
  configSchema: tracingConfigSchema,
  implementation: async () => (await import('./index.ts')).createTracingPlugin,
});
