import type { Usage } from '../../canonical/chat.ts';
import { tokenCount as count } from '../../usage/token-count.ts';

/**
 * The token usage of a forwarded operation's answer in the canonical shape, or null when it
 * reports none. Images (gpt-image-*) and token-billed transcriptions say `input_tokens` and
 * `output_tokens`; rerank servers `total_tokens` alone (Cohere reports search units, which are not
 * tokens); a transcription billed by the second (`type: "duration"`), a moderation and speech
 * report no tokens, and none are made up. The image tokens among a gpt-image model's input
 * (`input_tokens_details.image_tokens`: an edit's images) are kept as
 * `prompt_tokens_details.image_tokens`, which OpenAI prices apart from text (`image_input`).
 */
export function forwardedUsage(reported: unknown): Usage | null {
  if (reported === null || typeof reported !== 'object') return null;
  const usage = reported as { input_tokens?: unknown; output_tokens?: unknown; total_tokens?: unknown; prompt_tokens?: unknown; completion_tokens?: unknown; input_tokens_details?: { image_tokens?: unknown } | null };
  if (usage.input_tokens === undefined && usage.output_tokens === undefined) {
    // An OpenAI-compatible server may already answer in chat's names.
    if (usage.prompt_tokens === undefined && usage.completion_tokens === undefined) {
      // Rerank servers (vLLM, Jina) report only `total_tokens`: all of them were read, none written.
      const total = count(usage.total_tokens);
      return total > 0 ? { prompt_tokens: total, completion_tokens: 0, total_tokens: total } : null;
    }
    const prompt = count(usage.prompt_tokens);
    const completion = count(usage.completion_tokens);
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: count(usage.total_tokens) || prompt + completion };
  }
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const canonical: Usage = { prompt_tokens: input, completion_tokens: output, total_tokens: count(usage.total_tokens) || input + output };
  const images = count(usage.input_tokens_details?.image_tokens);
  if (images > 0) canonical.prompt_tokens_details = { image_tokens: images };
  return canonical;
}

/** The usage in a complete JSON answer (null for any other body, a text transcript or audio). */
export function forwardedUsageFromJson(body: Buffer): Usage | null {
  // An answer without the key (dall-e images, moderations) is not parsed: an image's base64 takes tens of ms.
  if (body.indexOf('"usage"') === -1) return null;
  try {
    return forwardedUsage((JSON.parse(body.toString('utf8')) as { usage?: unknown } | null)?.usage);
  } catch {
    return null;
  }
}
