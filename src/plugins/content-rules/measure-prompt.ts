import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import type { CompletionRequest } from '../../canonical/completions.ts';
import type { CanonicalRequest, Operation } from '../../canonical/operation.ts';
import { scanOnlyTextsOf, textFilesOf } from '../../canonical/text-file.ts';

/** Unicode code points (a surrogate pair is one character). */
export function countCharacters(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xdc00 && code <= 0xdfff) count--;
  }
  return count;
}

function messageTexts(message: ChatMessage): string[] {
  const texts: string[] = [];
  const content = message.content;
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) for (const part of content) if (part.type === 'text') texts.push(part.text);
  if (message.tool_calls) for (const call of message.tool_calls) texts.push(call.function.arguments);
  return texts;
}

export interface PromptText {
  role: string;
  text: string;
}

/**
 * The texts blocked terms are looked for in: each message's text parts read as the one text the
 * model reads, so a phrase split over two parts (`"see project "`, `"falcon"`) is still found.
 * Providers join parts with nothing (OpenAI, Anthropic blocks read in a row) or a newline (Gemini
 * system text, Ollama), so both joins are searched: `"proj"` + `"ect"` is a word only when joined
 * with nothing, `"project"` + `"falcon"` two words only with a newline. Each message is still one
 * verdict (a term is reported once). Tool-call arguments, text files and the text of Anthropic
 * server tool blocks stay texts of their own.
 */
export function termSearchTexts(operation: Operation, body: CanonicalRequest): PromptText[] {
  if (operation !== 'chat') return promptTexts(operation, body);
  const texts: PromptText[] = [];
  for (const message of (body as ChatRequest).messages) {
    const content = message.content;
    if (typeof content === 'string') texts.push({ role: message.role, text: content });
    else if (Array.isArray(content)) {
      const parts = content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
      if (parts.length === 1) texts.push({ role: message.role, text: parts[0] });
      else if (parts.length > 1) texts.push({ role: message.role, text: parts.join('') }, { role: message.role, text: parts.join('\n') });
    }
    if (message.tool_calls) for (const call of message.tool_calls) texts.push({ role: message.role, text: call.function.arguments });
    // Text files (text/*, JSON, XML data URLs), each a text of its own, decoded as the model reads them.
    if (Array.isArray(content)) for (const text of textFilesOf(message)) texts.push({ role: message.role, text });
  }
  // The text of Anthropic server tool blocks (kept apart by the Messages conversion: canonical/text-file.ts).
  for (const entry of scanOnlyTextsOf(body)) texts.push({ role: entry.role, text: entry.text });
  return texts;
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
