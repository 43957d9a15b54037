import { billedTokens, type Usage } from '../canonical/chat.ts';
import type { ModelPrice } from './price-catalog.ts';
import { tokenCount as count } from './token-count.ts';

/** A request's cost in USD, and whether it was computed from estimated token counts. */
export interface RequestCost {
  usd: number;
  estimated: boolean;
  /** The token counts an estimated cost was computed from (no usage was reported): the ledger records these. */
  tokens?: { input: number; output: number };
}

/**
 * The prices a call was billed at: the model's, with those of the processing tier that served it
 * (OpenAI's `service_tier`: flex, priority) in their place where the catalog lists that tier.
 */
export function priceForTier(price: ModelPrice, serviceTier: unknown): ModelPrice {
  const tier = typeof serviceTier === 'string' ? price.service_tiers?.[serviceTier] : undefined;
  return tier ? { ...price, ...tier } : price;
}

/**
 * The prices a request of `inputTokens` input tokens (prompt tokens with cache reads and writes)
 * was billed at: past the model's `long_context.above_input_tokens`, its long-context prices
 * replace the others for every token of the request (Anthropic's and Google's rule); a 1-hour
 * cache write not listed there costs twice the long-context input price.
 */
export function priceForInput(price: ModelPrice, inputTokens: number): ModelPrice {
  const long = price.long_context;
  if (long === undefined || inputTokens <= long.above_input_tokens) return price;
  const replaced: ModelPrice = { ...price };
  if (long.input !== undefined) {
    replaced.input = long.input;
    replaced.cache_write_1h = long.input * 2;
  }
  if (long.output !== undefined) replaced.output = long.output;
  if (long.cached_input !== undefined) replaced.cached_input = long.cached_input;
  if (long.cache_write !== undefined) replaced.cache_write = long.cache_write;
  if (long.cache_write_1h !== undefined) replaced.cache_write_1h = long.cache_write_1h;
  return replaced;
}

/**
 * The USD cost of a usage at a price. Canonical usage counts cached, cache-written and image
 * tokens inside prompt_tokens and reasoning tokens inside completion_tokens (OpenAI's convention), so
 * each part is taken out of its total and billed at its own price (falling back to the plain
 * input or output price when the model has none). Cache writes kept for an hour
 * (cache_creation_1h_tokens, part of cache_creation_tokens) cost `cache_write_1h`, else twice the
 * input price (Anthropic's rule); the other writes cost `cache_write`. Image input tokens
 * (prompt_tokens_details.image_tokens) cost `image_input`; audio tokens (prompt_tokens_details and
 * completion_tokens_details `audio_tokens`: gpt-audio models in chat) cost `audio_input` and
 * `audio_output`, the rest of the prompt and completion the text prices. With `serviceTier` (the
 * answer's `service_tier`), that tier's prices are used where the model lists them; a request whose
 * input passes the model's long-context size is priced at its long-context prices. A usage that
 * carries the provider's billed tokens (`billedTokens`: Cohere) is priced on those.
 */
export function costOfUsage(modelPrice: ModelPrice, usage: Usage, serviceTier: unknown = usage.service_tier): number {
  // The tokens the provider bills, where it reports them apart (Cohere's billed_units).
  const billed = usage[billedTokens];
  const prompt = count(billed ? billed.prompt_tokens : usage.prompt_tokens);
  const price = priceForTier(priceForInput(modelPrice, prompt), serviceTier);
  const completion = count(billed ? billed.completion_tokens : usage.completion_tokens);
  const cached = Math.min(count(usage.prompt_tokens_details?.cached_tokens), prompt);
  const cacheWrite = Math.min(count(usage.cache_creation_tokens), prompt - cached);
  const cacheWriteHour = Math.min(count(usage.cache_creation_1h_tokens), cacheWrite);
  // Images a gpt-image model read (an edit's), which OpenAI bills apart from the prompt's text.
  const image = Math.min(count(usage.prompt_tokens_details?.image_tokens), prompt - cached - cacheWrite);
  // Audio heard and spoken by a gpt-audio model in chat, which OpenAI bills at several times the text price.
  const audioInput = Math.min(count(usage.prompt_tokens_details?.audio_tokens), prompt - cached - cacheWrite - image);
  const reasoning = Math.min(count(usage.completion_tokens_details?.reasoning_tokens), completion);
  const audioOutput = Math.min(count(usage.completion_tokens_details?.audio_tokens), completion - reasoning);
  const micro =
    (prompt - cached - cacheWrite - image - audioInput) * price.input +
    image * (price.image_input ?? price.input) +
    audioInput * (price.audio_input ?? price.input) +
    cached * (price.cached_input ?? price.input) +
    (cacheWrite - cacheWriteHour) * (price.cache_write ?? price.input) +
    cacheWriteHour * (price.cache_write_1h ?? price.input * 2) +
    (completion - reasoning - audioOutput) * price.output +
    audioOutput * (price.audio_output ?? price.output) +
    reasoning * (price.reasoning ?? price.output);
  return micro / 1_000_000;
}

/** The cost of plain token counts (an estimate before the call, when only totals are known); image input tokens at `image_input`, else `input`; long-context prices past the model's size. */
export function costOfTokens(modelPrice: ModelPrice, inputTokens: number, outputTokens: number, imageInputTokens = 0): number {
  const price = priceForInput(modelPrice, inputTokens + imageInputTokens);
  return (inputTokens * price.input + imageInputTokens * (price.image_input ?? price.input) + outputTokens * price.output) / 1_000_000;
}

/**
 * A USD amount rounded to 10 decimals, the precision of `x-tollgate-cost-usd`: the cost the header,
 * the usage ledger and budgets all carry, so a header and its ledger row are the same number.
 */
export function roundUsd(usd: number): number {
  return Number(usd.toFixed(10));
}

/** A USD amount for a header or a log line: fixed point, at most 10 decimals, no exponent. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '0';
  return usd.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}
