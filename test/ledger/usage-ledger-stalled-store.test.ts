import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { UsageRecord } from '../../src/store/store.ts';
import { UsageLedger, type UsageSink } from '../../src/usage/usage-ledger.ts';

/**
 * The ledger's writer against a store whose writes hang (resilience audit F2, F4), without a
 * database: its queue gauge counts what waits, and a stop gives up after `shutdownWaitMs` without
 * a batch written, yet waits as long as batches keep being written.
 */

function record(index: number): UsageRecord {
  return {
    id: `use_${String(index).padStart(8, '0')}`, request_id: `r${index}`, at: new Date().toISOString(), consumer: null, consumer_id: null, key_id: null, team: null, team_id: null, route: null, variant: null,
    provider: 'echo', operation: 'chat', requested_model: 'echo/x', model: 'x', input_tokens: 1, output_tokens: 1, cached_tokens: 0, reasoning_tokens: 0,
    cost_usd: 0.001, cost_estimated: false, latency_ms: 1, ttft_ms: null, status: 200, error_type: null, error_code: null, cache_hit: false, stream: false,
  };
}

/** A sink whose writes take `delayMs` each (Infinity: never answer). */
class SlowSink implements UsageSink {
  written = 0;
  attempts = 0;
  readonly delayMs: number;
  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }
  async insertUsage(records: readonly UsageRecord[]): Promise<void> {
    this.attempts++;
    if (this.delayMs === Infinity) return new Promise(() => {});
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.written += records.length;
  }
}

function capture(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted)).reduce((total, value) => total + value.value, 0);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('UsageLedger with a store that stops answering', () => {
  it('tollgate_usage_records_queued counts every record waiting while a write hangs, the hanging batch included', async () => {
    const registry = new Registry();
    const ledger = new UsageLedger(new SlowSink(Infinity), { flushIntervalMs: 5, batchSize: 10, shutdownWaitMs: 50 }, { registry });
    for (let index = 0; index < 25; index++) ledger.record(record(index));
    await wait(50);
    assert.equal(await metric(registry, 'tollgate_usage_records_queued'), 25);
    ledger.record(record(25));
    assert.equal(await metric(registry, 'tollgate_usage_records_queued'), 26, 'read when scraped, not when a write ends');
    await ledger.close();
  });

  it('a stop gives up after shutdownWaitMs without a batch written: what is left is counted and logged as lost', async () => {
    const registry = new Registry();
    const { logger, lines } = capture();
    const ledger = new UsageLedger(new SlowSink(Infinity), { flushIntervalMs: 5, batchSize: 10, shutdownWaitMs: 300 }, { registry, logger });
    for (let index = 0; index < 25; index++) ledger.record(record(index));
    await wait(30);
    const started = performance.now();
    await ledger.close();
    const took = performance.now() - started;
    assert.ok(took >= 290 && took < 1000, `close took ${Math.round(took)} ms`);
    assert.equal(await metric(registry, 'tollgate_usage_records_dropped_total', { reason: 'shutdown' }), 25);
    assert.deepEqual(lines.filter((line) => Number(line.level) >= 50).map((line) => line.msg), ['usage ledger: the store wrote nothing for 0.3 s at shutdown; 25 usage records are not written and are lost']);
    assert.equal(ledger.queued, 0);
  });

  it('a stop waits as long as batches keep being written, however long the queue', async () => {
    const sink = new SlowSink(100);
    const ledger = new UsageLedger(sink, { flushIntervalMs: 60_000, batchSize: 10, shutdownWaitMs: 250 });
    for (let index = 0; index < 60; index++) ledger.record(record(index));
    await ledger.close();
    // Six batches of 100 ms: longer than shutdownWaitMs in all, never that long without one.
    assert.equal(sink.written, 60);
  });
});
