import type { Usage } from '../canonical/chat.ts';
import type { CanonicalRequest, CanonicalResponse, Operation } from '../canonical/operation.ts';
import { costOfUsage, costOfTokens, roundUsd, type RequestCost } from './compute-cost.ts';
import { estimatePromptTokens, estimateResponseTokens } from './estimate-request-tokens.ts';
import type { PriceCatalog } from './price-catalog.ts';
import { reportedCost } from './reported-cost.ts';

/** What pricing needs to know about a finished request (a RequestContext satisfies it). */
export interface PricedRequest {
  operation: Operation;
  body: CanonicalRequest;
  usage: Usage | null;
  target: { model: string; provider: { settings: { name: string; type: string } } } | null;
}

/**
 * A request's cost: the cost the provider reported in its usage when its type reports one
 * (reported-cost.ts: OpenRouter, Perplexity), else from the provider-reported usage priced by the
 * catalogue (at the prices of the processing tier the answer names in `service_tier`, read from
 * the usage or the response), else from an estimate of the prompt and of the response (a complete
 * response, or the output tokens a cut stream sent), flagged estimated and with the token counts
 * it used. Rounded to 10 decimals, as `x-tollgate-cost-usd` shows it, so the header, the ledger
 * and budgets hold the same number.
 * Null when no provider served it, or it reported no cost and its model has no price.
 */
export function requestCost(catalog: PriceCatalog, request: PricedRequest, usage: Usage | null = request.usage, response?: CanonicalResponse, streamedOutputTokens = 0): RequestCost | null {
  if (!request.target) return null;
  if (usage) {
    const reported = reportedCost(request.target.provider.settings.type, usage);
    if (reported !== undefined) return { usd: roundUsd(reported), estimated: false };
  }
  const price = catalog.lookup(request.target.provider.settings, request.target.model);
  if (!price) return null;
  if (usage) {
    const serviceTier = usage.service_tier ?? (response as { service_tier?: unknown } | undefined)?.service_tier;
    return { usd: roundUsd(costOfUsage(price, usage, serviceTier)), estimated: usage.estimated === true };
  }
  const input = estimatePromptTokens(request.operation, request.body);
  const output = response ? estimateResponseTokens(response) : streamedOutputTokens;
  return { usd: roundUsd(costOfTokens(price, input, output)), estimated: true, tokens: { input, output } };
}
