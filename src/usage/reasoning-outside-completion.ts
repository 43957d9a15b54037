import type { Usage } from '../canonical/chat.ts';

/**
 * OpenAI counts reasoning tokens inside `completion_tokens` (`completion_tokens_details.reasoning_tokens`
 * is a part of it), the canonical convention every price, ledger column and translated client reads.
 * xAI counts them beside it: its `completion_tokens` is the answer alone, its `total_tokens` is
 * prompt + completion + reasoning, and it bills the reasoning at the output price (docs.x.ai,
 * "Consumption and rate limits"). Read with OpenAI's rule, an xAI reasoning model's output was
 * recorded and priced without its reasoning, often most of the call (audit: 17x under-charged).
 *
 * The usage says which rule it follows: reasoning outside completion makes the total
 * prompt + completion + reasoning, inside it prompt + completion (both cannot hold with reasoning
 * above 0). Such a usage is read with the reasoning added to `completion_tokens`, for any
 * OpenAI-format service that reports this way, not for xAI's provider type alone; a usage without a
 * total, or whose total fits neither, keeps OpenAI's rule. A copy (the answer's own usage may still
 * go to an OpenAI-format client, which gets the provider's bytes as sent); the same usage when there
 * is nothing to change. Applying it twice changes nothing: the corrected total is prompt + completion.
 */
export function withReasoningInCompletion(usage: Usage): Usage {
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (!isCount(reasoning) || reasoning === 0) return usage;
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = usage;
  if (!isCount(prompt) || !isCount(completion) || !isCount(total)) return usage;
  if (total !== prompt + completion + reasoning) return usage;
  return { ...usage, completion_tokens: completion + reasoning };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
