import type { Usage } from '../../canonical/chat.ts';
import type { ResponsesUsage } from './responses-api.ts';
import { tokenCount as count } from '../../usage/token-count.ts';

/**
 * Canonical (chat completions) usage in the Responses API's terms. Both count cached and
 * cache-written tokens inside the input tokens, so only the names change.
 */
export function mapToResponsesUsage(usage: Usage): ResponsesUsage {
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const mapped: ResponsesUsage = {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(usage.prompt_tokens_details?.cached_tokens), cache_write_tokens: count(usage.cache_creation_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(usage.completion_tokens_details?.reasoning_tokens) },
    total_tokens: count(usage.total_tokens) || input + output,
  };
  // The gateway's mark on an estimate (the provider reported no usage), as on OpenAI-shaped usage.
  if (usage.estimated === true) mapped.estimated = true;
  return mapped;
}
