import type { ChatRequest } from '../canonical/chat.ts';

/** The most tokens the client lets the answer take: max_completion_tokens, else the older max_tokens; undefined when neither is set. */
export function maxOutputTokens(request: ChatRequest): number | undefined {
  const value = request.max_completion_tokens ?? request.max_tokens;
  return typeof value === 'number' ? value : undefined;
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
