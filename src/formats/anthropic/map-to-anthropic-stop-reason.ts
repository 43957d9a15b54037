import type { FinishReason } from '../../canonical/chat.ts';
import type { AnthropicStopReason } from '../../providers/anthropic/anthropic-api.ts';

/**
 * A canonical finish_reason as Anthropic's stop_reason. OpenAI does not say which stop sequence
 * ended a turn, so `stop` is always end_turn; a missing reason (a stream cut short by a provider
 * that sent none) also reads as end_turn.
 */
export function mapToAnthropicStopReason(reason: FinishReason | string | null | undefined): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
