import { z } from 'zod';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';
import { priceCatalogFor } from '../../usage/price-catalog.ts';
import { usageRecordOf } from './usage-record.ts';

const configSchema = z.object({}).strict();

/** Logging range (0-499): after the cost plugin (30) has priced the response. */
const priority = 20;

/**
 * The usage ledger's log-phase hook: one record per request, queued in memory (no I/O here);
 * the gateway's UsageLedger writes the queue to the store in batches. Enabled by default when a
 * store is open (with none, it has no hook and costs nothing); `plugins: { usage-ledger: false }`
 * stops recording, globally or on one route.
 */
export const usageLedgerDefinition: PluginDefinition<z.infer<typeof configSchema>> = {
  name: 'usage-ledger',
  description: 'One usage record per request (tokens, cost, latency, status), written to the store in batches.',
  priority,
  configSchema,
  enabledByDefault: true,
  create(_config, dependencies): Plugin {
    const ledger = dependencies.usageLedger;
    if (!ledger) return { name: 'usage-ledger', priority };
    const catalog = priceCatalogFor(dependencies.pricing);
    return {
      name: 'usage-ledger',
      priority,
      onLog(ctx: RequestContext) {
        ledger.record(usageRecordOf(ctx, catalog));
      },
    };
  },
};
