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

/**
 * OpenAI's chat models that do not reason (GPT-4o, GPT-4.1, GPT-4 and 3.5, the gpt-5 chat
 * snapshots): OpenAI refuses `reasoning_effort` for them with 400.
 */
const nonReasoningModel = /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4(?:-|$)|gpt-3\.5|gpt-5(?:\.\d+)?-chat)/i;

/**
 * The request without the `reasoning_effort` an Anthropic client's `thinking` was mapped to, for a
 * model that does not reason: a client that turns thinking on (Claude Code, agents) would get a 400
 * on every turn for a choice the model cannot make; the answer comes without thinking, as it
 * would from a Claude model with thinking off. A client's own `reasoning_effort` (OpenAI clients)
 * is never dropped: its 400 is OpenAI's answer to what it asked.
 */
export function withoutMappedReasoningEffort(request: ChatRequest, model: string): ChatRequest {
  if (request.reasoning_effort === undefined || !nonReasoningModel.test(model)) return request;
  const { reasoning_effort: _effort, ...rest } = request;
  return rest;
}
