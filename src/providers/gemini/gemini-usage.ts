import type { Usage } from '../../canonical/chat.ts';
import type { GeminiUsageMetadata } from './gemini-api.ts';

/**
 * Gemini's usageMetadata as OpenAI usage. Gemini counts thinking apart from the answer
 * (candidatesTokenCount excludes thoughtsTokenCount); OpenAI's completion_tokens include
 * reasoning tokens, so completion_tokens = candidates + thoughts, with the thoughts also in
 * completion_tokens_details.reasoning_tokens, and total = prompt + completion. Tokens of tool
 * results Gemini fetched itself count as prompt. Cached tokens are part of the prompt in both.
 */
export function mapGeminiUsage(metadata: GeminiUsageMetadata | undefined): Usage | undefined {
  if (!metadata) return undefined;
  const prompt = (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0);
  const thoughts = metadata.thoughtsTokenCount ?? 0;
  const completion = (metadata.candidatesTokenCount ?? 0) + thoughts;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (metadata.cachedContentTokenCount !== undefined) usage.prompt_tokens_details = { cached_tokens: metadata.cachedContentTokenCount };
  if (metadata.thoughtsTokenCount !== undefined) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}
