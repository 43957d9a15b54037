// A collector that fails, recovers and fails again, or hangs until the queue is full, through
// the real gateway: each outage is logged when it starts and when it ends with its own counts,
// and every lost span is counted in tollgate_trace_spans_dropped_total{reason}.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startCollector, type Collector } from './otlp-collector.ts';

type LogLine = Record<string, unknown> & { msg: string };

const couldNotExport = 'tracing: could not export spans to the collector; requests are not affected';
const worksAgain = 'tracing: exporting spans works again';

/** One sample's value from a /metrics text, undefined when the series is absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

async function chat(gw: RunningGateway): Promise<void> {
  const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hello' }] }) });
  assert.equal(response.status, 200, 'a failing collector never fails a request');
  await response.text();
}

/** Waits until `lines` has `count` lines with this message. */
async function linesSaying(lines: LogLine[], message: string, count: number, timeoutMs = 5000): Promise<LogLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = lines.filter((line) => line.msg === message);
    if (found.length >= count || Date.now() > deadline) return found;
    await sleep(20);
  }
}

describe('tracing: collector outages through the real gateway', () => {
  let collector: Collector;

  before(async () => {
    collector = await startCollector();
  });
  after(async () => {
    await collector.close();
  });

  it('an outage soon after a recovery gets its own warning at once; each recovery line has its outage’s counts', async () => {
    const lines: LogLine[] = [];
    const gw = await startGateway(`plugins: { tracing: { endpoint: "${collector.tracesUrl}", flush_interval: 20ms, export_timeout: 300ms } }\n`, {}, { logLines: lines as Array<Record<string, unknown>> });
    try {
      collector.mode = 'fail';
      await chat(gw);
      assert.equal((await linesSaying(lines, couldNotExport, 1)).length, 1, 'the first outage is logged at once');
      collector.mode = 'ok';
      await chat(gw);
      const [firstRecovery] = await linesSaying(lines, worksAgain, 1);
      assert.ok(firstRecovery, 'the recovery is logged');
      assert.equal(firstRecovery.dropped_spans, 2, "the first outage's two spans");

      collector.mode = 'fail';
      await chat(gw);
      const warnings = await linesSaying(lines, couldNotExport, 2);
      assert.equal(warnings.length, 2, 'a second outage seconds after the first recovery is logged at once too');
      collector.mode = 'ok';
      await chat(gw);
      const recoveries = await linesSaying(lines, worksAgain, 2);
      assert.equal(recoveries.length, 2);
      assert.equal(recoveries[1].dropped_spans, 2, "the second outage's own spans, not added to the first's");
      assert.equal(recoveries[1].failed_exports, 1);
      assert.equal(typeof recoveries[1].outage_ms, 'number');

      const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
      assert.equal(sample(metrics, 'tollgate_trace_spans_dropped_total{reason="export_failed"}'), 4);
      assert.equal(sample(metrics, 'tollgate_trace_spans_dropped_total{reason="queue_full"}'), 0, 'at 0 from the start');
    } finally {
      collector.mode = 'ok';
      await gw.close();
    }
  });

  it('spans dropped because the queue is full are counted and logged', async () => {
    const lines: LogLine[] = [];
    const gw = await startGateway(`plugins: { tracing: { endpoint: "${collector.tracesUrl}", flush_interval: 20ms, export_timeout: 500ms, max_queue_size: 2, max_export_batch_size: 2 } }\n`, {}, { logLines: lines as Array<Record<string, unknown>> });
    try {
      collector.mode = 'hang';
      // The first request's two spans go to the hanging export; the next two fill the queue; the rest are dropped.
      for (let round = 0; round < 4; round++) await chat(gw);
      const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
      assert.equal(sample(metrics, 'tollgate_trace_spans_dropped_total{reason="queue_full"}'), 4);
      const [full] = await linesSaying(lines, 'tracing: the export queue is full (max_queue_size); finished spans are dropped until the collector catches up; requests are not affected', 1);
      assert.equal(full?.queue_full_dropped_spans, 1, 'logged at the first drop');
    } finally {
      collector.mode = 'ok';
      await gw.close();
    }
  });
});
