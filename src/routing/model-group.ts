import type { ModelGroupConfig } from '../config/schema.ts';
import type { Provider } from '../providers/provider.ts';
import { byPriority, leastBusy, smoothWeighted } from './strategies.ts';
import type { ModelGroup, Target } from './target.ts';

/** A group of one target: what `provider/model` names. */
export function singleTargetGroup(name: string, provider: Provider, model: string): ModelGroup {
  const targets: Target[] = [{ provider, model, weight: 1, priority: 0, inFlight: 0 }];
  return { name, strategy: 'priority', targets, order: () => targets };
}

/** Builds a group from `models:`; unknown providers are reported through `problems`. */
export function buildModelGroup(name: string, config: ModelGroupConfig, providers: ReadonlyMap<string, Provider>, problems: string[]): ModelGroup | null {
  const targets: Target[] = [];
  config.targets.forEach((target, index) => {
    const provider = providers.get(target.provider);
    if (!provider) {
      problems.push(`models.${name}.targets[${index}].provider: no provider named ${JSON.stringify(target.provider)} (configured: ${[...providers.keys()].join(', ')})`);
      return;
    }
    targets.push({ provider, model: target.model, weight: target.weight, priority: target.priority ?? index, inFlight: 0 });
  });
  if (targets.length !== config.targets.length) return null;
  if (config.strategy !== 'priority' && config.strategy !== 'weighted' && config.strategy !== 'least-busy') {
    problems.push(`models.${name}.strategy: ${JSON.stringify(config.strategy)} is not available yet (available: priority, weighted, least-busy)`);
    return null;
  }
  const strategy = config.strategy;
  const priorityOrder = byPriority(targets);
  const order = strategy === 'weighted' ? smoothWeighted(targets) : strategy === 'least-busy' ? leastBusy(targets) : () => priorityOrder;
  return { name, strategy, targets, order };
}
