import type { ChatRequest } from '../canonical/chat.ts';

/** The most tokens the client lets the answer take: max_completion_tokens, else the older max_tokens; undefined when neither is set. */
export function maxOutputTokens(request: ChatRequest): number | undefined {
  const value = request.max_completion_tokens ?? request.max_tokens;
  return typeof value === 'number' ? value : undefined;
}

/**
 * maxOutputTokens as a limit every provider but Anthropic's Messages API takes: 0 (an Anthropic
 * client's prompt-cache pre-warming, which only Anthropic's API serves) becomes 1, the smallest
 * limit they accept (Bedrock's Converse and OpenAI refuse 0; others read it their own way), so
 * the prompt is processed and the answer is at most a token long.
 */
export function providerOutputLimit(request: ChatRequest): number | undefined {
  const limit = maxOutputTokens(request);
  return limit === 0 ? 1 : limit;
}

/**
 * OpenAI's `stop` as the list of stop sequences every translated provider takes: one string
 * becomes a list of one; empty strings (which providers refuse or ignore) are left out; undefined
 * when none remains.
 */
export function stopSequences(stop: ChatRequest['stop']): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = typeof stop === 'string' ? [stop] : stop.filter((item) => typeof item === 'string');
  const kept = list.filter((item) => item !== '');
  return kept.length > 0 ? kept : undefined;
}
