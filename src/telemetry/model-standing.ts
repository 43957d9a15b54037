import type { RequestContext } from '../pipeline/context.ts';
import type { Router } from '../routing/router.ts';
import type { Target } from '../routing/target.ts';
import type { ModelLabels, ModelStanding } from './model-labels.ts';

/** Router -> `provider\0model` of every target its aliases, model groups and routes name (built once per configuration). */
const namedTargets = new WeakMap<Router, ReadonlySet<string>>();

function targetsNamedBy(router: Router): ReadonlySet<string> {
  let named = namedTargets.get(router);
  if (named !== undefined) return named;
  const pairs = new Set<string>();
  const add = (targets: readonly Target[]) => {
    for (const target of targets) pairs.add(`${target.provider.settings.name}\u0000${target.model}`);
  };
  for (const group of router.groups.values()) add(group.targets);
  for (const route of router.routes) for (const group of route.namedGroups) add(group.targets);
  named = pairs;
  namedTargets.set(router, named);
  return named;
}

/**
 * Where the model a request was served by stands in the configuration (telemetry/model-labels.ts):
 * declared by its provider's `models:` or as a target of an alias, model group or route; else
 * unlisted when the provider lists its models, open when it lists none.
 */
export function modelStanding(ctx: RequestContext, target: Target): ModelStanding {
  const settings = target.provider.settings;
  if (settings.models.includes(target.model)) return 'declared';
  const router = ctx.routePlan?.router;
  if (router !== undefined && targetsNamedBy(router).has(`${settings.name}\u0000${target.model}`)) return 'declared';
  return settings.models.length > 0 ? 'unlisted' : 'open';
}

/**
 * The bounded name of the model a target serves (ModelLabels): the `model` label of /metrics and
 * the model in the upstream spans' names. `answered`: its provider answered this call successfully.
 */
export function boundedModelName(labels: ModelLabels, ctx: RequestContext, target: Target, answered: boolean): string {
  return labels.label(target.provider.settings.name, target.model, modelStanding(ctx, target), answered);
}
