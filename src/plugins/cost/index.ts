import type { CanonicalResponse } from '../../canonical/operation.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { formatUsd } from '../../usage/compute-cost.ts';
import { priceCatalogFor } from '../../usage/price-catalog.ts';
import { requestCost } from '../../usage/request-cost.ts';
import { costPriority, costStateKey, type CostConfig } from './definition.ts';

/** The cost plugin's instance: prices each response and keeps the cost on ctx.state (definition.ts). */
export function createCostPlugin(config: CostConfig, dependencies: PluginDependencies): Plugin {
  const catalog = priceCatalogFor(dependencies.pricing);
  return {
    name: 'cost',
    priority: costPriority,
    onResponse(ctx: RequestContext, response: CanonicalResponse) {
      const usage = (response as { usage?: RequestContext['usage'] }).usage ?? null;
      const cost = requestCost(catalog, ctx, usage, response);
      if (!cost) return;
      ctx.state.set(costStateKey, cost);
      if (!config.header) return;
      const headers = (ctx.responseHeaders ??= {});
      headers['x-tollgate-cost-usd'] = formatUsd(cost.usd);
      if (cost.estimated) headers['x-tollgate-cost-estimated'] = 'true';
    },
  };
}
