import type { Logger } from 'pino';
import type { PricedProvider } from './price-catalog.ts';

/** Provider name -> the models already warned about in this process (config reloads included). */
const warned = new Map<string, Set<string>>();

/** Whether this process has already warned that `model` of `provider` has no price. */
export function unpricedWarned(provider: string, model: string): boolean {
  return warned.get(provider)?.has(model) === true;
}

/**
 * Logs, once per provider and model per process (never per request), that a model served calls
 * without a price: its cost is recorded as $0 (ledger, reports, cost_usd budgets) until the
 * config's `pricing:` gives it one.
 */
export function warnUnpriced(logger: Logger, provider: PricedProvider, model: string): void {
  let models = warned.get(provider.name);
  if (!models) warned.set(provider.name, (models = new Set()));
  if (models.has(model)) return;
  if (models.size >= 10_000) models.clear();
  models.add(model);
  logger.warn(
    { type: 'unpriced_model', provider: provider.name, provider_type: provider.type, model },
    `model '${model}' of provider '${provider.name}' has no price: its calls are recorded as $0 (usage ledger, reports, cost_usd budgets); give it one under pricing: (pricing.${provider.name}.${model}: { input: ..., output: ... }, USD per million tokens)`,
  );
}
