import type { ChatRequest } from '../../canonical/chat.ts';

/**
 * A chat request's output limit as `max_completion_tokens`, the name every current OpenAI chat
 * model takes: the reasoning models (o1, o3, o4-mini, gpt-5 …) refuse `max_tokens` with 400
 * "Use 'max_completion_tokens' instead", and the others read both alike. For a request the gateway
 * writes itself (one translated from another client format, or re-serialized after a plugin
 * changed it) to OpenAI and Azure OpenAI; OpenAI-compatible servers keep `max_tokens`, which some
 * do not know by the new name. A limit given under both names keeps max_completion_tokens.
 */
export function withMaxCompletionTokens(request: ChatRequest): ChatRequest {
  if (!('max_tokens' in request)) return request;
  const { max_tokens: limit, ...rest } = request;
  if (typeof limit === 'number' && typeof rest.max_completion_tokens !== 'number') rest.max_completion_tokens = limit;
  return rest;
}
