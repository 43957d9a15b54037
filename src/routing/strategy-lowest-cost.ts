import type { Strategy } from './strategies.ts';
import { priorityOrder } from './strategies.ts';
import type { RoutedTarget } from './target.ts';

/** Completion tokens assumed when the client sets no max_tokens. */
const assumedOutputTokens = 256;

/**
 * The cheapest target whose context window fits the estimated prompt plus the completion the
 * client allows. Targets without a known price come after priced ones (in priority order);
 * targets known to be too small are dropped. When nothing fits, the largest window is tried.
 */
export function lowestCost(all: readonly RoutedTarget[]): Strategy {
  const failover = priorityOrder(all);
  return (usable, input) => {
    const ordered = failover(usable);
    if (ordered.length === 1) return ordered;
    const promptTokens = input.facts.promptTokens;
    const outputTokens = input.facts.maxOutputTokens ?? assumedOutputTokens;
    const needed = promptTokens + (input.facts.maxOutputTokens ?? 0);
    const fitting: Array<{ target: RoutedTarget; cost: number }> = [];
    for (const target of ordered) {
      const { contextWindow, inputPerMTok, outputPerMTok } = target.price;
      if (contextWindow !== undefined && contextWindow < needed) continue;
      const cost = inputPerMTok === undefined ? Infinity : inputPerMTok * promptTokens + (outputPerMTok ?? 0) * outputTokens;
      fitting.push({ target, cost });
    }
    if (fitting.length === 0) return [...ordered].sort((left, right) => (right.price.contextWindow ?? Infinity) - (left.price.contextWindow ?? Infinity));
    fitting.sort((left, right) => left.cost - right.cost);
    return fitting.map((entry) => entry.target);
  };
}
