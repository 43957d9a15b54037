import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { CountedSpanQueue } from '../../../src/plugins/tracing/counted-span-queue.ts';
import { exporterSettings, tracesUrl } from '../../../src/plugins/tracing/exporter-settings.ts';
import { ExportWarnings } from '../../../src/plugins/tracing/export-warnings.ts';
import { droppedSpansCounter } from '../../../src/plugins/tracing/trace-metrics.ts';
import { GatewayMetrics } from '../../../src/telemetry/metrics.ts';
import { parentContext } from '../../../src/plugins/tracing/trace-context.ts';
import { tracingConfigSchema } from '../../../src/plugins/tracing/tracing-config.ts';

describe('tracing: where spans go', () => {
  it('the config endpoint wins; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as is; OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces', () => {
    assert.equal(tracesUrl('http://a:4318/v1/traces', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b/x' }), 'http://a:4318/v1/traces');
    assert.equal(tracesUrl(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }), 'http://b:4318/custom');
    assert.equal(tracesUrl(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }), 'http://c:4318/v1/traces');
    assert.equal(tracesUrl(undefined, {}), 'http://localhost:4318/v1/traces');
  });

  it('service name: config, then OTEL_SERVICE_NAME, then tollgate; a bad endpoint variable is refused by name', () => {
    const defaults = tracingConfigSchema.parse({});
    assert.equal(exporterSettings(defaults, {}).serviceName, 'tollgate');
    assert.equal(exporterSettings(defaults, { OTEL_SERVICE_NAME: 'gw' }).serviceName, 'gw');
    assert.equal(exporterSettings({ ...defaults, service_name: 'mine' }, { OTEL_SERVICE_NAME: 'gw' }).serviceName, 'mine');
    assert.equal(exporterSettings(defaults, {}).flushIntervalMs, 5000);
    assert.throws(() => exporterSettings(defaults, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }), /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
  });
});

