import type { ChatChoice, ChatResponse, ToolCall } from '../../canonical/chat.ts';
import type { OllamaChatResponse, OllamaToolCall } from './ollama-api.ts';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.ts';
import { mapOllamaUsage } from './ollama-usage.ts';

/** What a response or stream conversion needs besides Ollama's body. */
export interface OllamaResponseContext {
  /** The chat completion id. */
  id: string;
  /** The model name to report (the one the gateway asked for). */
  model: string;
  created: number;
  /** Makes the id of the n-th tool call when Ollama gives none (unique per response). */
  makeToolCallId: (index: number) => string;
  /** The provider's configured name, for error messages. */
  provider?: string;
}

/** An Ollama tool call as an OpenAI one: arguments as a JSON string, Ollama's id when it gave one. */
export function toolCallOf(call: OllamaToolCall, fallbackId: string): ToolCall {
  const raw = call.function?.arguments;
  return {
    id: typeof call.id === 'string' && call.id !== '' ? call.id : fallbackId,
    type: 'function',
    function: { name: call.function?.name ?? '', arguments: typeof raw === 'string' ? raw : JSON.stringify(raw ?? {}) },
  };
}

/**
 * An /api/chat answer (`stream: false`) as an OpenAI chat completion: content, thinking as
 * reasoning_content, tool calls with ids, the finish reason and usage.
 */
export function convertOllamaResponse(response: OllamaChatResponse, context: OllamaResponseContext): ChatResponse {
  const message = response.message ?? {};
  const toolCalls = (message.tool_calls ?? []).map((call, index) => toolCallOf(call, context.makeToolCallId(index)));
  const text = typeof message.content === 'string' ? message.content : '';
  // As OpenAI: content is null beside tool calls when there is no text.
  const out: ChatChoice['message'] = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text, refusal: null };
  if (typeof message.thinking === 'string' && message.thinking !== '') out.reasoning_content = message.thinking;
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  const result: ChatResponse = {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message: out, finish_reason: mapOllamaFinishReason(response.done_reason, toolCalls.length > 0), logprobs: null }],
    system_fingerprint: null,
  };
  const usage = mapOllamaUsage(response);
  if (usage) result.usage = usage;
  return result;
}
