import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { toMilliseconds } from '../config/units.ts';
import { settledWithin } from '../store/settled-within.ts';
import { withZeroSeries } from '../telemetry/registered-metric.ts';
import type { UsageRecord } from '../store/store.ts';

/** Where batches go: the store (`Store.insertUsage`), or a stand-in in tests and the bench. */
export interface UsageSink {
  insertUsage(records: readonly UsageRecord[]): Promise<void>;
}

export interface UsageLedgerSettings {
  /** Longest time a record waits in memory before it is written (ms). */
  flushIntervalMs: number;
  /** Most records per INSERT; a full batch is written at once, without waiting for the timer. */
  batchSize: number;
  /** Most records kept in memory while the store cannot be written; beyond it the oldest are dropped. */
  maxQueued: number;
  /** While writes fail, the next attempt waits at least this long (ms), however short the flush interval. */
  retryIntervalMs: number;
  /** At a stop, how long the last write may go without progress (no batch written) before what is left is given up as lost (ms). */
  shutdownWaitMs: number;
}

/**
 * 50 ms: a record lives about as long as the request's own garbage, so it dies in V8's young
 * generation instead of being promoted and marked by the next full collection (with 1 s, the
 * ledger doubled how fast the old generation grew at 2,000 req/s; README, Operations). A full
 * batch is still written at once, so at high rates batches stay large.
 */
/** How soon a stop tries a failed write again (a refused connection fails at once). */
const shutdownRetryMs = 200;

export const defaultLedgerSettings: UsageLedgerSettings = { flushIntervalMs: 50, batchSize: 500, maxQueued: 100_000, retryIntervalMs: 1000, shutdownWaitMs: 5000 };

/** The writer's settings from the config's `usage:` section. */
export function ledgerSettingsOf(usage: { flush_interval: number | string; batch_size: number; max_queued: number }): UsageLedgerSettings {
  return { ...defaultLedgerSettings, flushIntervalMs: Math.max(1, toMilliseconds(usage.flush_interval)), batchSize: usage.batch_size, maxQueued: usage.max_queued };
}

interface LedgerMetrics {
  written: Counter;
  dropped: Counter<'reason'>;
  writeErrors: Counter;
  queued: Gauge;
  flushSeconds: Histogram;
}

function single<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The ledger whose queue a registry's gauge reads when it is collected (one per process, the Gateway's). */
const ledgerOfGauge = new WeakMap<Gauge, UsageLedger>();

function ledgerMetrics(registry: Registry): LedgerMetrics {
  const registers = [registry];
  // Read when scraped: a write that hangs or fails must not leave the gauge at what it was before it.
  const collect = function (this: Gauge): void {
    this.set(ledgerOfGauge.get(this)?.queued ?? 0);
  };
  return {
    written: single(registry, 'tollgate_usage_records_written_total', () => new Counter({ name: 'tollgate_usage_records_written_total', help: 'Usage records written to the store.', registers })),
    // Both reasons at 0 from the start, so increase() sees the first loss.
    dropped: single(registry, 'tollgate_usage_records_dropped_total', () => withZeroSeries(new Counter({ name: 'tollgate_usage_records_dropped_total', help: 'Usage records lost: the queue was full while the store could not be written (queue_full), or the store failed at shutdown (shutdown).', labelNames: ['reason'], registers }), [{ reason: 'queue_full' }, { reason: 'shutdown' }])),
    writeErrors: single(registry, 'tollgate_usage_ledger_write_errors_total', () => new Counter({ name: 'tollgate_usage_ledger_write_errors_total', help: 'Failed usage batch writes (each is retried at the next flush).', registers })),
    queued: single(registry, 'tollgate_usage_records_queued', () => new Gauge({ name: 'tollgate_usage_records_queued', help: 'Usage records waiting in memory to be written (those kept for a retry while the store cannot be written, and the batch being written, included).', registers, collect })),
    flushSeconds: single(registry, 'tollgate_usage_ledger_flush_seconds', () => new Histogram({ name: 'tollgate_usage_ledger_flush_seconds', help: 'Time to write one usage batch.', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers })),
  };
}

