import { anthropicUsageFields, type Usage } from '../../canonical/chat.ts';
import { tokenCount as count } from '../../usage/token-count.ts';

/** Usage as Anthropic reports it (the fields its SDKs read). */
export interface AnthropicClientUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The gateway's mark on an estimate (the provider reported no usage), as on OpenAI-shaped usage. */
  estimated?: true;
  /** An Anthropic provider's other fields, as it sent them: `cache_creation`, `server_tool_use`, `service_tier`… */
  [field: string]: unknown;
}

/**
 * Canonical (OpenAI) usage in Anthropic's terms, the inverse of the anthropic adapter's
 * mapAnthropicUsage: OpenAI's prompt_tokens include cached and cache-written tokens, Anthropic's
 * input_tokens do not, so those are taken out again. The fields an Anthropic provider's usage
 * had beside the counts (anthropicUsageFields: `cache_creation` by lifetime, `server_tool_use`,
 * `service_tier`) follow them as it sent them.
 */
export function mapToAnthropicUsage(usage: Usage | null | undefined): AnthropicClientUsage {
  const cacheRead = count(usage?.prompt_tokens_details?.cached_tokens);
  const cacheCreation = count(usage?.cache_creation_tokens);
  const mapped: AnthropicClientUsage = {
    input_tokens: Math.max(0, count(usage?.prompt_tokens) - cacheRead - cacheCreation),
    output_tokens: count(usage?.completion_tokens),
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
  };
  const fields = usage?.[anthropicUsageFields];
  if (fields !== undefined) for (const [name, value] of Object.entries(fields)) if (!(name in mapped)) mapped[name] = value;
  if (usage?.estimated === true) mapped.estimated = true;
  return mapped;
}
