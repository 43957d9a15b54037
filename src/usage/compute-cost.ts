import type { Usage } from '../canonical/chat.ts';
import type { ModelPrice } from './price-catalog.ts';
import { tokenCount as count } from './token-count.ts';

/** A request's cost in USD, and whether it was computed from estimated token counts. */
export interface RequestCost {
  usd: number;
  estimated: boolean;
}

/**
 * The USD cost of a usage at a price. Canonical usage counts cached and cache-written tokens
 * inside prompt_tokens and reasoning tokens inside completion_tokens (OpenAI's convention), so
 * each part is taken out of its total and billed at its own price (falling back to the plain
 * input or output price when the model has none).
 */
export function costOfUsage(price: ModelPrice, usage: Usage): number {
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const cached = Math.min(count(usage.prompt_tokens_details?.cached_tokens), prompt);
  const cacheWrite = Math.min(count(usage.cache_creation_tokens), prompt - cached);
  const reasoning = Math.min(count(usage.completion_tokens_details?.reasoning_tokens), completion);
  const micro =
    (prompt - cached - cacheWrite) * price.input +
    cached * (price.cached_input ?? price.input) +
    cacheWrite * (price.cache_write ?? price.input) +
    (completion - reasoning) * price.output +
    reasoning * (price.reasoning ?? price.output);
  return micro / 1_000_000;
}

/** The cost of plain token counts (an estimate before the call, when only totals are known). */
export function costOfTokens(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}

/** A USD amount for a header or a log line: fixed point, at most 10 decimals, no exponent. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '0';
  return usd.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}
