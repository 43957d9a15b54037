import { providerStopReason, type FinishReason } from '../../canonical/chat.ts';
import type { AnthropicStopReason } from '../../providers/anthropic/anthropic-api.ts';
import { mapAnthropicStopReason } from '../../providers/anthropic/map-anthropic-stop-reason.ts';

/**
 * A canonical finish_reason as Anthropic's stop_reason. OpenAI does not say which stop sequence
 * ended a turn, so `stop` is end_turn (stop_sequence when the choice names one: stopSequenceOf);
 * a missing reason also reads as end_turn. An answer that called tools stopped to have them run,
 * whatever its provider said: OpenAI answers a named tool_choice with `stop` (so do vLLM, sglang
 * and other OpenAI-compatible servers), and Anthropic clients loop on `tool_use`.
 */
export function mapToAnthropicStopReason(reason: FinishReason | string | null | undefined, calledTools = false): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return calledTools ? 'tool_use' : 'end_turn';
  }
}

/**
 * Whether a stop sequence ended a choice, as its provider said (`stop_sequence` on the choice, a
 * canonical extension Anthropic, Bedrock and Cohere set): the sequence when it is known, null when only the
 * fact is (Cohere's STOP_SEQUENCE after several sequences were sent), undefined when the choice
 * did not stop on one.
 */
export function stopSequenceOf(choice: { finish_reason?: FinishReason | string | null } | undefined): string | null | undefined {
  if (choice?.finish_reason !== 'stop' || !('stop_sequence' in choice)) return undefined;
  const named = (choice as { stop_sequence?: unknown }).stop_sequence;
  if (named === null) return null;
  return typeof named === 'string' && named !== '' ? named : undefined;
}

/** How an answer ended, in a Message's (and message_delta's) terms. */
export interface AnthropicStop {
  stopReason: AnthropicStopReason;
  stopSequence: string | null;
}

/**
 * The stop reason an Anthropic provider gave that the finish_reason cannot say (`pause_turn`,
 * `model_context_window_exceeded`: the providerStopReason extension), while the finish_reason is
 * still the one it reads as; undefined otherwise (a plugin that changed the finish_reason wins).
 */
function providerStopOf(choice: { finish_reason?: FinishReason | string | null; [providerStopReason]?: string } | undefined): AnthropicStopReason | undefined {
  const reason = choice?.[providerStopReason];
  if (typeof reason !== 'string' || reason === '' || mapAnthropicStopReason(reason) !== choice?.finish_reason) return undefined;
  return reason as AnthropicStopReason;
}

/**
 * stop_reason and stop_sequence of an answer: `refusal` for an OpenAI refusal, `stop_sequence`
 * when the provider said a stop sequence ended it (stopSequenceOf), the Anthropic provider's own
 * reason when the finish_reason cannot say it (providerStopOf: `pause_turn`…), else from the
 * finish_reason (mapToAnthropicStopReason, `tool_use` for an answer that called tools).
 */
export function anthropicStopOf(choice: { finish_reason?: FinishReason | string | null; [providerStopReason]?: string } | undefined, answer: { refused: boolean; calledTools: boolean }): AnthropicStop {
  if (answer.refused) return { stopReason: 'refusal', stopSequence: null };
  const stopSequence = stopSequenceOf(choice);
  if (stopSequence !== undefined) return { stopReason: 'stop_sequence', stopSequence };
  const providerStop = providerStopOf(choice);
  if (providerStop !== undefined) return { stopReason: providerStop, stopSequence: null };
  return { stopReason: mapToAnthropicStopReason(choice?.finish_reason, answer.calledTools), stopSequence: null };
}
