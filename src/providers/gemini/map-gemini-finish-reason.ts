import type { FinishReason } from '../../canonical/chat.ts';

const contentFilterReasons = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

/**
 * Gemini's finishReason as OpenAI's finish_reason. STOP with function calls is `tool_calls`
 * (Gemini says STOP either way); blocked output is `content_filter`; reasons OpenAI has no word
 * for (OTHER, LANGUAGE, ...) are `stop`. A failed function call (MALFORMED_FUNCTION_CALL, ...) is
 * `stop` only beside content: with none it is an error (gemini-failed-tool-call.ts).
 */
export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && contentFilterReasons.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}
