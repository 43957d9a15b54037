import { anthropicUsageFields, type Usage } from '../../canonical/chat.ts';
import type { AnthropicUsage } from './anthropic-api.ts';

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Anthropic usage in OpenAI terms. Anthropic's input_tokens excludes cached and cache-written
 * tokens while OpenAI's prompt_tokens includes them, so the three are summed; the cached part
 * is also reported as prompt_tokens_details.cached_tokens, as OpenAI does. The 1-hour part of the
 * cache writes (`cache_creation.ephemeral_1h_input_tokens`) is kept apart: it is priced higher.
 * Anthropic's other fields (`cache_creation`, `server_tool_use`, `service_tier`, newer ones) ride
 * along as sent (anthropicUsageFields), for an Anthropic-format client's usage; nothing prices them.
 */
export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const oneHour = count(usage.cache_creation?.ephemeral_1h_input_tokens);
  const cacheCreation = count(usage.cache_creation_input_tokens) || count(usage.cache_creation?.ephemeral_5m_input_tokens) + oneHour;
  const promptTokens = count(usage.input_tokens) + cacheRead + cacheCreation;
  const completionTokens = count(usage.output_tokens);
  const mapped: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
  if (cacheCreation > 0) mapped.cache_creation_tokens = cacheCreation;
  if (oneHour > 0) mapped.cache_creation_1h_tokens = Math.min(oneHour, cacheCreation);
  const thinkingTokens = usage.output_tokens_details?.thinking_tokens;
  if (typeof thinkingTokens === 'number') mapped.completion_tokens_details = { reasoning_tokens: thinkingTokens };
  const fields = otherFieldsOf(usage);
  if (fields !== undefined) mapped[anthropicUsageFields] = fields;
  return mapped;
}

/** The counts the canonical usage holds (an Anthropic-format client gets them back from it). */
const countedFields = new Set(['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens']);

/** An Anthropic usage's fields but the counts, as sent; undefined when it has none. */
function otherFieldsOf(usage: AnthropicUsage): Record<string, unknown> | undefined {
  let fields: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(usage)) {
    if (countedFields.has(name) || value === undefined) continue;
    (fields ??= {})[name] = value;
  }
  return fields;
}

/** Later usage (message_delta) overrides earlier (message_start) field by field; absent or null fields keep the earlier value. */
export function mergeAnthropicUsage(earlier: AnthropicUsage, later: AnthropicUsage | undefined): AnthropicUsage {
  if (!later) return earlier;
  const merged: AnthropicUsage = { ...earlier };
  for (const [name, value] of Object.entries(later)) if (value !== null && value !== undefined) merged[name] = value;
  return merged;
}
