import type { FinishReason } from '../../canonical/chat.ts';
import type { BedrockAdditionalResponseFields, BedrockStopReason } from './bedrock-api.ts';

/**
 * Converse's stopReason as an OpenAI finish_reason. A guardrail or the model's own filter
 * stopping the answer is `content_filter`; running out of context is `length`, as OpenAI reports
 * it. Malformed output ends the turn without usable content: `stop`, like an unknown or missing reason.
 */
export function mapBedrockStopReason(reason: BedrockStopReason | string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * Which stop sequence ended an answer Converse stopped with `stop_sequence`: the one Claude names
 * (`additionalModelResponseFields.stop_sequence`, asked for with additionalModelResponseFieldPaths),
 * else the only one the request sent. Undefined when the answer ended otherwise or it cannot be
 * told. The chat choice carries it as `stop_sequence` (a canonical extension the Anthropic client
 * format reads: `stop_reason: "stop_sequence"`).
 */
export function matchedStopSequence(reason: BedrockStopReason | string | null | undefined, fields: BedrockAdditionalResponseFields | undefined, sent: readonly string[] | undefined): string | undefined {
  if (reason !== 'stop_sequence') return undefined;
  const named = fields?.stop_sequence;
  if (typeof named === 'string' && named !== '') return named;
  return sent?.length === 1 ? sent[0] : undefined;
}
