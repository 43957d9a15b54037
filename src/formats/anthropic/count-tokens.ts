import { estimatePromptTokens } from '../../usage/estimate-request-tokens.ts';
import { convertFromAnthropicRequest } from './convert-from-anthropic-request.ts';
import type { AnthropicClientRequest } from './anthropic-client-request.ts';

/**
 * POST /v1/messages/count_tokens, answered by the gateway itself with its estimate (about four
 * characters a token; no provider is called, so it is the same whatever the model).
 */
export function countAnthropicTokens(request: AnthropicClientRequest): { input_tokens: number } {
  return { input_tokens: estimatePromptTokens('chat', convertFromAnthropicRequest(request)) };
}
