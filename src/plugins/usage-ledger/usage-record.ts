import type { Operation } from '../../canonical/operation.ts';
import { anthropicErrorReply } from '../../formats/anthropic/anthropic-error-body.ts';
import { consumerIdOf } from '../../identity/consumer-identity.ts';
import { teamIdOf } from '../../identity/team-identity.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { newId } from '../../store/ids.ts';
import type { UsageRecord } from '../../store/store.ts';
import { estimatePromptTokens } from '../../usage/estimate-request-tokens.ts';
import { failedAttemptTokens } from '../../usage/failed-attempt-usage.ts';
import type { PriceCatalog } from '../../usage/price-catalog.ts';
import { recordedCost, streamedOutputTokens, usageIsEstimated } from '../cost/recorded-cost.ts';
import { tokenCount } from '../../usage/token-count.ts';

/** Operations whose streamed events are about a token each (not forwarded audio or image streams). */
const textOperations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'completions']);

/** Where a cache plugin says it answered the request (`ctx.state.set('cache', { hit: true })`). */
export const cacheStateKey = 'cache';

function milliseconds(from: number, to: number): number | null {
  return from > 0 && to >= from ? Math.round((to - from) * 100) / 100 : null;
}

/**
 * The call's outcome: its HTTP status, or for a stream that failed after its 200 (a provider's
 * in-stream error, a cut connection, an idle timeout) the status of that failure, so reports
 * count it among the errors (and tollgate_requests_total its `status`). The access log keeps the
 * HTTP status, with the failure in `error`.
 */
export function outcomeStatus(ctx: RequestContext): number {
  if (ctx.error === null || ctx.status >= 400) return ctx.status;
  // An Anthropic client reads Anthropic's own status for its in-stream error (529 for overloaded_error).
  return ctx.clientFormat === 'anthropic' ? anthropicErrorReply(ctx.error).status : ctx.error.status;
}

/** One ledger record from a finished request (log phase). Never the prompt or the answer. */
export function usageRecordOf(ctx: RequestContext, catalog: PriceCatalog): UsageRecord {
  const usage = ctx.usage;
  const cost = recordedCost(ctx, catalog);
  const cache = ctx.state.get(cacheStateKey) as { hit?: boolean } | undefined;
  // A stream without usage (cut by the client or the provider) is counted from what was sent, also
  // for a model without a price (its tokens at cost 0); other answers without usage only when priced
  // (such a cost carries the tokens it estimated; one flagged only for failed attempts' usage has none).
  const estimated = !usage && (cost.tokens !== undefined || (ctx.stream && textOperations.has(ctx.operation) && usageIsEstimated(ctx)));
  // An estimated cost carries the token counts it was computed from (the answer's estimate for a
  // complete response without usage), so the row's tokens explain its cost.
  const inputTokens = usage ? tokenCount(usage.prompt_tokens) : estimated ? (cost.tokens?.input ?? estimatePromptTokens(ctx.operation, ctx.body)) : 0;
  const outputTokens = usage ? tokenCount(usage.completion_tokens) : estimated ? (cost.tokens?.output ?? streamedOutputTokens(ctx)) : 0;
  // What failed attempts' providers reported before they were cut is in the cost: its tokens are in the row too.
  const failed = failedAttemptTokens(ctx.failedAttemptUsage);
  return {
    id: newId('use'),
    request_id: ctx.id,
    at: new Date(ctx.startedAt).toISOString(),
    consumer: ctx.caller.consumer ?? null,
    consumer_id: consumerIdOf(ctx.caller) ?? null,
    key_id: ctx.caller.key ?? null,
    team: ctx.caller.team ?? null,
    team_id: teamIdOf(ctx.caller) ?? null,
    route: ctx.route?.name ?? null,
    variant: ctx.variant ?? null,
    provider: ctx.target?.provider.settings.name ?? null,
    operation: ctx.operation,
    requested_model: ctx.requestedModel,
    model: ctx.target?.model ?? null,
    input_tokens: inputTokens + (failed?.input ?? 0),
    output_tokens: outputTokens + (failed?.output ?? 0),
    cached_tokens: tokenCount(usage?.prompt_tokens_details?.cached_tokens) + (failed?.cached ?? 0),
    reasoning_tokens: tokenCount(usage?.completion_tokens_details?.reasoning_tokens) + (failed?.reasoning ?? 0),
    cost_usd: cost.usd,
    cost_estimated: cost.estimated || estimated || usage?.estimated === true || failed !== null,
    latency_ms: milliseconds(ctx.receivedAt, ctx.finishedAt) ?? 0,
    ttft_ms: ctx.stream ? milliseconds(ctx.receivedAt, ctx.upstreamFirstByteAt) : null,
    status: outcomeStatus(ctx),
    error_type: ctx.error?.type ?? null,
    error_code: ctx.error?.code ?? null,
    cache_hit: ctx.answeredFromCache === true || cache?.hit === true,
    stream: ctx.stream,
  };
}
