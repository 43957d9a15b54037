import type { Target } from './target.ts';

/** Failover order: lower priority first, then list order (the sort is stable). */
export function byPriority(targets: Target[]): Target[] {
  return [...targets].sort((left, right) => left.priority - right.priority);
}

/**
 * Smooth weighted round-robin (nginx's algorithm): over any window of sum(weights) picks, each
 * target is picked exactly weight times, evenly spread. Returns an ordering function whose first
 * element is the pick and whose rest are failovers in priority order.
 */
export function smoothWeighted(targets: Target[]): () => Target[] {
  const current = targets.map(() => 0);
  const total = targets.reduce((sum, target) => sum + target.weight, 0);
  const failoverOrder = byPriority(targets);
  return () => {
    if (total <= 0) return failoverOrder;
    let best = -1;
    for (let index = 0; index < targets.length; index++) {
      current[index] += targets[index].weight;
      if (targets[index].weight > 0 && (best === -1 || current[index] > current[best])) best = index;
    }
    current[best] -= total;
    const chosen = targets[best];
    return [chosen, ...failoverOrder.filter((target) => target !== chosen)];
  };
}

/** Fewest in-flight requests first (ties keep priority order). */
export function leastBusy(targets: Target[]): () => Target[] {
  const ordered = byPriority(targets);
  return () => [...ordered].sort((left, right) => left.inFlight - right.inFlight);
}
