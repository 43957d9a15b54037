import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../../telemetry/metrics.ts';
import { CountedSpanQueue } from './counted-span-queue.ts';
import { settingsKey, type ExporterSettings } from './exporter-settings.ts';
import { ExportWarnings } from './export-warnings.ts';
import { droppedSpansCounter } from './trace-metrics.ts';

/** A tracer with its batch processor and exporter, shared by the plugin instances of the same settings. */
interface TracerPipeline {
  tracer: Tracer;
  provider: BasicTracerProvider;
  users: number;
}

/**
 * Pipelines by gateway (its metrics registry counts their lost spans) and settings. A reload
 * builds its plugin instances before it closes the old ones, so an unchanged tracing config keeps
 * its pipeline: the spans queued, and those of requests still in flight on the old configuration,
 * go out with it instead of being dropped with a shut-down processor. A route with the same
 * settings as the global config shares its pipeline too.
 */
const pipelinesOf = new WeakMap<GatewayMetrics, Map<string, TracerPipeline>>();

function startPipeline(settings: ExporterSettings, logger: Logger, metrics: GatewayMetrics): TracerPipeline {
  const exporter = new OTLPTraceExporter({ url: settings.url, headers: settings.headers, timeoutMillis: settings.exportTimeoutMs });
  const warnings = new ExportWarnings(logger, settings.url, droppedSpansCounter(metrics));
  const processor = new CountedSpanQueue(
    exporter,
    settings.maxQueueSize,
    warnings,
    (counted) =>
      new BatchSpanProcessor(counted, {
        maxQueueSize: settings.maxQueueSize,
        maxExportBatchSize: settings.maxExportBatchSize,
        scheduledDelayMillis: settings.flushIntervalMs,
        exportTimeoutMillis: settings.exportTimeoutMs,
      }),
  );
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName })),
    // A caller's traceparent decides for its trace (its sampled flag); new traces by the ratio.
    sampler: new ParentBasedSampler({ root: settings.sampleRatio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: [processor],
  });
  return { tracer: provider.getTracer('tollgate'), provider, users: 0 };
}

/** A tracer exporting with these settings, and its release: the last release flushes and stops the exporter. */
export function acquireTracer(settings: ExporterSettings, logger: Logger, metrics: GatewayMetrics): { tracer: Tracer; release: () => Promise<void> } {
  const key = settingsKey(settings);
  let pipelines = pipelinesOf.get(metrics);
  if (pipelines === undefined) pipelinesOf.set(metrics, (pipelines = new Map()));
  let pipeline = pipelines.get(key);
  if (!pipeline) {
    pipeline = startPipeline(settings, logger, metrics);
    pipelines.set(key, pipeline);
  }
  pipeline.users++;
  const acquired = pipeline;
  let released = false;
  return {
    tracer: acquired.tracer,
    release: async () => {
      if (released) return;
      released = true;
      if (--acquired.users > 0) return;
      pipelines.delete(key);
      await shutDownWithin(acquired.provider, settings.exportTimeoutMs, logger);
    },
  };
}

/** Flushes what is queued and stops; a collector that does not answer holds a stop or reload no longer than the export timeout. */
async function shutDownWithin(provider: BasicTracerProvider, timeoutMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([provider.shutdown().then(() => 'done' as const), timedOut]);
    if (outcome === 'timed-out') logger.warn({ timeout_ms: timeoutMs }, 'tracing: the last spans were not exported before the timeout');
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, 'tracing: the last spans could not be exported');
  } finally {
    clearTimeout(timer);
  }
}
