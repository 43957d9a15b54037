import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { priceCatalogFor } from '../../usage/price-catalog.ts';
import { usageLedgerPriority, type UsageLedgerConfig } from './definition.ts';
import { usageRecordOf } from './usage-record.ts';

/** The usage ledger's instance: queues one record per request into the process's UsageLedger (definition.ts). */
export function createUsageLedgerPlugin(_config: UsageLedgerConfig, dependencies: PluginDependencies): Plugin {
  const ledger = dependencies.usageLedger;
  if (!ledger) return { name: 'usage-ledger', priority: usageLedgerPriority };
  const catalog = priceCatalogFor(dependencies.pricing);
  return {
    name: 'usage-ledger',
    priority: usageLedgerPriority,
    onLog(ctx: RequestContext) {
      // Answers that are no model operation (the model list, count_tokens, an unknown path) use nothing to record.
      if (ctx.endpoint !== undefined) return;
      ledger.record(usageRecordOf(ctx, catalog));
    },
  };
}
