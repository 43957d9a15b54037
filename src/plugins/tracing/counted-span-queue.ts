import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ExportWarnings } from './export-warnings.ts';

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];

/** ExportResultCode.SUCCESS of @opentelemetry/core (not a dependency of its own for one number). */
const exportSucceeded = 0;

/**
 * The batch processor's queue, counted from outside it: the SDK's BatchSpanProcessor drops spans
 * beyond its `maxQueueSize` silently (a debug line through its diag logger), so this processor in
 * front of it keeps the count itself — spans handed to the batch processor, less those it has
 * handed to the exporter — and drops a span itself (told to ExportWarnings) when the count is at
 * `capacity`. The batch processor, given the same capacity, never reaches its own limit.
 */
export class CountedSpanQueue implements SpanProcessor {
  readonly #inner: SpanProcessor;
  readonly #capacity: number;
  readonly #warnings: ExportWarnings;
  #waiting = 0;
  #closed = false;

  /** `batch` makes the batch processor (of this capacity) around the exporter it is given: `exporter`, counted. */
  constructor(exporter: SpanExporter, capacity: number, warnings: ExportWarnings, batch: (exporter: SpanExporter) => SpanProcessor) {
    this.#capacity = capacity;
    this.#warnings = warnings;
    this.#inner = batch(countedExporter(exporter, warnings, (count) => (this.#waiting = Math.max(0, this.#waiting - count))));
  }

  onStart(span: Span, parentContext: Context): void {
    this.#inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // What the batch processor would ignore is not queued: unsampled spans, spans after its shutdown.
    if (this.#closed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.#waiting >= this.#capacity) return this.#warnings.queueFull();
    this.#waiting++;
    this.#inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#closed = true;
    return this.#inner.shutdown().finally(() => this.#warnings.close());
  }
}

/** The batch processor's exporter: tells `leftQueue` how many spans each export took from the queue, and ExportWarnings how it went. */
function countedExporter(inner: SpanExporter, warnings: ExportWarnings, leftQueue: (count: number) => void): SpanExporter {
  return {
    export(spans, resultCallback) {
      leftQueue(spans.length);
      inner.export(spans, (result: ExportResult) => {
        if (result.code === exportSucceeded) warnings.exportSucceeded();
        else warnings.exportFailed(spans.length, result.error?.message);
        resultCallback(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
