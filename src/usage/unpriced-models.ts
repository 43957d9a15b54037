import type { Logger } from 'pino';
import type { PricedProvider } from './price-catalog.ts';

/** Provider name -> the models already warned about in this process (config reloads included). */
const warned = new Map<string, Set<string>>();

/**
 * Models named in warnings per provider: past this many, one last warning says more are unpriced
 * and the provider is quiet for the life of the process, so clients inventing model names on a
 * provider that serves any name cannot flood the log.
 */
export const unpricedWarningsPerProvider = 20;

/**
 * Whether a request's final status says its model answered: a success, or a stream that started
 * (its 200 went out) and failed later. A failed call (a model name the provider refused with 404
 * or 400, a provider that could not be reached) says nothing about a model to price: warning of
 * it asked the operator to price typos, one per name clients invented.
 */
export function answeredByModel(status: number): boolean {
  return status >= 200 && status < 400;
}

/** The YAML that prices a model: `pricing: { openai: { "gpt-4o": { input: ..., output: ... } } }`, the names quoted when YAML needs it (Bedrock's `anthropic.claude-...-v1:0`). */
function pricingYaml(provider: string, model: string): string {
  const key = (name: string) => (/^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name));
  return `pricing: { ${key(provider)}: { ${key(model)}: { input: ..., output: ... } } }`;
}

/** Whether this process has already warned that `model` of `provider` has no price (or stopped warning for the provider). */
export function unpricedWarned(provider: string, model: string): boolean {
  const models = warned.get(provider);
  return models !== undefined && (models.has(model) || models.size > unpricedWarningsPerProvider);
}

/**
 * Logs, once per provider and model per process (never per request), that a model served calls
 * without a price: its cost is recorded as $0 (ledger, reports, cost_usd budgets) until the
 * config's `pricing:` gives it one. At most unpricedWarningsPerProvider models a provider.
 */
export function warnUnpriced(logger: Logger, provider: PricedProvider, model: string): void {
  let models = warned.get(provider.name);
  if (!models) warned.set(provider.name, (models = new Set()));
  if (models.has(model) || models.size > unpricedWarningsPerProvider) return;
  models.add(model);
  if (models.size > unpricedWarningsPerProvider) {
    logger.warn(
      { type: 'unpriced_model', provider: provider.name, provider_type: provider.type, model },
      `more models of provider '${provider.name}' have no price (${unpricedWarningsPerProvider} named above); their calls are recorded as $0 too, and no more are logged: give them prices under pricing: (pricing.${provider.name}."*" prices every model the catalog lacks)`,
    );
    return;
  }
  logger.warn(
    { type: 'unpriced_model', provider: provider.name, provider_type: provider.type, model },
    `model '${model}' of provider '${provider.name}' has no price: its calls are recorded as $0 (usage ledger, reports, cost_usd budgets); give it one under pricing: (${pricingYaml(provider.name, model)}, USD per million tokens)`,
  );
}
