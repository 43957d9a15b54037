import type { Usage } from '../canonical/chat.ts';

/** Reads the USD cost a provider type puts in its usage object; undefined when it reports none. */
type CostReader = (usage: Usage) => number | undefined;

function usd(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * OpenRouter: `usage.cost`, the credits (USD) charged to the account, on every answer and in a
 * stream's last chunk (openrouter.ai/docs/use-cases/usage-accounting). With the caller's own
 * provider key (`is_byok: true`) that is only OpenRouter's fee; the provider's own charge is
 * `cost_details.upstream_inference_cost`, and the call cost both.
 */
function openRouterCost(usage: Usage): number | undefined {
  const charged = usd(usage.cost);
  if (charged === undefined || usage.is_byok !== true) return charged;
  const upstream = usd((usage.cost_details as { upstream_inference_cost?: unknown } | null | undefined)?.upstream_inference_cost);
  return charged + (upstream ?? 0);
}

/**
 * Perplexity: `usage.cost.total_cost`, the tokens and the per-request search fee together
 * (`input_tokens_cost`, `output_tokens_cost`, `request_cost`; docs.perplexity.ai, pricing).
 */
function perplexityCost(usage: Usage): number | undefined {
  const cost = usage.cost;
  return cost !== null && typeof cost === 'object' ? usd((cost as { total_cost?: unknown }).total_cost) : undefined;
}

/** The provider types whose own reported cost wins over the price catalogue (src/usage/README.md). */
const readers: Readonly<Record<string, CostReader>> = {
  openrouter: openRouterCost,
  perplexity: perplexityCost,
};

/**
 * The cost the provider itself reports in a usage, in USD, when its type is one that reports it;
 * undefined otherwise (the catalogue prices the tokens then). It is what the account is charged:
 * OpenRouter's per-route prices and Perplexity's request fees, which no token price can follow.
 */
export function reportedCost(providerType: string, usage: Usage): number | undefined {
  return readers[providerType]?.(usage);
}

/** Whether a provider type reports each call's cost itself (its models need no price). */
export function reportsOwnCost(providerType: string): boolean {
  return Object.hasOwn(readers, providerType);
}
