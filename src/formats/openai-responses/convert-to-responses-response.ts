import type { ChatMessage, ChatResponse } from '../../canonical/chat.ts';
import { buildResponsesResponse } from './build-responses-response.ts';
import { mapToResponsesStatus } from './map-to-responses-status.ts';
import { mapToResponsesUsage } from './map-to-responses-usage.ts';
import type { ResponsesEcho, ResponsesItemStatus, ResponsesLogprob, ResponsesOutputItem, ResponsesOutputMessage, ResponsesOutputReasoning, ResponsesResponse } from './responses-api.ts';
import { responsesId, responsesIdsFor, type ResponsesIds } from './responses-ids.ts';
import { encodeReasoningState } from './responses-reasoning-state.ts';

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Chat completions' `logprobs.content` entries have the shape output_text's logprobs take. */
export function logprobsOf(logprobs: unknown): ResponsesLogprob[] {
  const content = (logprobs as { content?: unknown } | null | undefined)?.content;
  return Array.isArray(content) ? (content as ResponsesLogprob[]) : [];
}

/** The data of an assistant message's (or delta's) redacted thinking blocks (`reasoning_redacted`, a canonical extension), in order. */
export function redactedReasoningOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((data): data is string => typeof data === 'string' && data !== '') : [];
}

/**
 * The reasoning item of an answer: reasoning_content as a `reasoning_text` part, and, when the
 * provider signed it (Claude's thinking) or redacted some (Claude's redacted_thinking, canonical
 * `reasoning_redacted`), text, signature and redacted data in `encrypted_content` too, always: the
 * gateway stores nothing, so this is the only way the thinking can go back in a tool loop.
 * Undefined when there is neither text, signature nor redacted thinking.
 */
function reasoningItemOf(message: ChatMessage | undefined, ids: ResponsesIds): ResponsesOutputReasoning | undefined {
  const thinking = typeof message?.reasoning_content === 'string' ? message.reasoning_content : '';
  const signature = typeof message?.reasoning_signature === 'string' ? message.reasoning_signature : '';
  const redacted = redactedReasoningOf(message?.reasoning_redacted);
  if (thinking === '' && signature === '' && redacted.length === 0) return undefined;
  const item: ResponsesOutputReasoning = { type: 'reasoning', id: ids('rs'), summary: [], content: [{ type: 'reasoning_text', text: thinking }], status: 'completed' };
  if (signature !== '' || redacted.length > 0) item.encrypted_content = encodeReasoningState({ thinking, signature, redacted });
  return item;
}

/**
 * The assistant message of a canonical answer as Response output items, in the order a model
 * produces them: a reasoning item (reasoningItemOf), a message item (text and/or refusal) and
 * one function_call item per tool call (the last incomplete when the answer is). A message item is
 * also written when nothing else is, so `output_text` reads as the empty string. `ids` makes the
 * items' ids (random by default).
 */
export function responsesOutputOf(message: ChatMessage | undefined, messageStatus: ResponsesItemStatus, logprobs: ResponsesLogprob[] = [], ids: ResponsesIds = responsesId): ResponsesOutputItem[] {
  const output: ResponsesOutputItem[] = [];
  const reasoning = reasoningItemOf(message, ids);
  if (reasoning !== undefined) output.push(reasoning);
  const text = textOf(message?.content);
  const refusal = typeof message?.refusal === 'string' ? message.refusal : '';
  const calls = message?.tool_calls ?? [];
  if (text !== '' || refusal !== '' || calls.length === 0) {
    const content: ResponsesOutputMessage['content'] = [];
    if (text !== '' || refusal === '') content.push({ type: 'output_text', text, annotations: [], logprobs });
    if (refusal !== '') content.push({ type: 'refusal', refusal });
    output.push({ type: 'message', id: ids('msg'), status: messageStatus, role: 'assistant', content });
  }
  calls.forEach((call, index) => {
    // An answer cut short (max_output_tokens) was cut in its last call, whose arguments may be partial: incomplete, as the stream says.
    const status = messageStatus === 'incomplete' && index === calls.length - 1 ? 'incomplete' : 'completed';
    output.push({ type: 'function_call', id: ids('fc', index), call_id: call.id, name: call.function.name, arguments: call.function.arguments, status });
  });
  return output;
}

/**
 * A canonical chat.completion as a Response: its first choice as output items, finish_reason as
 * status (and incomplete_details), usage in Responses terms, and the request's echoed fields. The
 * ids derive from the answer's id and created (responsesIdsFor), so a cache hit keeps them.
 */
export function convertToResponsesResponse(response: ChatResponse, echo: ResponsesEcho): ResponsesResponse {
  const choice = response.choices?.[0];
  const ids = responsesIdsFor(response.id, response.created);
  const { status, incomplete_details: incompleteDetails } = mapToResponsesStatus(choice?.finish_reason);
  return buildResponsesResponse(echo, {
    id: ids('resp'),
    createdAt: typeof response.created === 'number' ? response.created : Math.floor(Date.now() / 1000),
    model: response.model,
    status,
    incompleteDetails,
    error: null,
    output: responsesOutputOf(choice?.message, status === 'completed' ? 'completed' : 'incomplete', logprobsOf(choice?.logprobs), ids),
    usage: response.usage ? mapToResponsesUsage(response.usage) : null,
    servedTier: typeof response.service_tier === 'string' ? response.service_tier : response.usage?.service_tier,
  });
}