/**
 * The usage ledger's writer: records are queued in memory by the log phase (no I/O on the
 * request path) and written in batches, one multi-row INSERT per batch, every flush interval or
 * as soon as a batch is full. One per process (the Gateway owns it, like the store): a config
 * reload changes its settings, never its queue.
 *
 * Loss bounds: a graceful stop flushes everything; a crash (kill -9) loses what was queued since
 * the last flush, at most one interval's worth while the store keeps up. While the store cannot
 * be written, batches go back to the queue and are retried each interval; the queue keeps at most
 * `maxQueued` records, dropping the oldest (metric + one log line per outage).
 */
export class UsageLedger {
  readonly #sink: UsageSink;
  readonly #logger: Logger | undefined;
  readonly #metrics: LedgerMetrics | undefined;
  #settings: UsageLedgerSettings;
  #queue: UsageRecord[] = [];
  #flushing: Promise<boolean> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #flushSoon = false;
  #failing = false;
  /** While failing: performance.now() before which the timer does not try again. */
  #retryAt = 0;
  #droppedThisOutage = 0;
  #closed = false;
  /** A stop gave up on the store: a write still pending is no longer reported. */
  #abandoned = false;
  /** Records of the batch being written. */
  #writing = 0;
  /** performance.now() of the last batch written (a stop waits as long as batches keep being written). */
  #writtenAt = 0;
  /** Batch write times (ms) since the last read, for the bench. */
  readonly flushDurations: number[] = [];

