import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import type { ProviderCall } from '../provider.ts';
import { toolCallIdWithin, type ToolCallIdRule } from '../tool-use-id.ts';

/**
 * OpenAI refuses a `tool_calls[].id` or `tool_call_id` over 40 characters (400
 * `string_above_max_length`), and services that forward to it (OpenRouter, Azure) inherit the
 * limit; OpenAI-compatible servers take it as well as anything.
 */
const openAIToolCallIds: ToolCallIdRule = { maxLength: 40 };

function needsMapping(id: unknown): id is string {
  return typeof id === 'string' && toolCallIdWithin(id, openAIToolCallIds) !== id;
}

function mapped(message: ChatMessage): ChatMessage {
  const calls = message.tool_calls;
  const toolCalls = calls?.some((call) => needsMapping(call.id)) ? calls.map((call) => (needsMapping(call.id) ? { ...call, id: toolCallIdWithin(call.id, openAIToolCallIds) } : call)) : calls;
  const resultId = needsMapping(message.tool_call_id) ? toolCallIdWithin(message.tool_call_id, openAIToolCallIds) : message.tool_call_id;
  if (toolCalls === calls && resultId === message.tool_call_id) return message;
  const copy = { ...message };
  if (toolCalls !== undefined) copy.tool_calls = toolCalls;
  if (resultId !== undefined) copy.tool_call_id = resultId;
  return copy;
}

/**
 * A chat request whose tool-call ids an OpenAI-format provider takes: ids over 40 characters, and
 * those carrying a Gemini thought signature (a conversation begun on Gemini 3, continued or failed
 * over to this provider), are mapped the same way in a call and its result (toolCallIdWithin). The
 * request itself when no id needs it, which is nearly always, so the client's bytes can still go
 * as they came.
 */
export function withOpenAIToolCallIds(request: ChatRequest): ChatRequest {
  if (!request.messages.some((message) => needsMapping(message.tool_call_id) || message.tool_calls?.some((call) => needsMapping(call.id)) === true)) return request;
  return { ...request, messages: request.messages.map(mapped) };
}

/**
 * A chat call with its ids mapped (withOpenAIToolCallIds); when any was, the request is sent as the
 * gateway writes it (no raw client bytes, which hold the old ids).
 */
export function withOpenAIToolCallIdsOf(call: ProviderCall): ProviderCall {
  if (call.operation !== 'chat') return call;
  const request = withOpenAIToolCallIds(call.request as ChatRequest);
  return request === call.request ? call : { ...call, request, rawBody: null };
}
