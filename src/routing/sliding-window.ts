/**
 * Two counters over a sliding time window, kept in a ring of buckets so that adding and reading
 * cost O(buckets) at worst and nothing is allocated per event.
 */
export class SlidingWindow {
  readonly #bucketMs: number;
  readonly #firsts: Float64Array;
  readonly #seconds: Float64Array;
  readonly #epochs: Float64Array;

  constructor(windowMs: number, buckets = 10) {
    this.#bucketMs = Math.max(1, windowMs / buckets);
    this.#firsts = new Float64Array(buckets);
    this.#seconds = new Float64Array(buckets);
    this.#epochs = new Float64Array(buckets).fill(-1);
  }

  #slot(now: number): number {
    const epoch = Math.floor(now / this.#bucketMs);
    const slot = epoch % this.#firsts.length;
    if (this.#epochs[slot] !== epoch) {
      this.#epochs[slot] = epoch;
      this.#firsts[slot] = 0;
      this.#seconds[slot] = 0;
    }
    return slot;
  }

  /** Counts events: `first` and `second` are the two counters (e.g. requests and failures). */
  add(now: number, first: number, second: number): void {
    const slot = this.#slot(now);
    this.#firsts[slot] += first;
    this.#seconds[slot] += second;
  }

  /** The sums of both counters over the window ending at `now`. */
  totals(now: number): { first: number; second: number } {
    const current = Math.floor(now / this.#bucketMs);
    const oldest = current - this.#firsts.length + 1;
    let first = 0;
    let second = 0;
    for (let slot = 0; slot < this.#firsts.length; slot++) {
      const epoch = this.#epochs[slot];
      if (epoch >= oldest && epoch <= current) {
        first += this.#firsts[slot];
        second += this.#seconds[slot];
      }
    }
    return { first, second };
  }

  reset(): void {
    this.#epochs.fill(-1);
  }
}
