import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { UsageRecord } from '../../src/store/store.ts';
import { UsageLedger, type UsageSink } from '../../src/usage/usage-ledger.ts';

function record(index: number): UsageRecord {
  return {
    id: `use_${String(index).padStart(8, '0')}`, request_id: `r${index}`, at: new Date().toISOString(), consumer: null, consumer_id: null, key_id: null, team: null, team_id: null, route: null, variant: null,
    provider: 'echo', operation: 'chat', requested_model: 'echo/x', model: 'x', input_tokens: 1, output_tokens: 1, cached_tokens: 0, reasoning_tokens: 0,
    cost_usd: 0.001, cost_estimated: false, latency_ms: 1, ttft_ms: null, status: 200, error_type: null, error_code: null, cache_hit: false, stream: false,
  };
}

/** A sink that can be made to fail, remembering every batch it accepted. */
class FakeSink implements UsageSink {
  batches: UsageRecord[][] = [];
  down = false;
  attempts = 0;
  async insertUsage(records: readonly UsageRecord[]): Promise<void> {
    this.attempts++;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.down) throw new Error('store unreachable');
    this.batches.push([...records]);
  }
  get written(): UsageRecord[] {
    return this.batches.flat();
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const silent = pino({ level: 'silent' });

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted)).reduce((total, value) => total + value.value, 0);
}

describe('UsageLedger (the batch writer)', () => {
  it('writes on the flush interval, not per record', async () => {
    const sink = new FakeSink();
    const ledger = new UsageLedger(sink, { flushIntervalMs: 40, batchSize: 500 });
    for (let index = 0; index < 10; index++) ledger.record(record(index));
    assert.equal(sink.batches.length, 0, 'nothing written on the request path');
    await wait(120);
    assert.equal(sink.batches.length, 1);
    assert.equal(sink.written.length, 10);
    await ledger.close();
  });

  it('writes a full batch at once, in batches of batch_size, in order', async () => {
    const sink = new FakeSink();
    const ledger = new UsageLedger(sink, { flushIntervalMs: 60_000, batchSize: 100 });
    for (let index = 0; index < 250; index++) ledger.record(record(index));
    await wait(30);
    assert.ok(sink.written.length >= 200, `full batches written without the timer (${sink.written.length})`);
    assert.ok(sink.batches.every((batch) => batch.length <= 100));
    await ledger.close();
    assert.deepEqual(sink.written.map((entry) => entry.request_id), Array.from({ length: 250 }, (_unused, index) => `r${index}`));
  });

  it('keeps records while the store is down, bounded by max_queued (oldest dropped, counted), and writes them when it is back', async () => {
    const sink = new FakeSink();
    const registry = new Registry();
    const ledger = new UsageLedger(sink, { flushIntervalMs: 20, batchSize: 50, maxQueued: 300, retryIntervalMs: 20 }, { logger: silent, registry });
    sink.down = true;
    for (let index = 0; index < 500; index++) ledger.record(record(index));
    await wait(80);
    assert.equal(ledger.queued, 300);
    assert.equal(await metric(registry, 'tollgate_usage_records_dropped_total', { reason: 'queue_full' }), 200);
    assert.ok((await metric(registry, 'tollgate_usage_ledger_write_errors_total')) >= 1);
    sink.down = false;
    await wait(100);
    assert.equal(ledger.queued, 0);
    // The newest 300 survived, in order.
    assert.deepEqual(sink.written.map((entry) => entry.request_id), Array.from({ length: 300 }, (_unused, index) => `r${index + 200}`));
    assert.equal(await metric(registry, 'tollgate_usage_records_written_total'), 300);
    await ledger.close();
  });

  it('retries a store that cannot be written once per retry interval, not every (short) flush interval, and writes everything once it is back', async () => {
    const sink = new FakeSink();
    const ledger = new UsageLedger(sink, { flushIntervalMs: 10, retryIntervalMs: 150 }, { logger: silent });
    sink.down = true;
    ledger.record(record(1));
    await wait(400);
    // One attempt at the first tick (~10 ms), then at ~160 and ~310 ms: three, where the flush
    // interval alone would have made about forty.
    assert.ok(sink.attempts >= 2 && sink.attempts <= 4, `attempts while down: ${sink.attempts}`);
    assert.equal(ledger.queued, 1);
    sink.down = false;
    ledger.record(record(2));
    await wait(250);
    assert.deepEqual(sink.written.map((entry) => entry.request_id), ['r1', 'r2']);
    await ledger.close();
  });

  it('an idle ledger does not call the store on its timer', async () => {
    const sink = new FakeSink();
    const ledger = new UsageLedger(sink, { flushIntervalMs: 5 });
    await wait(100);
    assert.equal(sink.attempts, 0);
    ledger.record(record(1));
    await wait(100);
    assert.equal(sink.attempts, 1);
    await ledger.close();
  });

  it('close() writes everything queued; records that cannot be written at shutdown are counted as lost', async () => {
    const sink = new FakeSink();
    const ledger = new UsageLedger(sink, { flushIntervalMs: 60_000 });
    for (let index = 0; index < 42; index++) ledger.record(record(index));
    await ledger.close();
    assert.equal(sink.written.length, 42);

    const failing = new FakeSink();
    failing.down = true;
    const registry = new Registry();
    const doomed = new UsageLedger(failing, { flushIntervalMs: 60_000, shutdownWaitMs: 300 }, { logger: silent, registry });
    for (let index = 0; index < 7; index++) doomed.record(record(index));
    await doomed.close();
    assert.equal(await metric(registry, 'tollgate_usage_records_dropped_total', { reason: 'shutdown' }), 7);
    assert.ok(failing.attempts > 1, `a failed write is tried again within the wait (${failing.attempts} attempts)`);
  });

  it('close() tries a store that refuses again until it writes (a database restarting during the stop), within shutdownWaitMs', async () => {
    const sink = new FakeSink();
    sink.down = true;
    const registry = new Registry();
    const ledger = new UsageLedger(sink, { flushIntervalMs: 60_000, shutdownWaitMs: 3000 }, { logger: silent, registry });
    for (let index = 0; index < 9; index++) ledger.record(record(index));
    setTimeout(() => {
      sink.down = false;
    }, 500);
    const started = performance.now();
    await ledger.close();
    assert.equal(sink.written.length, 9);
    assert.equal(await metric(registry, 'tollgate_usage_records_dropped_total', { reason: 'shutdown' }), 0);
    assert.ok(performance.now() - started < 1500, 'it stops once written, not at the end of the wait');
  });

  it('a reload changes the settings and keeps the queue', async () => {
    const sink = new FakeSink();
    const ledger = new UsageLedger(sink, { flushIntervalMs: 60_000 });
    ledger.record(record(1));
    ledger.configure({ flushIntervalMs: 20 });
    await wait(80);
    assert.equal(sink.written.length, 1);
    await ledger.close();
  });
});
