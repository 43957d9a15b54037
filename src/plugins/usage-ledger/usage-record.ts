import { isForwardedOperation } from '../../canonical/forwarded.ts';
import { anthropicErrorReply } from '../../formats/anthropic/anthropic-error-body.ts';
import { consumerIdOf } from '../../identity/consumer-identity.ts';
import { teamIdOf } from '../../identity/team-identity.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { newId } from '../../store/ids.ts';
import type { UsageRecord } from '../../store/store.ts';
import type { RequestCost } from '../../usage/compute-cost.ts';
import { estimatedTokens } from '../../usage/request-cost.ts';
import { withReasoningInCompletion } from '../../usage/reasoning-outside-completion.ts';
import { failedAttemptTokens } from '../../usage/failed-attempt-usage.ts';
import type { PriceCatalog } from '../../usage/price-catalog.ts';
import { recordedCost, streamedOutputTokens, usageIsEstimated } from '../cost/recorded-cost.ts';
import { tokenCount } from '../../usage/token-count.ts';

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

/** Where the ledger keeps the output estimate of a complete answer without usage (plugin's onResponse), for a model the cost plugin could not price. */
export const answerEstimateKey = 'usage-ledger.answer-output-tokens';

/**
 * The tokens of a request without reported usage, as the row records them. An estimated cost
 * carries the counts it was computed from (the answer's estimate for a complete response without
 * usage), so the row's tokens explain its cost. A model without a price has no such cost, but its
 * chat, completions and embeddings requests that got an answer (or that the client cut) are
 * estimated the same way, at cost 0: the token limits kept their reservation, so /usage counts
 * their tokens too (a stream from what was sent, a complete answer from its text, embeddings from
 * their input). The forwarded operations of such a model stay at 0: what they are billed in
 * (Cohere's search units, audio seconds) is often no token count. A cost flagged only for failed
 * attempts' usage carries none. Undefined: nothing estimated (a request that failed before any output).
 */
function estimatedTokensOf(ctx: RequestContext, cost: RequestCost, cacheHit: boolean): { input: number; output: number } | undefined {
  if (cost.tokens !== undefined) return cost.tokens;
  // A cache's answer called no provider: it has the tokens its stored answer reported, or none.
  if (cacheHit || isForwardedOperation(ctx.operation) || !usageIsEstimated(ctx)) return undefined;
  const answerOutputTokens = ctx.state.get(answerEstimateKey) as number | undefined;
  const tokens = estimatedTokens(ctx, undefined, answerOutputTokens ?? streamedOutputTokens(ctx));
  return tokens === null ? undefined : { input: tokens.input + tokens.imageInput, output: tokens.output };
}

/** One ledger record from a finished request (log phase). Never the prompt or the answer. */
export function usageRecordOf(ctx: RequestContext, catalog: PriceCatalog): UsageRecord {
  // Reasoning is part of output in every row, also for a usage no read corrected (a cached xAI answer's).
  const usage = ctx.usage ? withReasoningInCompletion(ctx.usage) : null;
  const cost = recordedCost(ctx, catalog);
  const cache = ctx.state.get(cacheStateKey) as { hit?: boolean } | undefined;
  const cacheHit = ctx.answeredFromCache === true || cache?.hit === true;
  const estimate = usage ? undefined : estimatedTokensOf(ctx, cost, cacheHit);
  const estimated = estimate !== undefined;
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
    input_tokens: (usage ? tokenCount(usage.prompt_tokens) : (estimate?.input ?? 0)) + (failed?.input ?? 0),
    output_tokens: (usage ? tokenCount(usage.completion_tokens) : (estimate?.output ?? 0)) + (failed?.output ?? 0),
    cached_tokens: tokenCount(usage?.prompt_tokens_details?.cached_tokens) + (failed?.cached ?? 0),
    reasoning_tokens: tokenCount(usage?.completion_tokens_details?.reasoning_tokens) + (failed?.reasoning ?? 0),
    cost_usd: cost.usd,
    cost_estimated: cost.estimated || estimated || usage?.estimated === true || failed !== null,
    latency_ms: milliseconds(ctx.receivedAt, ctx.finishedAt) ?? 0,
    ttft_ms: ctx.stream ? milliseconds(ctx.receivedAt, ctx.upstreamFirstByteAt) : null,
    status: outcomeStatus(ctx),
    error_type: ctx.error?.type ?? null,
    error_code: ctx.error?.code ?? null,
    cache_hit: cacheHit,
    stream: ctx.stream,
  };
}
