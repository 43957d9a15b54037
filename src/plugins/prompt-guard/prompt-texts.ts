import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import type { CompletionRequest } from '../../canonical/completions.ts';
import type { CanonicalRequest, Operation } from '../../canonical/operation.ts';
import { scanOnlyTextsOf, textFileText } from '../../canonical/text-file.ts';
import { toolDefinitionRole } from './signals/signal.ts';
import { toolDefinitionTexts } from './tool-definition-texts.ts';

export interface PromptText {
  role: string;
  text: string;
}

function textOf(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    // The parsers refuse malformed parts; one that gets here anyway is read as nothing, never a TypeError.
    if (part === null || typeof part !== 'object') continue;
    if (part.type === 'text') {
      if (typeof part.text === 'string') texts.push(part.text);
    } else if (part.type === 'file') {
      // A text file (text/*, JSON, XML data URL) is read as the model reads it: decoded.
      const text = textFileText(part);
      if (text !== null) texts.push(text);
    }
  }
  return texts.join('\n');
}

export interface SelectOptions {
  allRoles: boolean;
  lastUserOnly: boolean;
  /** Tool results are kept whatever the role filter says (indirect injection arrives there). */
  withToolResults: boolean;
  /** The request's tool definitions too, one text per tool (role `tool_definition`), whatever the role filter says. */
  withToolDefinitions?: boolean;
}

/** The texts to check, by role; for completions the prompt is one user text. Embeddings are not prompts. */
export function promptTexts(operation: Operation, body: CanonicalRequest, options: SelectOptions): PromptText[] {
  const selected = messageTexts(operation, body, options);
  // Sent with every request, so read with every request (the scorer remembers them): a tool can be poisoned at any turn.
  if (operation === 'chat' && options.withToolDefinitions === true) for (const text of toolDefinitionTexts(body)) selected.push({ role: toolDefinitionRole, text });
  return selected;
}

function messageTexts(operation: Operation, body: CanonicalRequest, options: SelectOptions): PromptText[] {
  if (operation === 'completions') {
    const prompt = (body as CompletionRequest).prompt;
    const texts = typeof prompt === 'string' ? [prompt] : Array.isArray(prompt) ? prompt.filter((item): item is string => typeof item === 'string') : [];
    return texts.map((text) => ({ role: 'user', text }));
  }
  if (operation !== 'chat') return [];
  const messages = (body as ChatRequest).messages ?? [];
  if (options.lastUserOnly) {
    const last = [...messages].reverse().find((message) => message.role === 'user');
    const selected: PromptText[] = last ? [{ role: 'user', text: textOf(last) }] : [];
    // Tool results after the last user turn are new in this request.
    if (options.withToolResults) {
      const lastIndex = last ? messages.lastIndexOf(last) : -1;
      for (const message of messages.slice(lastIndex + 1)) if (message.role === 'tool') selected.push({ role: 'tool', text: textOf(message) });
      // Server tool results (Anthropic web search…) from the last user turn on.
      for (const entry of scanOnlyTextsOf(body)) if (entry.role === 'tool' && entry.after > lastIndex) selected.push({ role: 'tool', text: entry.text });
    }
    return selected;
  }
  const keep = (role: string): boolean => options.allRoles || role === 'user' || (options.withToolResults && role === 'tool');
  const selected = messages.filter((message) => keep(message.role)).map((message) => ({ role: message.role, text: textOf(message) }));
  // The text of Anthropic server tool blocks (kept apart by the Messages conversion: canonical/text-file.ts).
  for (const entry of scanOnlyTextsOf(body)) if (keep(entry.role)) selected.push({ role: entry.role, text: entry.text });
  return selected;
}
