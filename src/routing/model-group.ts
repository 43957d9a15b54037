import type { ModelGroupConfig, RetryConfig } from '../config/schema.ts';
import type { Provider } from '../providers/provider.ts';
import { compileKeySources } from './key-source.ts';
import { resolvePrice, type PriceLookup } from './price-lookup.ts';
import { compileRetryPolicy, mergeRetryConfigs } from './retry-policy.ts';
import { RetryBudget } from './retry-budget.ts';
import { createStrategy } from './strategies.ts';
import type { TargetHealth } from './target-health.ts';
import type { ModelGroup, RoutedTarget } from './target.ts';

/** What building a group needs from the router: shared health, defaults and prices. */
export interface GroupBuildContext {
  /** The health record of a provider + model, shared by every group naming it. */
  healthFor(provider: Provider, model: string): TargetHealth;
  /** routing.retry */
  retryDefaults: RetryConfig;
  prices?: PriceLookup;
}

const defaultHashOn = ['header:x-session-id', 'consumer'];

function largestWindow(targets: readonly RoutedTarget[]): number | null {
  let largest = 0;
  for (const target of targets) {
    if (target.price.contextWindow === undefined) return null;
    largest = Math.max(largest, target.price.contextWindow);
  }
  return largest;
}

function makeGroup(name: string, config: ModelGroupConfig, targets: RoutedTarget[], context: GroupBuildContext): ModelGroup {
  const retryConfig = mergeRetryConfigs(context.retryDefaults, config.retry);
  const retry = compileRetryPolicy(retryConfig);
  const order = createStrategy(config.strategy, targets, { hashKey: compileKeySources(config.hash_on ?? defaultHashOn) });
  return { name, strategy: config.strategy, targets, retry, retryConfig, budget: new RetryBudget(retry.budget), largestContextWindow: largestWindow(targets), order };
}

function makeTarget(provider: Provider, model: string, index: number, id: string, fields: Partial<Pick<RoutedTarget, 'weight' | 'priority' | 'region'>> & { overrides?: RoutedTarget['price'] }, context: GroupBuildContext): RoutedTarget {
  const catalog = context.prices?.lookup({ name: provider.settings.name, type: provider.settings.type }, model);
  return {
    id,
    index,
    provider,
    model,
    weight: fields.weight ?? 1,
    priority: fields.priority ?? index,
    region: fields.region ?? null,
    price: resolvePrice(fields.overrides ?? {}, catalog),
    health: context.healthFor(provider, model),
    inFlight: 0,
  };
}

/** A group of one target: what `provider/model` names. */
export function singleTargetGroup(name: string, provider: Provider, model: string, context: GroupBuildContext): ModelGroup {
  const target = makeTarget(provider, model, 0, `${provider.settings.name}/${model}`, {}, context);
  return makeGroup(name, { strategy: 'priority', targets: [{ provider: provider.settings.name, model, weight: 1 }] }, [target], context);
}

/** Builds a group from `models:`; unknown providers are reported through `problems`. */
export function buildModelGroup(name: string, config: ModelGroupConfig, providers: ReadonlyMap<string, Provider>, context: GroupBuildContext, problems: string[]): ModelGroup | null {
  const targets: RoutedTarget[] = [];
  const seen = new Map<string, number>();
  config.targets.forEach((target, index) => {
    const provider = providers.get(target.provider);
    if (!provider) {
      problems.push(`models.${name}.targets[${index}].provider: no provider named ${JSON.stringify(target.provider)} (configured: ${[...providers.keys()].join(', ')})`);
      return;
    }
    const baseId = `${target.provider}/${target.model}`;
    const occurrence = (seen.get(baseId) ?? 0) + 1;
    seen.set(baseId, occurrence);
    const overrides = { inputPerMTok: target.input_cost_per_mtok, outputPerMTok: target.output_cost_per_mtok, contextWindow: target.context_window };
    targets.push(makeTarget(provider, target.model, targets.length, occurrence === 1 ? baseId : `${baseId}#${occurrence}`, { weight: target.weight, priority: target.priority ?? index, region: target.region, overrides }, context));
  });
  if (targets.length !== config.targets.length) return null;
  if (config.strategy === 'weighted' && targets.every((target) => target.weight <= 0)) {
    problems.push(`models.${name}.targets: the weighted strategy needs at least one target with a weight above 0`);
    return null;
  }
  return makeGroup(name, config, targets, context);
}
