/**
 * Usage-ledger micro-bench: pushes usage records at a fixed rate into the real writer
 * (UsageLedger -> KyselyStore.insertUsage) for a while and reports whether it keeps up:
 * throughput, batch write latency, the largest queue, and RSS/heap over time (memory must not grow).
 *
 *   npm run bench:ledger                      # 2,000 records/s for 10 s into a SQLite file
 *   npm run bench:ledger -- --rate 5000 --seconds 20
 *   npm run bench:ledger -- --storage postgres://postgres@127.0.0.1:5432/bench   # an existing, throw-away database
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openStore } from '../src/store/open-store.ts';
import { newId } from '../src/store/ids.ts';
import type { UsageRecord } from '../src/store/store.ts';
import { UsageLedger } from '../src/usage/usage-ledger.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    storage: { type: 'string' },
    'flush-interval': { type: 'string', default: '50' },
    'batch-size': { type: 'string', default: '500' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const directory = values.storage ? null : mkdtempSync(join(tmpdir(), 'tollgate-ledger-bench-'));
const storage = values.storage ?? `sqlite:${join(directory!, 'ledger.db')}`;

const consumers = Array.from({ length: 50 }, (_unused, index) => `consumer-${index}`);
const models = ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash'];

/** A record like the usage-ledger plugin builds in the log phase. */
function makeRecord(sequence: number): UsageRecord {
  const consumer = consumers[sequence % consumers.length];
  return {
    id: newId('use'),
    request_id: `bench-${sequence}`,
    at: new Date().toISOString(),
    consumer,
    consumer_id: `con_${consumer}`,
    key_id: `key_${sequence % 200}`,
    team: `team-${sequence % 7}`,
    team_id: `team_${sequence % 7}`,
    route: sequence % 3 === 0 ? 'premium' : null,
    variant: null,
    provider: 'openai',
    operation: 'chat',
    requested_model: models[sequence % models.length],
    model: models[sequence % models.length],
    input_tokens: 200 + (sequence % 800),
    output_tokens: 50 + (sequence % 300),
    cached_tokens: sequence % 5 === 0 ? 128 : 0,
    reasoning_tokens: 0,
    cost_usd: 0.000123 * (1 + (sequence % 10)),
    cost_estimated: false,
    latency_ms: 120 + (sequence % 500),
    ttft_ms: sequence % 4 === 0 ? 80 : null,
    status: sequence % 50 === 0 ? 429 : 200,
    error_type: sequence % 50 === 0 ? 'rate_limit_error' : null,
    error_code: sequence % 50 === 0 ? 'rate_limit_exceeded' : null,
    cache_hit: false,
    stream: sequence % 4 === 0,
  };
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

const { store } = await openStore(storage);
const ledger = new UsageLedger(store, { flushIntervalMs: Number(values['flush-interval']), batchSize: Number(values['batch-size']), maxQueued: 100_000 });

// Warm up (JIT, SQLite page cache) before measuring.
for (let index = 0; index < 2000; index++) ledger.record(makeRecord(1_000_000_000 + index));
await ledger.flush();
ledger.flushDurations.length = 0;
global.gc?.();

const tickMs = 10;
let pushed = 0;
let largestQueue = 0;
let recordNanoseconds = 0;
const samples: Array<{ second: number; rss: number; heap: number; queued: number }> = [];
const startRss = process.memoryUsage().rss;
// node:sqlite is synchronous: a batch write blocks the event loop, i.e. every request in flight. Measure it.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const started = performance.now();

await new Promise<void>((resolve) => {
  let lastSample = 0;
  const timer = setInterval(() => {
    const elapsed = performance.now() - started;
    // Push what the schedule owes by now (ticks the event loop missed are caught up), so the offered rate stays exact.
    const count = Math.max(0, Math.floor((Math.min(elapsed, seconds * 1000) / 1000) * rate) - pushed);
    const before = process.hrtime.bigint();
    for (let index = 0; index < count; index++) ledger.record(makeRecord(pushed++));
    recordNanoseconds += Number(process.hrtime.bigint() - before);
    largestQueue = Math.max(largestQueue, ledger.queued);
    if (elapsed - lastSample >= 1000) {
      lastSample = elapsed;
      const memory = process.memoryUsage();
      samples.push({ second: Math.round(elapsed / 1000), rss: megabytes(memory.rss), heap: megabytes(memory.heapUsed), queued: ledger.queued });
    }
    if (elapsed >= seconds * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, tickMs);
});
const offeredMs = performance.now() - started;
loopDelay.disable();
const drainStarted = performance.now();
await ledger.close();
const drainMs = performance.now() - drainStarted;

const written = await store.usageReport({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', groupBy: [] });
await store.close();
if (directory) rmSync(directory, { recursive: true, force: true });

const flushes = [...ledger.flushDurations].sort((left, right) => left - right);
const endRss = process.memoryUsage().rss;
const result = {
  storage: storage.startsWith('sqlite:') ? 'sqlite (file, WAL)' : 'postgres',
  offered_rate: rate,
  seconds: Math.round(offeredMs / 100) / 10,
  records_pushed: pushed,
  records_written: written.totals.requests - 2000,
  throughput_per_second: Math.round(pushed / (offeredMs / 1000)),
  batches: flushes.length,
  batch_write_ms: { p50: Math.round(percentile(flushes, 0.5) * 10) / 10, p99: Math.round(percentile(flushes, 0.99) * 10) / 10, max: Math.round((flushes.at(-1) ?? 0) * 10) / 10 },
  event_loop_delay_ms: { p50: Math.round(loopDelay.percentile(50) / 1e4) / 100, p99: Math.round(loopDelay.percentile(99) / 1e4) / 100, max: Math.round(loopDelay.max / 1e4) / 100 },
  largest_queue: largestQueue,
  final_drain_ms: Math.round(drainMs),
  record_call_us: Math.round((recordNanoseconds / Math.max(1, pushed) / 1000) * 100) / 100,
  rss_mb: { start: megabytes(startRss), end: megabytes(endRss), max: Math.max(...samples.map((sample) => sample.rss)) },
  per_second: samples,
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
const keptUp = result.records_written === pushed && largestQueue <= rate * 1.5;
process.stdout.write(`${keptUp ? 'OK' : 'FELL BEHIND'}: ${pushed} records offered at ${rate}/s, all ${result.records_written} written; queue never above ${largestQueue}; batch p99 ${result.batch_write_ms.p99} ms; RSS ${result.rss_mb.start} -> ${result.rss_mb.end} MB\n`);
process.exitCode = keptUp ? 0 : 1;
