import { z } from 'zod';
import type { CanonicalResponse } from '../../canonical/operation.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';
import { formatUsd } from '../../usage/compute-cost.ts';
import { priceCatalogFor } from '../../usage/price-catalog.ts';
import { requestCost } from '../../usage/request-cost.ts';

const configSchema = z
  .object({
    header: z.boolean().default(true).describe('Add x-tollgate-cost-usd (and x-tollgate-cost-estimated when the usage was estimated) to non-streaming responses.'),
  })
  .strict();

/** Where the cost of a request is kept on ctx.state for later phases (usage ledger, logs). */
export const costStateKey = 'cost';

/**
 * The price of every non-streaming response, from the provider's usage (or an estimate) and the
 * price catalog, as `x-tollgate-cost-usd`. Having onResponse makes the pipeline parse
 * passthrough JSON bodies before sending them (the usage is in the body).
 */
export const costDefinition: PluginDefinition<z.infer<typeof configSchema>> = {
  name: 'cost',
  description: 'Request cost from the price catalog, returned as x-tollgate-cost-usd.',
  priority: 30,
  configSchema,
  enabledByDefault: true,
  create(config, dependencies): Plugin {
    const catalog = priceCatalogFor(dependencies.pricing);
    return {
      name: 'cost',
      priority: 30,
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
  },
};
