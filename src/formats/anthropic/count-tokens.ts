import type { ChatRequest } from '../../canonical/chat.ts';
import { estimatePromptTokens } from '../../usage/estimate-request-tokens.ts';

/**
 * POST /v1/messages/count_tokens, answered by the gateway itself with its estimate (about four
 * characters a token, plus per-message overhead; no provider is called, so it is the same
 * whatever the model). Takes the request already in the canonical model.
 */
export function countAnthropicTokens(request: ChatRequest): { input_tokens: number } {
  return { input_tokens: estimatePromptTokens('chat', request) };
}
