import type { ChatChunk, ChatRequest, ChatResponse } from '../../canonical/chat.ts';
import type { CanonicalChunk, CanonicalResponse } from '../../canonical/operation.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { estimatePromptTokens } from '../../usage/estimate-request-tokens.ts';
import { AnthropicStreamEncoder } from './anthropic-stream-encoder.ts';
import { convertToAnthropicMessage } from './convert-to-anthropic-message.ts';

/**
 * How the pipeline writes canonical replies to an Anthropic-format client: a Message body, or the
 * event stream (one encoder per response; it keeps the block state). The usage chunk is always
 * wanted: its numbers go into message_delta.
 */
export function anthropicClientEncoder(request: ChatRequest): {
  wantsUsage: true;
  response(body: CanonicalResponse): unknown;
  chunk(chunk: CanonicalChunk): string;
  end(): string;
  error(error: GatewayError): string;
} {
  let stream: AnthropicStreamEncoder | null = null;
  const encoder = (): AnthropicStreamEncoder => (stream ??= new AnthropicStreamEncoder({ model: request.model, inputTokens: estimatePromptTokens('chat', request) }));
  return {
    wantsUsage: true,
    response: (body) => convertToAnthropicMessage(body as ChatResponse),
    chunk: (chunk) => encoder().push(chunk as ChatChunk),
    end: () => encoder().finish(),
    error: (error) => encoder().error(error),
  };
}
