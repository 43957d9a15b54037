import type { RequestContext } from '../../pipeline/context.ts';
import { newId } from '../../store/ids.ts';
import type { UsageRecord } from '../../store/store.ts';
import type { RequestCost } from '../../usage/compute-cost.ts';
import { estimatePromptTokens } from '../../usage/estimate-request-tokens.ts';
import type { PriceCatalog } from '../../usage/price-catalog.ts';
import { requestCost } from '../../usage/request-cost.ts';
import { costStateKey } from '../cost/definition.ts';

/** Where a cache plugin says it answered the request (`ctx.state.set('cache', { hit: true })`). */
export const cacheStateKey = 'cache';

const free: RequestCost = { usd: 0, estimated: false };

function milliseconds(from: number, to: number): number | null {
  return from > 0 && to >= from ? Math.round((to - from) * 100) / 100 : null;
}

/**
 * The request's cost, the same number the client saw: the cost plugin's (x-tollgate-cost-usd)
 * when it priced the response, else from the reported usage (streams). Without usage, a request
 * that failed before any output cost nothing; one that got an answer without usage, or that the
 * client cut (499), is priced from an estimate and flagged, as the rate-limit plugin counts it.
 */
function costOf(ctx: RequestContext, catalog: PriceCatalog): RequestCost {
  const priced = ctx.state.get(costStateKey) as RequestCost | undefined;
  if (priced) return priced;
  if (ctx.usage) return requestCost(catalog, ctx, ctx.usage) ?? free;
  if (!ctx.target || (ctx.status >= 400 && ctx.status !== 499)) return free;
  return requestCost(catalog, ctx, null, undefined, streamedOutputTokens(ctx)) ?? free;
}

/** What a stream without usage (cut by the client or the provider) sent: about a token per output event. */
function streamedOutputTokens(ctx: RequestContext): number {
  return ctx.stream ? ctx.streamedOutputEvents : 0;
}

/** One ledger record from a finished request (log phase). Never the prompt or the answer. */
export function usageRecordOf(ctx: RequestContext, catalog: PriceCatalog): UsageRecord {
  const usage = ctx.usage;
  const cost = costOf(ctx, catalog);
  const cache = ctx.state.get(cacheStateKey) as { hit?: boolean } | undefined;
  const inputTokens = usage ? (usage.prompt_tokens ?? 0) : cost.estimated ? estimatePromptTokens(ctx.operation, ctx.body) : 0;
  return {
    id: newId('use'),
    request_id: ctx.id,
    at: new Date(ctx.startedAt).toISOString(),
    consumer: ctx.caller.consumer ?? null,
    key_id: ctx.caller.key ?? null,
    team: ctx.caller.team ?? null,
    route: ctx.route?.name ?? null,
    variant: ctx.variant ?? null,
    provider: ctx.target?.provider.settings.name ?? null,
    operation: ctx.operation,
    requested_model: ctx.requestedModel,
    model: ctx.target?.model ?? null,
    input_tokens: inputTokens,
    output_tokens: usage ? (usage.completion_tokens ?? 0) : cost.estimated ? streamedOutputTokens(ctx) : 0,
    cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    cost_usd: cost.usd,
    cost_estimated: cost.estimated || usage?.estimated === true,
    latency_ms: milliseconds(ctx.receivedAt, ctx.finishedAt) ?? 0,
    ttft_ms: ctx.stream ? milliseconds(ctx.receivedAt, ctx.upstreamFirstByteAt) : null,
    status: ctx.status,
    error_type: ctx.error?.type ?? null,
    error_code: ctx.error?.code ?? null,
    cache_hit: ctx.answeredFromCache === true || cache?.hit === true,
    stream: ctx.stream,
  };
}
