import { orderedAssistantBlocks, type AssistantBlock } from '../../canonical/assistant-block-order.ts';
import type { ChatMessage, ChatResponse } from '../../canonical/chat.ts';
import type { AnthropicResponseBlock, AnthropicStopReason } from '../../providers/anthropic/anthropic-api.ts';
import { chatCompletionIdPrefix } from '../../providers/anthropic/chat-completion-id.ts';
import { anthropicStopOf } from './map-to-anthropic-stop-reason.ts';
import { mapToAnthropicUsage, type AnthropicClientUsage } from './map-to-anthropic-usage.ts';

/** A Messages API response as the gateway writes it to Anthropic-format clients. */
export interface AnthropicClientMessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason;
  /** Why the model stopped, beyond stop_reason: only refusals have details. */
  stop_details: AnthropicRefusalDetails | null;
  stop_sequence: string | null;
  usage: AnthropicClientUsage;
}

/** `stop_details` of a refusal; a translated answer knows no category or explanation. */
export interface AnthropicRefusalDetails {
  type: 'refusal';
  category: null;
  explanation: null;
}

/** The stop_details that go with a stop_reason (the SDK types have the field on every Message and message_delta). */
export function stopDetailsFor(stopReason: AnthropicStopReason): AnthropicRefusalDetails | null {
  return stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null;
}

/** True when the model refused: OpenAI says so in `message.refusal`, with the reason as its text. */
function refused(message: ChatMessage | undefined): boolean {
  return typeof message?.refusal === 'string' && message.refusal !== '';
}

/**
 * Anthropic ids start with `msg_`; a translated answer keeps its provider's id after that prefix.
 * An Anthropic answer read into the canonical model (`chatcmpl-msg_…`) gets its own id back.
 */
export function anthropicMessageId(id: string | undefined): string {
  if (typeof id === 'string' && id.startsWith(`${chatCompletionIdPrefix}msg_`)) id = id.slice(chatCompletionIdPrefix.length);
  if (typeof id === 'string' && id.startsWith('msg_')) return id;
  const safe = typeof id === 'string' ? id.replace(/[^A-Za-z0-9_-]/g, '') : '';
  return `msg_${safe === '' ? crypto.randomUUID().replace(/-/g, '') : safe}`;
}

/** Tool arguments are JSON text in OpenAI's model and an object in Anthropic's. */
export function toolInputOf(argumentsText: string | undefined): Record<string, unknown> {
  if (argumentsText === undefined || argumentsText.trim() === '') return {};
  try {
    const input = JSON.parse(argumentsText) as unknown;
    // Anthropic inputs are objects; anything else is kept under a key rather than lost.
    return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : { value: input };
  } catch {
    return { _raw_arguments: argumentsText };
  }
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** The data of an assistant message's redacted thinking blocks (`reasoning_redacted`, a canonical extension), in order. */
export function redactedReasoningOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((data): data is string => typeof data === 'string' && data !== '') : [];
}

/**
 * The assistant message of a canonical answer as Anthropic content blocks: thinking, redacted
 * thinking, text, tool_use; or, when the provider said in what order it wrote them (several
 * thinking blocks, text after a tool call, several text blocks, citations, server tool calls and
 * results: ../../canonical/assistant-block-order.ts), those blocks in that order.
 */
export function anthropicBlocksOf(message: ChatMessage | undefined): AnthropicResponseBlock[] {
  if (!message) return [];
  const text = textOf(message.content) || (typeof message.refusal === 'string' ? message.refusal : '');
  const ordered = orderedAssistantBlocks(message, text, { otherBlocks: true });
  if (ordered !== undefined) return ordered.map(anthropicBlockOf);
  const blocks: AnthropicResponseBlock[] = [];
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
    blocks.push({ type: 'thinking', thinking: message.reasoning_content, signature: message.reasoning_signature ?? '' });
  }
  for (const data of redactedReasoningOf(message.reasoning_redacted)) blocks.push({ type: 'redacted_thinking', data });
  if (text !== '') blocks.push(anthropicBlockOf({ type: 'text', text }));
  for (const call of message.tool_calls ?? []) blocks.push(anthropicBlockOf({ type: 'tool_use', call }));
  return blocks;
}

function anthropicBlockOf(block: AssistantBlock): AnthropicResponseBlock {
  switch (block.type) {
    case 'text':
      // `citations` is on every text block Anthropic answers (null when there are none), as the SDK types say.
      return { type: 'text', text: block.text, citations: block.citations ?? null };
    case 'tool_use':
      return { type: 'tool_use', id: block.call.id, name: block.call.function.name, input: toolInputOf(block.call.function.arguments) };
    case 'other':
      return block.block as AnthropicResponseBlock;
    default:
      return block;
  }
}

/**
 * A canonical chat.completion as an Anthropic Message: the first choice's thinking, text and
 * tool calls as blocks (or an Anthropic provider's blocks in their order: anthropicBlocksOf),
 * finish_reason as stop_reason (an OpenAI `refusal` is Anthropic's `refusal`; a stop sequence the
 * provider named is `stop_sequence`; an Anthropic provider's `pause_turn` and
 * `model_context_window_exceeded` come back; an answer with tool calls is `tool_use` whatever its
 * finish_reason), usage in Anthropic's terms (with an Anthropic provider's own fields).
 */
export function convertToAnthropicMessage(response: ChatResponse): AnthropicClientMessageResponse {
  const choice = response.choices?.[0];
  const { stopReason, stopSequence } = anthropicStopOf(choice, { refused: refused(choice?.message), calledTools: (choice?.message?.tool_calls?.length ?? 0) > 0 });
  return {
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: anthropicBlocksOf(choice?.message),
    stop_reason: stopReason,
    stop_details: stopDetailsFor(stopReason),
    stop_sequence: stopSequence,
    usage: mapToAnthropicUsage(response.usage),
  };
}
