import { z } from 'zod';
import { definePlugin } from '../../pipeline/define-plugin.ts';

const costConfigSchema = z
  .object({
    header: z.boolean().default(true).describe('Add x-tollgate-cost-usd (and x-tollgate-cost-estimated when the usage was estimated) to non-streaming responses.'),
  })
  .strict();

export type CostConfig = z.infer<typeof costConfigSchema>;

/** Logging range (0-499); its onResponse runs before the usage ledger's onLog reads the cost. */
export const costPriority = 30;

/** Where the cost of a request is kept on ctx.state for later phases (usage ledger, logs). */
export const costStateKey = 'cost';

/**
 * The price of every non-streaming response (a forwarded endpoint's complete answer too), as `x-tollgate-cost-usd`: the cost the provider
 * reports (OpenRouter, Perplexity: src/usage/reported-cost.ts), else from its usage (or an
 * estimate) and the price catalog. Having onResponse makes the pipeline parse
 * passthrough JSON bodies before sending them (the usage is in the body).
 */
export const costDefinition = definePlugin<CostConfig>({
  name: 'cost',
  description: 'Request cost (the provider-reported cost, else the price catalog), returned as x-tollgate-cost-usd.',
  priority: costPriority,
  configSchema: costConfigSchema,
  enabledByDefault: true,
  implementation: async () => (await import('./index.ts')).createCostPlugin,
});
