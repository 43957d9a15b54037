import type { Logger } from 'pino';
import { settledWithin } from '../store/settled-within.ts';
import type { Store } from '../store/store.ts';

export interface UsageRetentionSettings {
  /** Raw records older than this many days are rolled up (or deleted); 0 keeps them forever. */
  retentionDays: number;
  /** Keep daily sums of what is removed (true), or delete it outright (false). */
  rollup: boolean;
}

const day = 24 * 60 * 60 * 1000;

/**
 * Usage retention: at start and then once a day (an unref'd timer, so it never keeps the process
 * alive), records older than `retentionDays` are summed into daily rows and deleted. Reports read
 * both tables, so totals stay the same; only the resolution of old data drops to a day.
 */
export class UsageRetention {
  readonly #store: Pick<Store, 'rollUpUsage'>;
  readonly #logger: Logger | undefined;
  #settings: UsageRetentionSettings;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(store: Pick<Store, 'rollUpUsage'>, settings: UsageRetentionSettings, logger?: Logger) {
    this.#store = store;
    this.#settings = settings;
    this.#logger = logger;
  }

  /** Runs once now (in the background) and then every `intervalMs` (a day). */
  start(intervalMs = day): void {
    void this.run();
    this.#timer = setInterval(() => void this.run(), intervalMs);
    this.#timer.unref();
  }

  configure(settings: UsageRetentionSettings): void {
    this.#settings = settings;
  }

  /** The first UTC day that is kept: records before it are rolled up. */
  static cutoffDay(retentionDays: number, now: Date): string {
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - retentionDays * day).toISOString().slice(0, 10);
  }

  /** One pass; never rejects (a failure is logged and the next day tries again). */
  run(now: Date = new Date()): Promise<void> {
    this.#running ??= (async () => {
      const { retentionDays, rollup } = this.#settings;
      if (retentionDays <= 0) return;
      const beforeDay = UsageRetention.cutoffDay(retentionDays, now);
      try {
        const result = await this.#store.rollUpUsage(beforeDay, { aggregate: rollup });
        if (result.records > 0) this.#logger?.info({ records: result.records, days: result.days, before: beforeDay, rollup }, `usage retention: ${result.records} usage records before ${beforeDay} ${rollup ? 'rolled up into daily sums' : 'deleted'}`);
      } catch (error) {
        this.#logger?.error({ err: error, before: beforeDay }, 'usage retention: the roll-up of old usage records failed; it is retried tomorrow (or at the next start)');
      }
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /**
   * Stops the timer and waits for a pass in progress, at most a second: the store closes next,
   * which cuts a pass still running (its transaction rolls back; the next start does it again).
   */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await settledWithin(this.#running, 1000);
  }
}
