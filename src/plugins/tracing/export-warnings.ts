import type { Logger } from 'pino';
import type { Counter } from 'prom-client';

/** Why spans were lost: the labels of tollgate_trace_spans_dropped_total. */
export const dropReasons = ['export_failed', 'queue_full'] as const;

/** At most one line per this long about an outage that goes on, about outages not logged one by one, or about a full queue. */
const repeatIntervalMs = 60_000;

/**
 * Outages whose start is logged at once: a burst of this many, then one more per minute. A
 * collector that restarts now and then gets every outage logged; one that flaps every few seconds
 * does not write two lines each time (the outages beyond the burst are summed up on their own).
 */
const startBurst = 5;
const startRefillMs = 60_000;

/** One outage: from a failed export after a working one (or the start) to the next export that works. */
interface Outage {
  startedAt: number;
  failedExports: number;
  failedSpans: number;
  queueFull: number;
  reason: string | undefined;
  /** When a line about it was last written; null while none was (its start fell beyond the burst). */
  loggedAt: number | null;
}

/** Outages that came and went without a line of their own. */
interface Unlogged {
  outages: number;
  failedExports: number;
  droppedSpans: number;
}

const noneUnlogged: Unlogged = { outages: 0, failedExports: 0, droppedSpans: 0 };

/**
 * What the tracing pipeline tells its operator about lost spans. Failed exports come in outages:
 * each one's start is a warning at once (within a burst, see startBurst), a warning at most once
 * a minute while it goes on, and an info line when exports work again, each with that outage's
 * own counts. Outages beyond the burst that end within a minute of the last line are summed up in
 * fields of their own (`earlier_unlogged_*`) on the next line, or in a line of their own a minute
 * after the last. Spans dropped because the queue is full (max_queue_size) are counted in the
 * outage they fall in; outside one (the collector is slower than the traffic), a warning at once,
 * then one a minute later with the count since, if any. Every lost span is counted in
 * tollgate_trace_spans_dropped_total{reason}.
 */
export class ExportWarnings {
  readonly #logger: Logger;
  readonly #endpoint: string;
  readonly #dropped: Counter<'reason'> | null;
  readonly #now: () => number;
  #outage: Outage | null = null;
  #unlogged: Unlogged = noneUnlogged;
  #summary: NodeJS.Timeout | undefined;
  /** When the last line about outages was written. */
  #lineAt = Number.NEGATIVE_INFINITY;
  #startTokens = startBurst;
  #tokensAt: number;
  /** Queue-full drops outside an outage since the last line about them, when that line was, and the timer of the next. */
  #queueFull = 0;
  #queueFullLineAt = Number.NEGATIVE_INFINITY;
  #queueFullLine: NodeJS.Timeout | undefined;

  constructor(logger: Logger, endpoint: string, dropped: Counter<'reason'> | null, now: () => number = () => performance.now()) {
    this.#logger = logger;
    this.#endpoint = endpoint;
    this.#dropped = dropped;
    this.#now = now;
    this.#tokensAt = now();
  }