describe('tracing: W3C trace context', () => {
  const parentOf = (headers: Record<string, string>) => trace.getSpanContext(parentContext(headers));

  it('reads traceparent and tracestate', () => {
    const parent = parentOf({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'a=1,b=2' });
    assert.equal(parent?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(parent?.spanId, '00f067aa0ba902b7');
    assert.equal(parent?.traceFlags, 1);
    assert.equal(parent?.isRemote, true);
    assert.equal(parent?.traceState?.get('b'), '2');
    assert.equal(parentOf({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' })?.traceFlags, 0);
  });

  it('ignores what the spec says to ignore', () => {
    for (const traceparent of ['', 'garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`, 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01']) {
      assert.equal(parentOf({ traceparent }), undefined, traceparent);
    }
    // A later version may add fields.
    assert.equal(parentOf({ traceparent: '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra' })?.spanId, '00f067aa0ba902b7');
  });
});

describe('tracing: lost spans, told per outage (ExportWarnings)', () => {
  /** A logger into `lines`, a clock the test moves, and the counter tollgate_trace_spans_dropped_total. */
  function setUp() {
    const lines: Array<Record<string, unknown> & { level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown> & { level: number; msg: string }) });
    let now = 1_000;
    const metrics = new GatewayMetrics();
    const warnings = new ExportWarnings(logger, 'http://collector/v1/traces', droppedSpansCounter(metrics), () => now);
    return { lines, warnings, metrics, advance: (ms: number) => (now += ms) };
  }
  const sample = async (metrics: GatewayMetrics, reason: string) => Number((await metrics.exposition()).split('\n').find((line) => line.startsWith(`tollgate_trace_spans_dropped_total{reason="${reason}"} `))?.split(' ')[1]);

  it("an outage soon after another gets its own warning at once, and each recovery line has that outage's own counts", () => {
    const { lines, warnings, advance } = setUp();
    warnings.exportFailed(400, 'Service Unavailable');
    advance(5_000);
    warnings.exportFailed(400, 'Service Unavailable');
    advance(3_600);
    warnings.exportSucceeded();
    advance(15_000);
    warnings.exportFailed(512, 'Timeout');
    warnings.queueFull();
    warnings.queueFull();
    advance(10_000);
    warnings.exportSucceeded();
    assert.deepEqual(
      lines.map(({ level, msg, failed_exports, dropped_spans, queue_full_dropped_spans }) => ({ level, msg, failed_exports, dropped_spans, queue_full_dropped_spans })),
      [
        { level: 40, msg: 'tracing: could not export spans to the collector; requests are not affected', failed_exports: 1, dropped_spans: 400, queue_full_dropped_spans: undefined },
        { level: 30, msg: 'tracing: exporting spans works again', failed_exports: 2, dropped_spans: 800, queue_full_dropped_spans: undefined },
        { level: 40, msg: 'tracing: could not export spans to the collector; requests are not affected', failed_exports: 1, dropped_spans: 512, queue_full_dropped_spans: undefined },
        { level: 30, msg: 'tracing: exporting spans works again', failed_exports: 1, dropped_spans: 512, queue_full_dropped_spans: 2 },
      ],
    );
    assert.equal(lines[1].outage_ms, 8_600);
    assert.equal(lines[2].reason, 'Timeout');
  });

  it('an outage that goes on: one line a minute with its counts so far', () => {
    const { lines, warnings, advance } = setUp();
    warnings.exportFailed(10, 'down');
    for (let round = 0; round < 12; round++) {
      advance(10_000);
      warnings.exportFailed(10, 'down');
    }
    assert.deepEqual(
      lines.map((line) => [line.msg, line.failed_exports]),
      [
        ['tracing: could not export spans to the collector; requests are not affected', 1],
        ['tracing: exporting spans to the collector still fails; requests are not affected', 7],
        ['tracing: exporting spans to the collector still fails; requests are not affected', 13],
      ],
    );
  });

  it('a collector that flaps: five outages logged one by one, the rest summed up in fields of their own, never in another outage', () => {
    const { lines, warnings, advance } = setUp();
    for (let outage = 0; outage < 8; outage++) {
      warnings.exportFailed(1, 'down');
      advance(1_000);
      warnings.exportSucceeded();
      advance(1_000);
    }
    assert.equal(lines.length, 10, 'five starts and five recoveries');
    advance(60_000);
    warnings.exportFailed(5, 'down');
    const next = lines.at(-1)!;
    assert.equal(next.msg, 'tracing: could not export spans to the collector; requests are not affected', 'a minute later, an outage is logged at once again');
    assert.deepEqual([next.failed_exports, next.dropped_spans], [1, 5]);
    assert.deepEqual([next.earlier_unlogged_outages, next.earlier_unlogged_failed_exports, next.earlier_unlogged_dropped_spans], [3, 3, 3]);
  });

  it('outages not logged one by one are told at the latest at the stop', () => {
    const { lines, warnings, advance } = setUp();
    for (let outage = 0; outage < 6; outage++) {
      warnings.exportFailed(2, 'down');
      advance(100);
      warnings.exportSucceeded();
    }
    assert.equal(lines.length, 10);
    warnings.close();
    assert.equal(lines.length, 11);
    assert.deepEqual([lines[10].level, lines[10].earlier_unlogged_outages, lines[10].earlier_unlogged_dropped_spans], [40, 1, 2]);
  });

  it('outages not logged one by one are told in a line of their own a minute after the last line, though nothing more happens', (context) => {
    context.mock.timers.enable({ apis: ['setTimeout'] });
    const { lines, warnings, advance } = setUp();
    for (let outage = 0; outage < 7; outage++) {
      warnings.exportFailed(3, 'down');
      advance(100);
      warnings.exportSucceeded();
    }
    assert.equal(lines.length, 10);
    advance(60_000);
    context.mock.timers.tick(60_000);
    assert.equal(lines.length, 11);
    assert.deepEqual([lines[10].msg, lines[10].earlier_unlogged_outages, lines[10].earlier_unlogged_failed_exports, lines[10].earlier_unlogged_dropped_spans], ['tracing: the collector failed and recovered several times; those outages were not logged one by one', 2, 2, 6]);
  });

  it('a full queue outside an outage: a warning at once, then at most one a minute with the count since the last', () => {
    const { lines, warnings, advance } = setUp();
    warnings.queueFull();
    warnings.queueFull();
    advance(30_000);
    warnings.queueFull();
    advance(30_000);
    warnings.queueFull();
    assert.deepEqual(
      lines.map((line) => [line.level, line.queue_full_dropped_spans]),
      [
        [40, 1],
        [40, 3],
      ],
    );
    warnings.queueFull();
    warnings.close();
    assert.deepEqual(lines.at(-1)?.queue_full_dropped_spans, 1, 'the stop tells what is left');
  });

  it('queue-full drops after the line are told a minute later, though no more come', async (context) => {
    context.mock.timers.enable({ apis: ['setTimeout'] });
    const { lines, warnings, advance } = setUp();
    warnings.queueFull();
    warnings.queueFull();
    warnings.queueFull();
    assert.equal(lines.length, 1);
    advance(60_000);
    context.mock.timers.tick(60_000);
    assert.deepEqual(
      lines.map((line) => line.queue_full_dropped_spans),
      [1, 2],
    );
  });

  it('counts every lost span in tollgate_trace_spans_dropped_total{reason}, both reasons at 0 from the start', async () => {
    const { warnings, metrics } = setUp();
    assert.equal(await sample(metrics, 'export_failed'), 0);
    assert.equal(await sample(metrics, 'queue_full'), 0);
    warnings.exportFailed(7, 'down');
    warnings.exportFailed(3, 'down');
    warnings.queueFull();
    assert.equal(await sample(metrics, 'export_failed'), 10);
    assert.equal(await sample(metrics, 'queue_full'), 1);
  });
});

describe('tracing: the export queue, counted (CountedSpanQueue)', () => {
  it("drops and counts the spans beyond max_queue_size while an export hangs; the batch processor's own limit is never reached", async () => {
    const lines: Array<{ msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { msg: string }) });
    const metrics = new GatewayMetrics();
    const exported: number[] = [];
    const pending: Array<() => void> = [];
    // Never answers until the test lets it: a collector that hangs.
    const hanging: SpanExporter = { export: (spans, done) => (exported.push(spans.length), pending.push(() => done({ code: 0 }))), shutdown: async () => {} };
    const warnings = new ExportWarnings(logger, 'http://collector/v1/traces', droppedSpansCounter(metrics));
    const queue = new CountedSpanQueue(hanging, 4, warnings, (exporter) => new BatchSpanProcessor(exporter, { maxQueueSize: 4, maxExportBatchSize: 2, scheduledDelayMillis: 60_000, exportTimeoutMillis: 60_000 }));
    const provider = new BasicTracerProvider({ spanProcessors: [queue] });
    const tracer = provider.getTracer('test');
    for (let index = 0; index < 10; index++) tracer.startSpan(`span ${index}`).end();
    // Two went to the (hanging) exporter at once, four wait, four were dropped.
    assert.deepEqual(exported, [2]);
    const text = await metrics.exposition();
    assert.match(text, /^tollgate_trace_spans_dropped_total\{reason="queue_full"\} 4$/m);
    assert.equal(lines.filter((line) => line.msg.startsWith('tracing: the export queue is full')).length, 1);
    for (const release of pending.splice(0)) release();
    const flushed = provider.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (const release of pending.splice(0)) release();
    await flushed;
    assert.deepEqual(exported, [2, 2, 2], 'the four that waited were exported');
    // Room again: the next span is queued, not dropped.
    tracer.startSpan('after').end();
    assert.match(await metrics.exposition(), /^tollgate_trace_spans_dropped_total\{reason="queue_full"\} 4$/m);
    const stopped = provider.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (const release of pending.splice(0)) release();
    await stopped;
    assert.deepEqual(exported, [2, 2, 2, 1]);
  });
});
