import type { LatencySummary } from '../load/histogram.ts';
import { errorTotal, type ClosedLoopResult, type OpenLoopResult } from '../load/load-job.ts';
import type { ScenarioResult } from './measure.ts';

export type Percentile = 'p50' | 'p90' | 'p99';

/** A measurement counts only without a single error. */
export function isValid(measurement: OpenLoopResult | ClosedLoopResult | null | undefined): boolean {
  return measurement !== null && measurement !== undefined && errorTotal(measurement.errors) === 0;
}

export function latencyAt(result: ScenarioResult | undefined, rate: number): OpenLoopResult | undefined {
  return result?.latency.find((measurement) => measurement.rate === rate);
}

/**
 * Overhead at one percentile: the target's latency minus the baseline's, both from the same run
 * and the same offered load. A difference of percentiles (not a percentile of differences: the
 * two are separate request populations). null when either side is missing or invalid.
 */
export function overhead(target: OpenLoopResult | null | undefined, baseline: OpenLoopResult | null | undefined, percentile: Percentile, pick: (measurement: OpenLoopResult) => LatencySummary | null = (measurement) => measurement.latency): number | null {
  if (!target || !baseline || !isValid(target) || !isValid(baseline)) return null;
  const targetLatency = pick(target);
  const baselineLatency = pick(baseline);
  if (!targetLatency || !baselineLatency) return null;
  return Math.round((targetLatency[percentile] - baselineLatency[percentile]) * 1000) / 1000;
}

export const firstByte = (measurement: OpenLoopResult) => measurement.firstByte;
