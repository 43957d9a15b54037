import type { FinishReason } from '../../canonical/chat.ts';
import type { BedrockStopReason } from './bedrock-api.ts';

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
