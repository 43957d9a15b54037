import { toMilliseconds } from '../../config/units.ts';
import type { TracingConfig } from './tracing-config.ts';

/** Where and how spans go: the config with the standard OTEL_* variables as defaults. */
export interface ExporterSettings {
  url: string;
  serviceName: string;
  headers: Record<string, string>;
  sampleRatio: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
  flushIntervalMs: number;
  exportTimeoutMs: number;
}

/** The OTLP/HTTP default (the collector's port 4318 on this machine). */
const defaultBase = 'http://localhost:4318';
const tracesPath = '/v1/traces';

/**
 * The traces URL as the OpenTelemetry spec reads its variables: the config's `endpoint` and the
 * signal-specific OTEL_EXPORTER_OTLP_TRACES_ENDPOINT are used as they are; the general
 * OTEL_EXPORTER_OTLP_ENDPOINT is a base to which /v1/traces is appended.
 */
export function tracesUrl(configured: string | undefined, env: NodeJS.ProcessEnv): string {
  if (configured) return configured;
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (signal) return signal;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || defaultBase;
  return `${base.replace(/\/+$/, '')}${tracesPath}`;
}

export function exporterSettings(config: TracingConfig, env: NodeJS.ProcessEnv): ExporterSettings {
  const url = tracesUrl(config.endpoint, env);
  // The config's endpoint is checked by its schema; a variable is checked here, with its name.
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new Error(`the traces endpoint from the environment is not an http(s) URL: ${JSON.stringify(url)} (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT)`);
  return {
    url,
    serviceName: config.service_name ?? (env.OTEL_SERVICE_NAME?.trim() || 'tollgate'),
    headers: config.headers,
    sampleRatio: config.sample_ratio,
    maxQueueSize: config.max_queue_size,
    maxExportBatchSize: config.max_export_batch_size,
    flushIntervalMs: toMilliseconds(config.flush_interval),
    exportTimeoutMs: toMilliseconds(config.export_timeout),
  };
}

/** Settings that export to the same place the same way share one exporter (tracer-pipeline.ts). */
export function settingsKey(settings: ExporterSettings): string {
  return JSON.stringify(settings);
}
