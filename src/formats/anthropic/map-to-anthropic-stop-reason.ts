import type { FinishReason } from '../../canonical/chat.ts';
import type { AnthropicStopReason } from '../../providers/anthropic/anthropic-api.ts';

/**
 * A canonical finish_reason as Anthropic's stop_reason. OpenAI does not say which stop sequence
 * ended a turn, so `stop` is end_turn (stop_sequence when the choice names one: stopSequenceOf);
 * a missing reason (a stream cut short by a provider that sent none) also reads as end_turn.
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

/**
 * The stop sequence that ended a choice, when its provider said which (`stop_sequence` on the
 * choice, a canonical extension Bedrock sets): the answer then stops with Anthropic's
 * `stop_sequence` reason and names it. Null otherwise.
 */
export function stopSequenceOf(choice: { finish_reason?: FinishReason | string | null } | undefined): string | null {
  const named = (choice as { stop_sequence?: unknown } | undefined)?.stop_sequence;
  return choice?.finish_reason === 'stop' && typeof named === 'string' && named !== '' ? named : null;
}
