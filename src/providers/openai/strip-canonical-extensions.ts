import type { ChatRequest } from '../../canonical/chat.ts';

/**
 * A request converted from another client format (Anthropic, Responses) carries canonical
 * extensions that OpenAI-compatible APIs reject or misread: `top_k` and `reasoning_budget_tokens`,
 * `cache_control` hints on parts and tools, `reasoning_signature` on assistant messages (Anthropic's
 * own) and `is_error` on tool messages. They are removed before sending; the client's own OpenAI
 * requests are never touched (their bytes go as they are).
 *
 * An assistant message's `reasoning_content` (a thinking block) is the field DeepSeek-style APIs
 * take back, and DeepSeek's thinking mode *requires* it on a turn that made tool calls (400
 * otherwise), so it stays unless `keepReasoningContent` is false: OpenAI's own chat schema has no
 * such field. Services that refuse it (Groq, Cerebras) drop it as a preset quirk.
 */
export function stripCanonicalExtensions(request: ChatRequest, keepReasoningContent = true): ChatRequest {
  const { top_k: _topK, reasoning_budget_tokens: _budget, ...rest } = request as ChatRequest & { top_k?: unknown; reasoning_budget_tokens?: unknown };
  const messages = request.messages.map((message) => {
    const { reasoning_content: reasoning, reasoning_signature: _signature, is_error: _isError, ...kept } = message;
    if (keepReasoningContent && typeof reasoning === 'string' && message.role === 'assistant') kept.reasoning_content = reasoning;
    if (Array.isArray(kept.content)) kept.content = kept.content.map((part) => withoutCacheControl(part));
    return kept;
  });
  const tools = request.tools?.map((tool) => withoutCacheControl(tool));
  return { ...rest, messages, ...(tools === undefined ? {} : { tools }) } as ChatRequest;
}

function withoutCacheControl<T>(value: T): T {
  if (value === null || typeof value !== 'object' || !('cache_control' in value)) return value;
  const { cache_control: _cacheControl, ...rest } = value as T & { cache_control?: unknown };
  return rest as T;
}
