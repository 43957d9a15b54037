import type { Usage } from '../../canonical/chat.ts';
import { withReasoningInCompletion } from '../../usage/reasoning-outside-completion.ts';

/**
 * An OpenAI-format usage as the gateway counts it (every read of one goes through here: the
 * non-streamed answer, the streamed usage chunk, answers translated for other clients):
 * - reasoning reported beside completion_tokens rather than inside it (xAI) is read into it
 *   (src/usage/reasoning-outside-completion.ts);
 * - DeepSeek documents its prompt-cache use as `usage.prompt_cache_hit_tokens` (beside
 *   `prompt_cache_miss_tokens`; the two add up to prompt_tokens), where OpenAI says
 *   `prompt_tokens_details.cached_tokens`, the canonical count: the ledger's cached_tokens, the
 *   cache-read price of the cost, an Anthropic client's cache_read_input_tokens, a Responses
 *   client's input_tokens_details.cached_tokens. When OpenAI's field is absent the hit count is
 *   read as it; when both are present OpenAI's is kept.
 * A copy (the answer's own usage may still go to an OpenAI-format client, which gets the
 * provider's bytes as sent); the same usage when there is nothing to read.
 */
export function readOpenAiUsage(reported: Usage): Usage {
  const usage = withReasoningInCompletion(reported);
  const hits = (usage as Usage & { prompt_cache_hit_tokens?: unknown }).prompt_cache_hit_tokens;
  if (typeof hits !== 'number' || !Number.isFinite(hits) || hits < 0) return usage;
  if (typeof usage.prompt_tokens_details?.cached_tokens === 'number') return usage;
  return { ...usage, prompt_tokens_details: { ...usage.prompt_tokens_details, cached_tokens: hits } };
}
