import type { FinishReason } from '../../canonical/chat.ts';
import type { AnthropicStopReason } from './anthropic-api.ts';

/**
 * Anthropic's stop_reason as an OpenAI finish_reason. `pause_turn` (a server tool paused a long
 * turn) has no OpenAI counterpart; the turn is over for the client, so it reads as `stop`.
 * An unknown or missing reason is `stop`: the message did end, and clients expect a reason.
 */
export function mapAnthropicStopReason(reason: AnthropicStopReason | string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
