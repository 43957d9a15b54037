import type { Logger } from 'pino';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];

/** ExportResultCode.SUCCESS of @opentelemetry/core (not a dependency of its own for one number). */
const exportSucceeded = 0;

/** At most one warning per this long, however many exports fail. */
const warningIntervalMs = 60_000;

/**
 * A span exporter that says when exports fail: a collector that is down or refuses spans is worth
 * a warning, but not one per batch. The first failure is logged at once; later ones are counted
 * and summed up in one line per minute while they go on, and one line says when exports work again.
 */
export function warnOnFailedExports(inner: SpanExporter, logger: Logger, url: string): SpanExporter {
  let lastWarningAt = Number.NEGATIVE_INFINITY;
  let failedBatches = 0;
  let failedSpans = 0;
  let failing = false;
  return {
    export(spans, resultCallback) {
      inner.export(spans, (result: ExportResult) => {
        if (result.code === exportSucceeded) {
          if (failing) logger.info({ endpoint: url }, 'tracing: exporting spans works again');
          failing = false;
        } else {
          failing = true;
          failedBatches++;
          failedSpans += spans.length;
          const now = performance.now();
          if (now - lastWarningAt >= warningIntervalMs) {
            logger.warn({ endpoint: url, failed_exports: failedBatches, dropped_spans: failedSpans, reason: result.error?.message }, 'tracing: could not export spans to the collector; requests are not affected');
            lastWarningAt = now;
            failedBatches = 0;
            failedSpans = 0;
          }
        }
        resultCallback(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