  constructor(sink: UsageSink, settings: Partial<UsageLedgerSettings> = {}, options: { logger?: Logger; registry?: Registry } = {}) {
    this.#sink = sink;
    this.#settings = { ...defaultLedgerSettings, ...settings };
    this.#logger = options.logger;
    this.#metrics = options.registry ? ledgerMetrics(options.registry) : undefined;
    if (this.#metrics) ledgerOfGauge.set(this.#metrics.queued, this);
  }

  get settings(): UsageLedgerSettings {
    return this.#settings;
  }

  /** Records waiting to be written (the batch being written included). */
  get queued(): number {
    return this.#queue.length + this.#writing;
  }

  /** New settings from a reloaded config; the queue is kept. */
  configure(settings: Partial<UsageLedgerSettings>): void {
    const previous = this.#settings;
    this.#settings = { ...previous, ...settings };
    if (this.#settings.flushIntervalMs !== previous.flushIntervalMs && this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
      this.#arm();
    }
  }

  /**
   * Arms the timer when records wait and it is not armed: a flush interval from now, or while
   * writes fail, the next retry. Idle, no timer runs (no wake-ups 20 times a second).
   */
  #arm(): void {
    if (this.#timer !== null || this.#closed || this.#queue.length === 0) return;
    const wait = this.#failing ? Math.max(this.#settings.flushIntervalMs, this.#retryAt - performance.now()) : this.#settings.flushIntervalMs;
    this.#timer = setTimeout(this.#onTimer, Math.max(1, wait));
    this.#timer.unref();
  }

  readonly #onTimer = (): void => {
    this.#timer = null;
    if (this.#failing && performance.now() < this.#retryAt) this.#arm();
    else void this.flush();
  };

  /** Queues one record; called from the log phase, so it only appends (writing happens later). */
  record(record: UsageRecord): void {
    if (this.#closed) {
      // A request that outlived the drain: write it on its own rather than lose it silently.
      void this.#sink.insertUsage([record]).catch(() => this.#drop(1, 'shutdown'));
      return;
    }
    this.#queue.push(record);
    this.#arm();
    if (this.#queue.length > this.#settings.maxQueued) this.#drop(this.#queue.splice(0, this.#queue.length - this.#settings.maxQueued).length, 'queue_full');
    if (this.#queue.length >= this.#settings.batchSize && !this.#flushSoon && !this.#failing) {
      this.#flushSoon = true;
      setImmediate(() => {
        this.#flushSoon = false;
        void this.flush();
      });
    }
  }

  #drop(count: number, reason: 'queue_full' | 'shutdown'): void {
    if (count <= 0) return;
    this.#metrics?.dropped.inc({ reason }, count);
    if (reason === 'shutdown') {
      this.#logger?.error({ dropped: count }, `usage ledger: ${count} usage records could not be written at shutdown and are lost`);
      return;
    }
    if (this.#droppedThisOutage === 0) this.#logger?.error({ dropped: count, max_queued: this.#settings.maxQueued }, `usage ledger: the queue is full (usage.max_queued = ${this.#settings.maxQueued}) while the store cannot be written; dropping the oldest usage records`);
    this.#droppedThisOutage += count;
  }

  /**
   * Writes everything queued, a batch at a time; true when the queue was emptied. Concurrent
   * calls share one run. On a failure the batch goes back to the front of the queue and the run
   * stops (the timer retries after the retry interval); it never rejects.
   */
  flush(): Promise<boolean> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = null;
      // What came in during the write, or the batch that failed.
      this.#arm();
    });
    return this.#flushing;
  }

  async #drain(): Promise<boolean> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#settings.batchSize);
      this.#writing = batch.length;
      const started = performance.now();
      try {
        await this.#sink.insertUsage(batch);
      } catch (error) {
        this.#writing = 0;
        // Already counted as lost by the stop that gave up on it.
        if (this.#abandoned) return false;
        this.#queue.unshift(...batch);
        const excess = this.#queue.length - this.#settings.maxQueued;
        if (excess > 0) this.#drop(this.#queue.splice(0, excess).length, 'queue_full');
        this.#metrics?.writeErrors.inc();
        if (!this.#failing) this.#logger?.error({ err: error, queued: this.#queue.length }, `usage ledger: cannot write usage records to the store; keeping them in memory and retrying every ${Math.max(this.#settings.flushIntervalMs, this.#settings.retryIntervalMs)} ms`);
        this.#failing = true;
        this.#retryAt = performance.now() + Math.max(this.#settings.flushIntervalMs, this.#settings.retryIntervalMs);
        return false;
      }
      this.#writing = 0;
      this.#writtenAt = performance.now();
      const milliseconds = this.#writtenAt - started;
      if (this.flushDurations.length < 100_000) this.flushDurations.push(milliseconds);
      this.#metrics?.flushSeconds.observe(milliseconds / 1000);
      this.#metrics?.written.inc(batch.length);
      if (this.#failing) {
        this.#logger?.info({ dropped: this.#droppedThisOutage }, `usage ledger: the store is writable again${this.#droppedThisOutage > 0 ? `; ${this.#droppedThisOutage} usage records were dropped meanwhile` : ''}`);
        this.#failing = false;
        this.#droppedThisOutage = 0;
      }
    }
    return true;
  }

  /**
   * Graceful stop: no more timer; everything queued is written. A store that fails a write is
   * tried again every `shutdownRetryMs`; one that fails or does not answer does not hold the stop:
   * once no batch has been written for `shutdownWaitMs`, what is left is given up (counted and
   * logged as lost), while a store that keeps writing batches gets all the time a long queue needs.
   */
  async close(): Promise<void> {
    // Requests finishing in this tick still reach the queue before the last flush.
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const written = (async () => {
      await this.#flushing;
      this.#stopTimer();
      // A store that refuses (a database restarting, a fail-over) is tried again until it writes or
      // the wait below gives up on it, as one that does not answer is waited for.
      while (!(await this.flush())) {
        if (this.#abandoned) return false;
        await new Promise((resolve) => setTimeout(resolve, shutdownRetryMs));
        if (this.#abandoned) return false;
      }
      return true;
    })();
    for (;;) {
      const left = Math.max(started, this.#writtenAt) + this.#settings.shutdownWaitMs - performance.now();
      if (left <= 0) break;
      if (await settledWithin(written, left)) {
        if (!(await written)) this.#drop(this.#queue.splice(0).length, 'shutdown');
        return;
      }
    }
    this.#stopTimer();
    this.#abandoned = true;
    const lost = this.#queue.splice(0).length + this.#writing;
    this.#writing = 0;
    if (lost === 0) return;
    this.#metrics?.dropped.inc({ reason: 'shutdown' }, lost);
    this.#logger?.error({ dropped: lost, wait_ms: this.#settings.shutdownWaitMs }, `usage ledger: the store wrote nothing for ${this.#settings.shutdownWaitMs / 1000} s at shutdown; ${lost} usage records are not written and are lost`);
  }

  #stopTimer(): void {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
