import hdr from 'hdr-histogram-js';

/** Latency percentiles in milliseconds, as reported. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * An HDR histogram of latencies. Values are recorded in microseconds (3 significant digits, up
 * to 10 minutes), so sub-millisecond differences survive and the long tail is never clipped.
 */
export class LatencyHistogram {
  readonly #histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

  /** Records one latency given in milliseconds. */
  record(milliseconds: number): void {
    this.#histogram.recordValue(Math.max(1, Math.round(milliseconds * 1000)));
  }

  get count(): number {
    return this.#histogram.totalCount;
  }

  summary(): LatencySummary {
    const at = (percentile: number) => round(this.#histogram.getValueAtPercentile(percentile) / 1000);
    if (this.#histogram.totalCount === 0) return { count: 0, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
    return { count: this.#histogram.totalCount, p50: at(50), p90: at(90), p99: at(99), max: round(this.#histogram.maxValue / 1000), mean: round(this.#histogram.mean / 1000) };
  }
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 1000) / 1000;
}
