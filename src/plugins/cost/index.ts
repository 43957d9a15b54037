import type { CanonicalResponse } from '../../canonical/operation.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { formatUsd } from '../../usage/compute-cost.ts';
import { priceCatalogFor } from '../../usage/price-catalog.ts';
import { reportsOwnCost } from '../../usage/reported-cost.ts';
import { requestCost } from '../../usage/request-cost.ts';
import { answeredByModel, unpricedWarned, warnUnpriced } from '../../usage/unpriced-models.ts';
import { costPriority, costStateKey, type CostConfig } from './definition.ts';

/** The cost plugin's instance: prices each response and keeps the cost on ctx.state (definition.ts); warns once per model served without a price. */
export function createCostPlugin(config: CostConfig, dependencies: PluginDependencies): Plugin {
  const catalog = priceCatalogFor(dependencies.pricing);
  /** Prices a complete answer before its headers go out: kept for the ledger, and sent as headers. */
  const price = (ctx: RequestContext, usage: RequestContext['usage'], response?: CanonicalResponse): void => {
    const cost = requestCost(catalog, ctx, usage, response);
    if (!cost) return;
    ctx.state.set(costStateKey, cost);
    if (!config.header) return;
    const headers = (ctx.responseHeaders ??= {});
    headers['x-tollgate-cost-usd'] = formatUsd(cost.usd);
    if (cost.estimated) headers['x-tollgate-cost-estimated'] = 'true';
  };
  return {
    name: 'cost',
    priority: costPriority,
    onResponse(ctx: RequestContext, response: CanonicalResponse) {
      // The usage the pipeline read from this answer (with DeepSeek's cache hits as cached tokens), as the ledger has it.
      price(ctx, ctx.usage ?? (response as { usage?: RequestContext['usage'] }).usage ?? null, response);
    },
    // Images, transcriptions, moderations, rerank read whole: the same rule, from the usage they report.
    onForwardedResponse(ctx: RequestContext) {
      price(ctx, ctx.usage);
    },
    onLog(ctx: RequestContext) {
      // A model served without a price costs $0 everywhere: said once per model per process, and
      // only of a model that answered (a refused name, 404 from a typo, is no model to price).
      const target = ctx.target;
      if (target === null || !answeredByModel(ctx.status) || ctx.answeredFromCache === true || unpricedWarned(target.provider.settings.name, target.model)) return;
      const provider = target.provider.settings;
      // The echo test provider costs nothing by design.
      if (provider.type === 'echo' || reportsOwnCost(provider.type) || catalog.lookup(provider, target.model) !== null) return;
      warnUnpriced(dependencies.logger, provider, target.model);
    },
  };
}
