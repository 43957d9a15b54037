import type { RequestContext } from '../../pipeline/context.ts';
import type { RequestCost } from '../../usage/compute-cost.ts';
import type { PriceCatalog } from '../../usage/price-catalog.ts';
import { failedAttemptsCost, requestCost } from '../../usage/request-cost.ts';
import { costStateKey } from './definition.ts';

const free: RequestCost = { usd: 0, estimated: false };

/** What a stream without usage (cut by the client or the provider) sent: about a token per output event. */
export function streamedOutputTokens(ctx: RequestContext): number {
  return ctx.stream ? ctx.streamedOutputEvents : 0;
}

/**
 * A finished request's cost, the one number the usage ledger records and budgets (cost_usd
 * limits) are charged: the cost plugin's (x-tollgate-cost-usd) when it priced the response, else
 * from the reported usage (streams). The price of the target that served, whatever name the
 * client used (an alias, a group, a route). Failed attempts cost nothing, but for the usage
 * their providers had reported before they were cut (a stream cut after Anthropic's
 * message_start, retried): that is added at each one's own target's price, flagged estimated
 * (requestCost). Without usage, a request that failed before any output cost nothing (a stream
 * that failed after its 200 too); one that got an answer without usage, or that the client cut
 * (499), is priced from an estimate and flagged.
 */
export function recordedCost(ctx: RequestContext, catalog: PriceCatalog): RequestCost {
  const priced = ctx.state.get(costStateKey) as RequestCost | undefined;
  if (priced) return priced;
  if (ctx.usage) return requestCost(catalog, ctx, ctx.usage) ?? free;
  if (!usageIsEstimated(ctx)) return ctx.failedAttemptUsage === undefined ? free : (failedAttemptsCost(catalog, ctx) ?? free);
  return requestCost(catalog, ctx, null, undefined, streamedOutputTokens(ctx)) ?? free;
}

/**
 * Whether a request's tokens are estimated (the prompt from the request, the output from what was
 * streamed): no usage came, a provider was called, and it answered or the client cut it (499) — not
 * when it failed before any output (a stream the provider failed or that timed out: nothing to pay
 * for). Whether the model has a price does not matter: the ledger counts tokens either way.
 */
export function usageIsEstimated(ctx: RequestContext): boolean {
  if (ctx.usage || !ctx.target || (ctx.status >= 400 && ctx.status !== 499)) return false;
  return ctx.error === null || ctx.error.status === 499 || streamedOutputTokens(ctx) > 0;
}
