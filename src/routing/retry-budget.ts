import { SlidingWindow } from './sliding-window.ts';

/**
 * A retry budget (Finagle, Linkerd): over a sliding window, retries may add at most `ratio` of
 * the first attempts, plus a small steady allowance (min_per_second × window) so a quiet group
 * can still retry. Under a total outage this caps the load at (1 + ratio) times the offered load
 * plus min_per_second retries a second, instead of (1 + attempts) times.
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #allowance: number;
  readonly #window: SlidingWindow;

  constructor(settings: { ratio: number; minPerSecond: number; windowMs: number }) {
    this.#ratio = settings.ratio;
    this.#allowance = settings.minPerSecond * (settings.windowMs / 1000);
    this.#window = new SlidingWindow(settings.windowMs);
  }

  /** A request's first attempt in the group. */
  recordFirstAttempt(now: number): void {
    this.#window.add(now, 1, 0);
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(now: number): boolean {
    const { first: firstAttempts, second: retries } = this.#window.totals(now);
    if (retries + 1 > firstAttempts * this.#ratio + this.#allowance) return false;
    this.#window.add(now, 0, 1);
    return true;
  }
}
