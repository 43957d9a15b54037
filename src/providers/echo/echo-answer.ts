import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';

/** The text of a message's content, parts joined. */
export function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** What echo answers: the last user message's text. */
export function echoAnswer(request: ChatRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index];
    if (message.role === 'user') return textOf(message.content);
  }
  return '';
}

/** All text the model would read, for the prompt token count. */
export function promptText(request: ChatRequest): string {
  return request.messages.map((message) => textOf(message.content)).join('\n');
}

/** Splits an answer into stream pieces: word by word (keeping spaces), at most `limit` pieces. */
export function splitIntoPieces(text: string, limit: number): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  if (words.length <= limit) return words.length > 0 ? words : [''];
  const perPiece = Math.ceil(words.length / limit);
  const pieces: string[] = [];
  for (let index = 0; index < words.length; index += perPiece) pieces.push(words.slice(index, index + perPiece).join(''));
  return pieces;
}
