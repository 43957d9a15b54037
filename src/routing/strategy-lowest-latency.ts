import type { Strategy } from './strategies.ts';
import { priorityOrder } from './strategies.ts';
import type { RoutedTarget } from './target.ts';

/**
 * Lowest EWMA time-to-first-byte first, measured from real attempts (TargetHealth). A target
 * with no recent sample comes first so that it gets measured; a sample goes stale after a
 * minute, so a target once slow is tried again rather than starved forever.
 */
export function lowestLatency(all: readonly RoutedTarget[]): Strategy {
  const failover = priorityOrder(all);
  return (usable, input) => {
    const ordered = failover(usable);
    if (ordered.length === 1) return ordered;
    const estimates = new Map<RoutedTarget, number>();
    for (const target of ordered) estimates.set(target, target.health.latencyEstimate(input.now) ?? -1);
    return [...ordered].sort((left, right) => estimates.get(left)! - estimates.get(right)!);
  };
}
