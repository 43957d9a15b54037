import type { ChatChoice, ChatResponse, ToolCall } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { CohereAssistantMessage, CohereChatResponse } from './cohere-api.ts';
import { mapCohereUsage } from './cohere-usage.ts';
import { cohereStopSequence, failedFinishError, mapCohereFinishReason } from './map-cohere-finish-reason.ts';

/** What a response or stream conversion needs besides Cohere's body. */
export interface CohereResponseContext {
  /** The chat completion id. */
  id: string;
  /** The model name to report (the one the client asked for). */
  model: string;
  created: number;
  /** The provider's configured name, for error messages. */
  provider: string;
  /** The stop sequences the request sent (cohereStopSequence). */
  stopSequences?: readonly string[];
  /** Whether the answer's citations go to the client (the request sent documents or citation_options). */
  returnsCitations?: boolean;
}

/** Arguments as the JSON string OpenAI clients parse (Cohere sends a string; an object is serialized). */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '{}' : value;
  if (value === undefined || value === null) return '{}';
  return JSON.stringify(value);
}

function toolCallsOf(message: CohereAssistantMessage, provider: string): ToolCall[] {
  return (message.tool_calls ?? []).map((call) => {
    if (typeof call.function?.name !== 'string') throw errors.upstreamBadResponse(provider, 'a tool call has no function name');
    return { id: String(call.id ?? ''), type: 'function', function: { name: call.function.name, arguments: argumentsText(call.function.arguments) } };
  });
}

/**
 * The model's reasoning: the thinking parts of a reasoning model, then the tool plan (the text
 * Cohere writes before calling tools). Both are the model explaining itself rather than
 * answering, which is what reasoning_content carries.
 */
function reasoningOf(message: CohereAssistantMessage): string {
  const thinking = (message.content ?? [])
    .map((part) => (part.type === 'thinking' && typeof part.thinking === 'string' ? part.thinking : ''))
    .join('');
  const plan = typeof message.tool_plan === 'string' ? message.tool_plan : '';
  return thinking !== '' && plan !== '' ? `${thinking}\n\n${plan}` : thinking + plan;
}

/**
 * A Cohere /v2/chat answer as an OpenAI chat completion: text parts joined as content, tool calls
 * as tool_calls, thinking and tool plan as reasoning_content. An answer Cohere ended with ERROR
 * or TIMEOUT is thrown (failedFinishError). Citations, which OpenAI has no field for, go in
 * `message.citations` in Cohere's shape when the client sent Cohere's RAG fields (it asked for a
 * grounded answer, so it knows the extension); otherwise they are left out, as before.
 */
export function convertCohereResponse(response: CohereChatResponse, context: CohereResponseContext): ChatResponse {
  const failure = failedFinishError(context.provider, response.finish_reason);
  if (failure) throw failure;
  const message = response.message ?? {};
  const textParts = (message.content ?? []).flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []));
  const toolCalls = toolCallsOf(message, context.provider);
  // As OpenAI: content is null beside tool calls when there is no text, otherwise a string.
  const content = textParts.length > 0 ? textParts.join('') : toolCalls.length > 0 ? null : '';
  const choiceMessage: ChatChoice['message'] = { role: 'assistant', content, refusal: null };
  const reasoning = reasoningOf(message);
  if (reasoning !== '') choiceMessage.reasoning_content = reasoning;
  if (toolCalls.length > 0) choiceMessage.tool_calls = toolCalls;
  if (context.returnsCitations && Array.isArray(message.citations) && message.citations.length > 0) choiceMessage.citations = message.citations;
  const result: ChatResponse = {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message: choiceMessage, finish_reason: mapCohereFinishReason(response.finish_reason, toolCalls.length > 0), logprobs: null }],
    system_fingerprint: null,
  };
  Object.assign(result.choices[0], cohereStopSequence(response.finish_reason, context.stopSequences));
  const usage = mapCohereUsage(response.usage);
  if (usage) result.usage = usage;
  return result;
}