  /** An export worked: the end of the outage, if one was going on. */
  exportSucceeded(): void {
    const outage = this.#outage;
    if (outage === null) return;
    this.#outage = null;
    const now = this.#now();
    if (outage.loggedAt === null && now - this.#lineAt < repeatIntervalMs) return this.#addUnlogged(outage);
    this.#line('info', { ...this.#counts(outage), outage_ms: Math.round(now - outage.startedAt) }, 'tracing: exporting spans works again', now);
  }

  /** An export failed (after the exporter's own retries): its spans are lost. */
  exportFailed(spans: number, reason: string | undefined): void {
    this.#dropped?.inc({ reason: 'export_failed' }, spans);
    const now = this.#now();
    const outage = this.#outage;
    if (outage === null) {
      const started: Outage = (this.#outage = { startedAt: now, failedExports: 1, failedSpans: spans, queueFull: 0, reason, loggedAt: null });
      if (!this.#takeStartToken(now)) return;
      started.loggedAt = now;
      this.#line('warn', { ...this.#counts(started), reason }, 'tracing: could not export spans to the collector; requests are not affected', now);
      return;
    }
    outage.failedExports++;
    outage.failedSpans += spans;
    outage.reason = reason;
    this.#repeat(outage, now);
  }

  /** A finished span found the export queue full (max_queue_size) and was dropped. */
  queueFull(): void {
    this.#dropped?.inc({ reason: 'queue_full' });
    const now = this.#now();
    const outage = this.#outage;
    if (outage !== null) {
      outage.queueFull++;
      this.#repeat(outage, now);
      return;
    }
    this.#queueFull++;
    if (now - this.#queueFullLineAt >= repeatIntervalMs) return this.#tellQueueFull();
    // The drops after the line are told a minute after it, whether more come or not.
    if (this.#queueFullLine !== undefined) return;
    this.#queueFullLine = setTimeout(() => this.#tellQueueFull(), this.#queueFullLineAt + repeatIntervalMs - now);
    this.#queueFullLine.unref();
  }

  /** At a stop: what is still untold (outages not logged one by one, queue-full drops since the last line). */
  close(): void {
    this.#tellUnlogged();
    this.#tellQueueFull();
  }

  #tellQueueFull(): void {
    clearTimeout(this.#queueFullLine);
    this.#queueFullLine = undefined;
    if (this.#queueFull === 0) return;
    this.#logger.warn({ endpoint: this.#endpoint, queue_full_dropped_spans: this.#queueFull }, 'tracing: the export queue is full (max_queue_size); finished spans are dropped until the collector catches up; requests are not affected');
    this.#queueFull = 0;
    this.#queueFullLineAt = this.#now();
  }

  /** An outage that goes on: a line a minute (also for one whose start was not logged). */
  #repeat(outage: Outage, now: number): void {
    if (now - (outage.loggedAt ?? outage.startedAt) < repeatIntervalMs) return;
    outage.loggedAt = now;
    this.#line('warn', { ...this.#counts(outage), outage_ms: Math.round(now - outage.startedAt), reason: outage.reason }, 'tracing: exporting spans to the collector still fails; requests are not affected', now);
  }

  /** A line about outages, with the unlogged ones since the last line as fields of their own (never added into this outage's counts). */
  #line(level: 'info' | 'warn', fields: Record<string, unknown>, message: string, now: number): void {
    const unlogged = this.#unlogged;
    this.#unlogged = noneUnlogged;
    clearTimeout(this.#summary);
    this.#summary = undefined;
    const earlier = unlogged.outages === 0 ? {} : { earlier_unlogged_outages: unlogged.outages, earlier_unlogged_failed_exports: unlogged.failedExports, earlier_unlogged_dropped_spans: unlogged.droppedSpans };
    this.#logger[level]({ endpoint: this.#endpoint, ...fields, ...earlier }, message);
    this.#lineAt = now;
  }

  #counts(outage: Outage): Record<string, number> {
    const counts: Record<string, number> = { failed_exports: outage.failedExports, dropped_spans: outage.failedSpans };
    if (outage.queueFull > 0) counts.queue_full_dropped_spans = outage.queueFull;
    return counts;
  }

  #takeStartToken(now: number): boolean {
    const refilled = Math.floor((now - this.#tokensAt) / startRefillMs);
    if (refilled > 0) {
      this.#startTokens = Math.min(startBurst, this.#startTokens + refilled);
      this.#tokensAt += refilled * startRefillMs;
    }
    if (this.#startTokens === 0) return false;
    this.#startTokens--;
    return true;
  }

  /** An outage that came and went without a line: told with the next line, or on its own a minute after the last. */
  #addUnlogged(outage: Outage): void {
    const unlogged = this.#unlogged;
    this.#unlogged = { outages: unlogged.outages + 1, failedExports: unlogged.failedExports + outage.failedExports, droppedSpans: unlogged.droppedSpans + outage.failedSpans + outage.queueFull };
    if (this.#summary !== undefined) return;
    this.#summary = setTimeout(() => this.#tellUnlogged(), Math.max(0, this.#lineAt + repeatIntervalMs - this.#now()));
    this.#summary.unref();
  }

  #tellUnlogged(): void {
    clearTimeout(this.#summary);
    this.#summary = undefined;
    if (this.#unlogged.outages === 0) return;
    this.#line('warn', {}, 'tracing: the collector failed and recovered several times; those outages were not logged one by one', this.#now());
  }
}
