import type { Usage } from '../../canonical/chat.ts';
import type { BedrockUsage } from './bedrock-api.ts';

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Converse usage in OpenAI terms. Converse's inputTokens leaves out the tokens read from or
 * written to the prompt cache while OpenAI's prompt_tokens includes them, so the three are
 * summed; the cached part is also prompt_tokens_details.cached_tokens, as OpenAI reports it.
 * The 1-hour cache writes of `cacheDetails` are cache_creation_1h_tokens.
 */
export function mapBedrockUsage(usage: BedrockUsage | undefined): Usage {
  const cacheRead = count(usage?.cacheReadInputTokens);
  const cacheWrite = count(usage?.cacheWriteInputTokens);
  const promptTokens = count(usage?.inputTokens) + cacheRead + cacheWrite;
  const completionTokens = count(usage?.outputTokens);
  const mapped: Usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  if (cacheRead > 0) mapped.prompt_tokens_details = { cached_tokens: cacheRead };
  if (cacheWrite > 0) mapped.cache_creation_tokens = cacheWrite;
  // cacheDetails splits the writes by lifetime; the 1-hour ones are priced higher.
  let oneHour = 0;
  for (const detail of usage?.cacheDetails ?? []) if (detail?.ttl === '1h') oneHour += count(detail.inputTokens);
  if (oneHour > 0 && cacheWrite > 0) mapped.cache_creation_1h_tokens = Math.min(oneHour, cacheWrite);
  return mapped;
}
