import type { ChatRequest } from '../../canonical/chat.ts';
import { isForwardedOperation } from '../../canonical/forwarded.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { costOfTokens } from '../../usage/compute-cost.ts';
import { estimateForwardedUsage } from '../../usage/estimate-forwarded-usage.ts';
import { answersInOutputTokens, estimatePromptTokens, requestedOutputTokens } from '../../usage/estimate-request-tokens.ts';
import type { ModelPrice } from '../../usage/price-catalog.ts';
import type { RequestEstimate } from './rate-limit-errors.ts';

/** What a request that uses nothing countable reserves (moderations, or no token or cost limit applies). */
export const noEstimate: RequestEstimate = { inputTokens: 0, outputTokens: 0, maxTokensSet: false, costUsd: 0 };

function setsMaxTokens(ctx: RequestContext): boolean {
  const body = ctx.body as Partial<ChatRequest>;
  return typeof body.max_completion_tokens === 'number' || typeof body.max_tokens === 'number';
}

/** The output cap to reserve under when any of several models may answer: the largest, or none when one has no known maximum. */
function largestOutputCap(prices: readonly ModelPrice[]): number | undefined {
  let largest = 0;
  for (const price of prices) {
    if (price.max_output_tokens === undefined) return undefined;
    largest = Math.max(largest, price.max_output_tokens);
  }
  return largest === 0 ? undefined : largest;
}

/**
 * What the request may use, reserved before the call, at the price of the most expensive of
 * `prices` (every target that may serve it), so a budget holds whichever target routing picks.
 * Chat and completions: prompt tokens estimated from the body, output tokens as requested (or
 * `defaultMaxOutputTokens`), capped by the model's maximum; embeddings their input only. The forwarded
 * operations (images, audio, rerank): src/usage/estimate-forwarded-usage.ts, image input tokens
 * at `image_input`.
 */
export function estimateRequest(ctx: RequestContext, prices: readonly ModelPrice[], defaultMaxOutputTokens: number): RequestEstimate {
  if (isForwardedOperation(ctx.operation)) {
    const usage = estimateForwardedUsage(ctx.operation, ctx.body, ctx.rawBody);
    if (usage === null) return noEstimate;
    let costUsd = 0;
    for (const price of prices) costUsd = Math.max(costUsd, costOfTokens(price, usage.inputTokens, usage.outputTokens, usage.imageInputTokens));
    return { inputTokens: usage.inputTokens + usage.imageInputTokens, outputTokens: usage.outputTokens, maxTokensSet: true, costUsd, basis: usage.basis, advice: usage.advice };
  }
  const inputTokens = estimatePromptTokens(ctx.operation, ctx.body);
  if (!answersInOutputTokens(ctx.operation)) return inputOnlyEstimate(inputTokens, prices);
  const outputTokens = requestedOutputTokens(ctx.operation, ctx.body, defaultMaxOutputTokens, largestOutputCap(prices));
  let costUsd = 0;
  for (const price of prices) {
    const output = price.max_output_tokens === undefined ? outputTokens : requestedOutputTokens(ctx.operation, ctx.body, defaultMaxOutputTokens, price.max_output_tokens);
    costUsd = Math.max(costUsd, costOfTokens(price, inputTokens, output));
  }
  return { inputTokens, outputTokens, maxTokensSet: setsMaxTokens(ctx), costUsd };
}

/**
 * An embeddings request's estimate: its input only. It has no output tokens and no max_tokens, so
 * a refusal speaks of the input alone and asks for less of it, not for a lower max_tokens.
 */
function inputOnlyEstimate(inputTokens: number, prices: readonly ModelPrice[]): RequestEstimate {
  let costUsd = 0;
  for (const price of prices) costUsd = Math.max(costUsd, costOfTokens(price, inputTokens, 0));
  return { inputTokens, outputTokens: 0, maxTokensSet: false, costUsd, basis: `about ${inputTokens} input tokens (an embedding has no output tokens)`, advice: 'Send fewer or shorter inputs' };
}
