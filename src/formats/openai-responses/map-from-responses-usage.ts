import type { Usage } from '../../canonical/chat.ts';
import { tokenCount as count } from '../../usage/token-count.ts';
import { withServiceTier } from '../../usage/usage-service-tier.ts';

/**
 * A Response's `usage` (OpenAI's Responses API, read in native mode) in the canonical (chat
 * completions) terms the ledger, limits and cost read: input_tokens -> prompt_tokens (cached
 * tokens included in both), output_tokens -> completion_tokens (reasoning included in both), the
 * cached and reasoning details kept; with the Response's `service_tier`, which prices it. Null
 * when the Response reports none.
 */
export function mapFromResponsesUsage(reported: unknown, serviceTier?: unknown): Usage | null {
  if (reported === null || typeof reported !== 'object') return null;
  const usage = reported as { input_tokens?: unknown; output_tokens?: unknown; total_tokens?: unknown; input_tokens_details?: { cached_tokens?: unknown } | null; output_tokens_details?: { reasoning_tokens?: unknown } | null };
  if (usage.input_tokens === undefined && usage.output_tokens === undefined) return null;
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const canonical: Usage = { prompt_tokens: input, completion_tokens: output, total_tokens: count(usage.total_tokens) || input + output };
  const cached = count(usage.input_tokens_details?.cached_tokens);
  if (cached > 0) canonical.prompt_tokens_details = { cached_tokens: cached };
  const reasoning = count(usage.output_tokens_details?.reasoning_tokens);
  if (reasoning > 0) canonical.completion_tokens_details = { reasoning_tokens: reasoning };
  return withServiceTier(canonical, serviceTier);
}

/** The usage of a whole Response body (JSON), or null when it has none or is not JSON. */
export function usageOfResponseBody(body: Buffer): Usage | null {
  try {
    const response = JSON.parse(body.toString('utf8')) as { usage?: unknown; service_tier?: unknown } | null;
    return mapFromResponsesUsage(response?.usage, response?.service_tier);
  } catch {
    return null;
  }
}
