import { providerStopReason, type ChoiceStop, type FinishReason } from '../../canonical/chat.ts';
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

/** The reasons an Anthropic-format client gets back from the finish_reason alone (the client format's mapToAnthropicStopReason). */
const readBack = new Set(['end_turn', 'max_tokens', 'tool_use', 'refusal', 'stop_sequence']);

/**
 * What a choice keeps of Anthropic's stop_reason that its finish_reason cannot say: the stop
 * sequence that matched (`stop_sequence`, the extension Bedrock and Cohere set too; OpenAI-format
 * clients see it beside `finish_reason: stop`), and any other reason but those the finish_reason
 * reads back as (`pause_turn`, `model_context_window_exceeded`, newer ones) under the
 * providerStopReason symbol, which only the Anthropic client format reads. Empty for the rest.
 */
export function anthropicStopFields(reason: AnthropicStopReason | string | null | undefined, stopSequence: string | null | undefined): ChoiceStop {
  if (reason === 'stop_sequence') return { stop_sequence: typeof stopSequence === 'string' && stopSequence !== '' ? stopSequence : null };
  if (typeof reason === 'string' && reason !== '' && !readBack.has(reason)) return { [providerStopReason]: reason };
  return {};
}
