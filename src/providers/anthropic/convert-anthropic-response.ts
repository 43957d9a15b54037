import type { ChatResponse, ToolCall } from '../../canonical/chat.ts';
import type { AnthropicResponse } from './anthropic-api.ts';
import { anthropicStopFields, mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';
import { chatCompletionId } from './chat-completion-id.ts';
import { wrapReasoningSignature } from '../reasoning-signature.ts';
// Claude's answer order, kept as Claude on Bedrock keeps it (one mechanism for both; see the comment on convertAnthropicResponse).
import { AnswerOrder } from '../../canonical/answer-order.ts';

export interface ResponseConversionOptions {
  /** The JSON-mode tool of the request, whose input is the answer text. */
  jsonToolName: string | null;
  /** Unix seconds for `created` (tests fix it). */
  created?: number;
  /** The client speaks OpenAI chat: the thinking signature carries a digest of the text it signs (../reasoning-signature.ts). */
  wrapSignatures?: boolean;
}

/**
 * A Messages API response as a chat.completion: text blocks joined into `content` (with none,
 * `""` as OpenAI answers, but null beside tool calls or for a refusal), tool_use
 * blocks as tool_calls, thinking as `reasoning_content` (+ its signature, to send it back; for an
 * OpenAI chat client with the digest of the text it signs, ../reasoning-signature.ts),
 * redacted_thinking as `reasoning_redacted` (its data, in order; a canonical extension, sent back
 * as redacted_thinking after the thinking block). Server-tool blocks and citations have no OpenAI
 * counterpart and are left out of the message. When the blocks have no canonical form (several
 * thinking blocks, each signed on its own, between tool calls: Claude's interleaved thinking; text
 * after a tool call; several text blocks, citations, server tool calls and results), the message
 * also carries them in order for Anthropic-format clients (../../canonical/answer-order.ts, read
 * back by ../../canonical/assistant-block-order.ts), so such a client gets, and sends back, every
 * block in its place: each thinking block with its own signature, each text with its citations,
 * the server tools' blocks as sent. The choice keeps the stop sequence that matched and a
 * stop_reason its finish_reason cannot say (anthropicStopFields: `pause_turn`…), the usage
 * Anthropic's fields beyond the counts (mapAnthropicUsage).
 */
export function convertAnthropicResponse(message: AnthropicResponse, options: ResponseConversionOptions): ChatResponse {
  const texts: string[] = [];
  const thinking: string[] = [];
  let signature: string | undefined;
  // The text of the block the signature signs: with several thinking blocks, not all of reasoning_content.
  let signedText = '';
  const toolCalls: ToolCall[] = [];
  const redacted: string[] = [];
  // The blocks in the order Claude wrote them, for Anthropic-format clients (AnswerOrder).
  const order = new AnswerOrder();
  let answeredInJson = false;
  for (const block of message.content ?? []) {
    switch (block.type) {
      case 'text':
        texts.push(String(block.text ?? ''));
        order.textBlock(String(block.text ?? ''), block.citations);
        break;
      case 'thinking':
        thinking.push(String(block.thinking ?? ''));
        if (typeof block.signature === 'string') {
          signature = block.signature;
          signedText = String(block.thinking ?? '');
        }
        order.thinking(String(block.thinking ?? ''), typeof block.signature === 'string' ? block.signature : '');
        break;
      case 'redacted_thinking':
        if (typeof block.data === 'string' && block.data !== '') {
          redacted.push(block.data);
          order.redacted(block.data);
        }
        break;
      case 'tool_use': {
        const input = block.input ?? {};
        if (options.jsonToolName !== null && block.name === options.jsonToolName) {
          texts.push(JSON.stringify(input));
          order.textBlock(JSON.stringify(input), null);
          answeredInJson = true;
        } else {
          const call: ToolCall = { id: String(block.id), type: 'function', function: { name: String(block.name), arguments: JSON.stringify(input) } };
          toolCalls.push(call);
          order.toolUse(call, input);
        }
        break;
      }
      default:
        // A server tool's call or result, an MCP block, a container upload, a block newer than the gateway.
        order.other(block as Record<string, unknown> & { type: string });
    }
  }
  let finishReason = mapAnthropicStopReason(message.stop_reason);
  // The forced JSON tool is how the answer was delivered, not a call the client must run.
  if (finishReason === 'tool_calls' && answeredInJson && toolCalls.length === 0) finishReason = 'stop';
  const assistant: ChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    // As OpenAI (and the gemini adapter): a string ("" when empty), null only beside tool calls or for filtered output.
    content: texts.length > 0 ? texts.join('') : toolCalls.length > 0 || finishReason === 'content_filter' ? null : '',
    refusal: null,
  };
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  if (thinking.length > 0) {
    assistant.reasoning_content = thinking.join('');
    if (signature !== undefined) assistant.reasoning_signature = options.wrapSignatures ? wrapReasoningSignature(signature, signedText) : signature;
  }
  if (redacted.length > 0) assistant.reasoning_redacted = redacted;
  // OpenAI chat clients have no blocks: theirs is the message alone.
  if (!options.wrapSignatures) order.placeOn(assistant);
  return {
    id: chatCompletionId(message.id),
    object: 'chat.completion',
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: message.model,
    choices: [{ index: 0, message: assistant, finish_reason: finishReason, logprobs: null, ...anthropicStopFields(message.stop_reason, message.stop_sequence) }],
    usage: mapAnthropicUsage(message.usage ?? {}),
    system_fingerprint: null,
  };
}
