import type { Usage } from '../canonical/chat.ts';
import { tokenCount as count } from './token-count.ts';

/**
 * The usage of a stream that ended without its final usage (the client left, the provider cut it):
 * the input side the provider had already reported (Anthropic's message_start, Gemini's
 * usageMetadata on each event), cache reads and writes included, and as output the larger of what
 * it had reported and what was streamed (about a token per event that carried output), flagged
 * estimated. Shared by the /v1/messages passthrough and the translated streams.
 */
export function cutStreamUsage(reported: Usage, streamedOutputTokens: number): Usage {
  const completion = Math.max(count(reported.completion_tokens), streamedOutputTokens);
  return { ...reported, completion_tokens: completion, total_tokens: count(reported.prompt_tokens) + completion, estimated: true };
}
