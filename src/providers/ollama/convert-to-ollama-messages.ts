import type { ChatMessage, ContentPart, ToolCall } from '../../canonical/chat.ts';
import { dataUrlBase64 } from '../../canonical/data-url.ts';
import { errors } from '../../errors/catalogue.ts';
import { textOnlyMessage } from '../text-only-message.ts';
import type { OllamaMessage, OllamaToolCall } from './ollama-api.ts';

/**
 * An image_url as the base64 Ollama wants in `images`. Only data: URLs can be sent: Ollama takes
 * no URLs, and the gateway does not download them for it (a client could make the gateway fetch
 * internal addresses). A data URL without `;base64` holds percent-encoded bytes (RFC 2397), sent
 * encoded (dataUrlBase64); a broken one is a 400 naming `param`.
 */
function imageData(url: string, param: string): string {
  if (!url.startsWith('data:')) {
    throw errors.invalidRequest(`Provider 'ollama' accepts images only inline, as data: URLs (data:image/png;base64,...); the gateway does not download image URLs.`, param);
  }
  const comma = url.indexOf(',');
  if (comma === -1) throw errors.invalidRequest(`Invalid data URL in '${param}'.`, param);
  const base64 = url.slice(5, comma).split(';').slice(1).some((parameter) => parameter.trim().toLowerCase() === 'base64');
  return dataUrlBase64({ base64, data: url.slice(comma + 1) }, param);
}

/** Text and images of a message. Text parts are joined by a line break: Ollama's content is one string. */
function textAndImages(content: ChatMessage['content'], param: string): { content: string; images: string[] } {
  if (typeof content === 'string') return { content, images: [] };
  if (!Array.isArray(content)) return { content: '', images: [] };
  const texts: string[] = [];
  const images: string[] = [];
  content.forEach((part: ContentPart, index) => {
    const where = `${param}[${index}]`;
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'image_url') images.push(imageData(part.image_url.url, `${where}.image_url.url`));
    else throw errors.invalidRequest(`Content part type '${(part as { type?: unknown }).type}' is not supported by provider 'ollama' (text and images only).`, where);
  });
  return { content: texts.join('\n'), images };
}

/** Tool call arguments as the object Ollama wants (OpenAI sends a JSON string). */
function argumentsObject(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: passed on below as one value, so nothing the model wrote is lost.
  }
  return { value: raw };
}

function toolCallsOf(calls: ToolCall[]): OllamaToolCall[] {
  return calls.map((call) => ({ type: 'function', function: { name: call.function.name, arguments: argumentsObject(call.function.arguments) } }));
}

/**
 * Converts OpenAI messages to Ollama's. System and developer messages are `system` messages in
 * place; images go in `images` as base64; assistant tool calls carry their arguments as objects
 * and earlier reasoning as `thinking` (Ollama reads it back); a tool result is a `tool` message
 * named (`tool_name`) after the call it answers, found by the call's id in an earlier assistant message.
 */
export function convertToOllamaMessages(messages: ChatMessage[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  const converted: OllamaMessage[] = [];
  messages.forEach((message, index) => {
    const param = `messages[${index}].content`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const { content, images } = textAndImages(message.content, param);
        if (images.length > 0) throw textOnlyMessage('ollama', message.role, param);
        converted.push({ role: 'system', content });
        break;
      }
      case 'user': {
        const { content, images } = textAndImages(message.content, param);
        converted.push(images.length > 0 ? { role: 'user', content, images } : { role: 'user', content });
        break;
      }
      case 'assistant': {
        const { content, images } = textAndImages(message.content, param);
        // Ollama's models read images the user sent; one in the model's own turn would be left out unseen.
        if (images.length > 0) throw textOnlyMessage('ollama', 'assistant', param);
        const out: OllamaMessage = { role: 'assistant', content };
        if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') out.thinking = message.reasoning_content;
        const calls = [...(message.tool_calls ?? [])];
        // The legacy single `function_call` of the functions API is one tool call.
        const legacy = message.function_call as { name?: unknown; arguments?: unknown } | undefined;
        if (legacy && typeof legacy.name === 'string') calls.push({ id: '', type: 'function', function: { name: legacy.name, arguments: typeof legacy.arguments === 'string' ? legacy.arguments : '' } });
        for (const call of calls) if (call.id) toolNames.set(call.id, call.function.name);
        if (calls.length > 0) out.tool_calls = toolCallsOf(calls);
        converted.push(out);
        break;
      }
      case 'tool': {
        const name = toolNames.get(message.tool_call_id ?? '') ?? message.name;
        if (!name) {
          throw errors.invalidRequest(`messages[${index}].tool_call_id '${message.tool_call_id ?? ''}' does not match a tool call of an earlier assistant message.`, `messages[${index}].tool_call_id`);
        }
        converted.push({ role: 'tool', content: textAndImages(message.content, param).content, tool_name: name });
        break;
      }
      default:
        // Legacy `function` role messages: the result of a function_call, named by `name`.
        if ((message.role as string) === 'function' && typeof message.name === 'string') {
          converted.push({ role: 'tool', content: textAndImages(message.content, param).content, tool_name: message.name });
          break;
        }
        throw errors.invalidRequest(`Message role '${String(message.role)}' is not supported by provider 'ollama'.`, `messages[${index}].role`);
    }
  });
  return converted;
}
