import { HashRing } from './hash-ring.ts';
import type { KeySource } from './key-source.ts';
import type { Strategy } from './strategies.ts';
import type { RoutedTarget } from './target.ts';

/**
 * Stickiness: a key (consumer, session header, ...) always lands on the same target while it is
 * usable; when it is not, the next target clockwise takes over, and only that target's keys
 * move. Requests without a key hash on their request id (spread, not sticky).
 */
export function consistentHash(all: readonly RoutedTarget[], hashKey: KeySource): Strategy {
  const ring = new HashRing(all.map((target) => ({ id: target.id, weight: target.weight, member: target })));
  return (usable, input) => {
    if (usable.length === 1) return usable;
    const key = hashKey(input.request) ?? input.request.id;
    const ordered = ring.walk(key, (target) => usable.includes(target), usable.length);
    // Zero-weight targets have no points; they still serve as the last failovers.
    if (ordered.length < usable.length) for (const target of usable) if (!ordered.includes(target)) ordered.push(target);
    return ordered;
  };
}
