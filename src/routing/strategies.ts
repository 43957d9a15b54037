import type { KeySource } from './key-source.ts';
import type { RequestFacts } from './request-facts.ts';
import type { RoutingRequest } from './routing-request.ts';
import { consistentHash } from './strategy-consistent-hash.ts';
import { lowestCost } from './strategy-lowest-cost.ts';
import { lowestLatency } from './strategy-lowest-latency.ts';
import type { RoutedTarget, Target } from './target.ts';

export type StrategyName = 'priority' | 'weighted' | 'least-busy' | 'lowest-latency' | 'lowest-cost' | 'consistent-hash';

/** What a strategy may look at for one request. */
export interface SelectionInput {
  request: RoutingRequest;
  /** Lazily computed body facts (token estimate, images, tools). */
  facts: RequestFacts;
  /** performance.now() */
  now: number;
}

/**
 * A strategy orders the usable targets of a group (a subset of its targets in list order, never
 * empty): the first is tried first, the rest are failovers. Strategies are plain functions
 * made once per group at config load; any state they keep lives in the closure.
 */
export type Strategy = (usable: readonly RoutedTarget[], input: SelectionInput) => readonly RoutedTarget[];

export interface StrategyOptions {
  /** consistent-hash: where the key comes from. */
  hashKey: KeySource;
}

/** Failover order: lower priority first, then list order (the sort is stable). */
export function byPriority<T extends Target>(targets: readonly T[]): T[] {
  return [...targets].sort((left, right) => left.priority - right.priority);
}

/** `usable` (all targets when omitted) in priority order; precomputed when every target is usable. */
export function priorityOrder<T extends Target>(all: readonly T[]): (usable?: readonly T[]) => readonly T[] {
  const ordered = byPriority(all);
  return (usable = all) => (usable.length === all.length ? ordered : ordered.filter((target) => usable.includes(target)));
}

/**
 * Smooth weighted round-robin (nginx's algorithm): over any window of sum(weights) picks, each
 * target is picked exactly weight times, evenly spread. Unusable targets are skipped the way
 * nginx skips down peers. The pick comes first, the others follow in priority order.
 */
export function smoothWeighted<T extends Target>(all: readonly T[]): (usable?: readonly T[]) => readonly T[] {
  const current = new Float64Array(all.length);
  const positions = new Map<T, number>(all.map((target, position) => [target, position]));
  const failover = priorityOrder(all);
  return (usable = all) => {
    let total = 0;
    let best = -1;
    for (const target of usable) {
      if (target.weight <= 0) continue;
      const position = positions.get(target)!;
      current[position] += target.weight;
      total += target.weight;
      if (best === -1 || current[position] > current[best]) best = position;
    }
    const rest = failover(usable);
    if (best === -1) return rest;
    current[best] -= total;
    const chosen = all[best];
    if (rest[0] === chosen) return rest;
    return [chosen, ...rest.filter((target) => target !== chosen)];
  };
}

/** Fewest in-flight requests first (ties keep priority order). */
export function leastBusy<T extends Target>(all: readonly T[]): (usable?: readonly T[]) => readonly T[] {
  const failover = priorityOrder(all);
  return (usable = all) => [...failover(usable)].sort((left, right) => left.inFlight - right.inFlight);
}

/** The strategy function for a group, by its configured name. */
export function createStrategy(name: StrategyName, targets: readonly RoutedTarget[], options: StrategyOptions): Strategy {
  switch (name) {
    case 'priority':
      return priorityOrder(targets);
    case 'weighted':
      return smoothWeighted(targets);
    case 'least-busy':
      return leastBusy(targets);
    case 'lowest-latency':
      return lowestLatency(targets);
    case 'lowest-cost':
      return lowestCost(targets);
    case 'consistent-hash':
      return consistentHash(targets, options.hashKey);
  }
}
