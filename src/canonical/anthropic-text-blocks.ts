import type { ChatMessage, ChatRequest, TextPart } from './chat.ts';
import type { CanonicalRequest, Operation } from './operation.ts';

/**
 * A user turn of several text blocks (an Anthropic Messages client's) is separate text parts in
 * the canonical model: the guardrails read a message's parts back to back, joined with nothing, as
 * the model reads them (a value or a term split across blocks is one), and an Anthropic provider
 * gets them back as separate blocks. A provider of another format gets them as one text, a line
 * break between blocks, as it always did: single-string servers must not glue the last word of one
 * block to the first of the next. The mark is kept beside the message, never on it: nothing
 * serializes it, and a message a plugin builds anew goes as its parts (valid in every format).
 */
const textBlockMessages = new WeakSet<ChatMessage>();

/** Marks a message whose content parts are a client's text blocks. */
export function markTextBlocks(message: ChatMessage): ChatMessage {
  textBlockMessages.add(message);
  return message;
}

/** The text of a marked message's parts joined by line breaks (empty ones, such as a value's rest a guardrail removed, left out); null when it holds more than uncached text. */
function joinedText(message: ChatMessage): string | null {
  if (!textBlockMessages.has(message) || !Array.isArray(message.content)) return null;
  const texts: string[] = [];
  for (const part of message.content) {
    if (part.type !== 'text' || (part as TextPart & { cache_control?: unknown }).cache_control !== undefined) return null;
    if (part.text !== '') texts.push(part.text);
  }
  return texts.join('\n');
}

/**
 * The request for a provider of another format than Anthropic's: each marked message's text parts
 * as one string joined by line breaks (a copy; the request itself is left as it is, for a fallback
 * to an Anthropic target). The same request when there is nothing to join.
 */
export function joinTextBlocks(operation: Operation, request: CanonicalRequest): CanonicalRequest {
  if (operation !== 'chat') return request;
  const chat = request as ChatRequest;
  let messages: ChatMessage[] | null = null;
  chat.messages.forEach((message, index) => {
    const text = joinedText(message);
    if (text === null) return;
    messages ??= [...chat.messages];
    messages[index] = { ...message, content: text };
  });
  return messages === null ? request : { ...chat, messages };
}
