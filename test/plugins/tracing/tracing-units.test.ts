import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { exporterSettings, tracesUrl } from '../../../src/plugins/tracing/exporter-settings.ts';
import { warnOnFailedExports } from '../../../src/plugins/tracing/export-warnings.ts';
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

describe('tracing: failed exports', () => {
  it('warn once, then at most once a minute, and say when exports work again; the processor still gets each result', () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) });
    let fail = true;
    const inner: SpanExporter = { export: (_spans, done) => done(fail ? { code: 1, error: new Error('connect ECONNREFUSED') } : { code: 0 }), shutdown: async () => {} };
    const exporter = warnOnFailedExports(inner, logger, 'http://collector/v1/traces');
    const results: number[] = [];
    for (let round = 0; round < 5; round++) exporter.export([], (result) => results.push(result.code));
    fail = false;
    exporter.export([], (result) => results.push(result.code));
    assert.deepEqual(results, [1, 1, 1, 1, 1, 0]);
    assert.deepEqual(
      lines.map((line) => line.level),
      [40, 30],
      'one warning for five failures, one line when it works again',
    );
  });
});
