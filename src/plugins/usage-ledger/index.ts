import type { CanonicalResponse } from '../../canonical/operation.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { estimateResponseTokens } from '../../usage/estimate-request-tokens.ts';
import { priceCatalogFor } from '../../usage/price-catalog.ts';
import { usageLedgerPriority, type UsageLedgerConfig } from './definition.ts';
import { answerEstimateKey, usageRecordOf } from './usage-record.ts';

/** The usage ledger's instance: queues one record per request into the process's UsageLedger (definition.ts). */
export function createUsageLedgerPlugin(_config: UsageLedgerConfig, dependencies: PluginDependencies): Plugin {
  const ledger = dependencies.usageLedger;
  if (!ledger) return { name: 'usage-ledger', priority: usageLedgerPriority };
  const catalog = priceCatalogFor(dependencies.pricing);
  return {
    name: 'usage-ledger',
    priority: usageLedgerPriority,
    onResponse(ctx: RequestContext, response: CanonicalResponse) {
      // A complete answer without usage is recorded at its estimate; the cost plugin keeps it with
      // the cost it prices, but a model without a price has none, and the answer is gone by onLog.
      if (ctx.usage === null) ctx.state.set(answerEstimateKey, estimateResponseTokens(response));
    },
    onLog(ctx: RequestContext) {
      // Answers that are no model operation (the model list, count_tokens, an unknown path) use nothing to record.
      if (ctx.endpoint !== undefined) return;
      ledger.record(usageRecordOf(ctx, catalog));
    },
  };
}
