import { customInputOf } from '../../canonical/custom-tool-call.ts';
import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import type { CompletionRequest } from '../../canonical/completions.ts';
import type { CanonicalRequest, Operation } from '../../canonical/operation.ts';

/** Unicode code points (a surrogate pair is one character). */
export function countCharacters(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xdc00 && code <= 0xdfff) count--;
  }
  return count;
}

/**
 * The texts of a message's text parts. The parsers refuse malformed parts (formats/openai/check-content-parts.ts);
 * one that gets here anyway (a null, a `text` that is no string) is read as nothing, never a TypeError.
 */
export function textPartsOf(content: readonly unknown[]): string[] {
  const texts: string[] = [];
  for (const part of content) {
    if (part === null || typeof part !== 'object') continue;
    const { type, text } = part as { type?: unknown; text?: unknown };
    if (type === 'text' && typeof text === 'string') texts.push(text);
  }
  return texts;
}

function messageTexts(message: ChatMessage): string[] {
  const texts: string[] = [];
  const content = message.content;
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) texts.push(...textPartsOf(content));
  if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls) if (typeof call?.function?.arguments === 'string') texts.push(call.function.arguments);
  if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls) texts.push(...customInputOf(call));
  return texts;
}

export interface PromptText {
  role: string;
  text: string;
}

/** Every text the model reads (chat messages and tool call arguments, or a completion prompt); embeddings have none. */
export function promptTexts(operation: Operation, body: CanonicalRequest): PromptText[] {
  if (operation === 'chat') return (body as ChatRequest).messages.flatMap((message) => messageTexts(message).map((text) => ({ role: message.role, text })));
  if (operation === 'completions') {
    const prompt = (body as CompletionRequest).prompt;
    const texts = typeof prompt === 'string' ? [prompt] : Array.isArray(prompt) ? prompt.filter((item): item is string => typeof item === 'string') : [];
    return texts.map((text) => ({ role: 'user', text }));
  }
  return [];
}
