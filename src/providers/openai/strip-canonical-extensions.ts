import type { ChatRequest, TextPart } from '../../canonical/chat.ts';

/**
 * A request converted from another client format (Anthropic, Responses) carries canonical
 * extensions that OpenAI-compatible APIs reject or misread: `top_k` and `reasoning_budget_tokens`,
 * `cache_control` hints on parts and tools, `reasoning_signature` and `reasoning_redacted` on
 * assistant messages (Anthropic's own) and `is_error` on tool messages. They are removed before
 * sending; the client's own OpenAI requests are never touched (their bytes go as they are). A
 * limit of 0 tokens (an Anthropic client's prompt-cache pre-warming) goes as 1, the least these
 * APIs take. A tool message of several text parts (an Anthropic tool_result of several text
 * blocks) goes as their text joined by line breaks: a string is what every OpenAI-compatible
 * server takes in a tool message.
 *
 * An assistant message's `reasoning_content` (a thinking block) is the field DeepSeek-style APIs
 * take back, and DeepSeek's thinking mode *requires* it on a turn that made tool calls (400
 * otherwise), so it stays unless `keepReasoningContent` is false: OpenAI's own chat schema has no
 * such field. Services that refuse it (Groq, Cerebras) drop it as a preset quirk.
 */
export function stripCanonicalExtensions(request: ChatRequest, keepReasoningContent = true): ChatRequest {
  const { top_k: _topK, reasoning_budget_tokens: _budget, ...rest } = request as ChatRequest & { top_k?: unknown; reasoning_budget_tokens?: unknown };
  const messages = request.messages.map((message) => {
    const { reasoning_content: reasoning, reasoning_signature: _signature, reasoning_redacted: _redacted, is_error: _isError, ...kept } = message;
    if (keepReasoningContent && typeof reasoning === 'string' && message.role === 'assistant') kept.reasoning_content = reasoning;
    if (Array.isArray(kept.content)) {
      const parts = kept.content;
      kept.content = message.role === 'tool' && parts.every((part) => part.type === 'text') ? parts.map((part) => (part as TextPart).text).join('\n') : parts.map((part) => withoutCacheControl(part));
    }
    return kept;
  });
  const tools = request.tools?.map((tool) => withoutCacheControl(tool));
  const stripped = { ...rest, messages, ...(tools === undefined ? {} : { tools }) } as ChatRequest;
  // An Anthropic client's max_tokens 0 (prompt-cache pre-warming) as the least OpenAI-style APIs take (output-limits.ts).
  if (stripped.max_tokens === 0) stripped.max_tokens = 1;
  if (stripped.max_completion_tokens === 0) stripped.max_completion_tokens = 1;
  return stripped;
}

function withoutCacheControl<T>(value: T): T {
  if (value === null || typeof value !== 'object' || !('cache_control' in value)) return value;
  const { cache_control: _cacheControl, ...rest } = value as T & { cache_control?: unknown };
  return rest as T;
}
