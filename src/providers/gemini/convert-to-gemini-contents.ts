import type { ChatMessage, ContentPart, ToolCall } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GeminiContent, GeminiPart } from './gemini-api.ts';
import { decodeToolCallId, skipSignatureValidator } from './gemini-tool-call-id.ts';

/** The conversation in Gemini's shape: system text apart, turns alternating user/model. */
export interface GeminiConversation {
  systemInstruction: GeminiContent | undefined;
  contents: GeminiContent[];
}

const mimeTypeByExtension: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic', heif: 'image/heif',
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', html: 'text/html',
  mp3: 'audio/mp3', wav: 'audio/wav', ogg: 'audio/ogg', flac: 'audio/flac', aac: 'audio/aac', m4a: 'audio/mp4',
  mp4: 'video/mp4', mov: 'video/mov', webm: 'video/webm', mpeg: 'video/mpeg',
};

const audioMimeTypes: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mp3', flac: 'audio/flac', ogg: 'audio/ogg', aac: 'audio/aac', m4a: 'audio/mp4', webm: 'audio/webm', pcm16: 'audio/pcm' };

/** Guesses a file's MIME type from the extension of its URL path, as Gemini's fileData wants one. */
export function guessMimeType(url: string): string | undefined {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not an absolute URL: use the string as it is.
  }
  const match = /\.([a-z0-9]+)$/i.exec(path);
  return match ? mimeTypeByExtension[match[1].toLowerCase()] : undefined;
}

/** A data: URL as inlineData (base64), or an http(s)/gs:// URL as fileData (Gemini fetches it). */
function partFromUrl(url: string, param: string): GeminiPart {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    if (comma === -1) throw errors.invalidRequest(`Invalid data URL in '${param}'.`, param);
    const header = url.slice(5, comma);
    const payload = url.slice(comma + 1);
    const isBase64 = /;base64$/i.test(header);
    const mimeType = header.replace(/;base64$/i, '').split(';')[0] || 'application/octet-stream';
    const data = isBase64 ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
    return { inlineData: { mimeType, data } };
  }
  const mimeType = guessMimeType(url);
  return { fileData: mimeType ? { mimeType, fileUri: url } : { fileUri: url } };
}

function partsFromContent(content: ChatMessage['content'], param: string): GeminiPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (!Array.isArray(content)) return [];
  const parts: GeminiPart[] = [];
  content.forEach((part: ContentPart, index) => {
    const where = `${param}[${index}]`;
    switch (part.type) {
      case 'text':
        if (part.text !== '') parts.push({ text: part.text });
        break;
      case 'image_url':
        parts.push(partFromUrl(part.image_url.url, where));
        break;
      case 'input_audio':
        parts.push({ inlineData: { mimeType: audioMimeTypes[part.input_audio.format] ?? `audio/${part.input_audio.format}`, data: part.input_audio.data } });
        break;
      case 'file':
        if (typeof part.file.file_data === 'string') {
          const url = part.file.file_data.startsWith('data:') ? part.file.file_data : `data:${guessMimeType(part.file.filename ?? '') ?? 'application/pdf'};base64,${part.file.file_data}`;
          parts.push(partFromUrl(url, where));
          break;
        }
        throw errors.invalidRequest(`Provider 'gemini' cannot read uploaded OpenAI files (file_id); send the file inline as file_data.`, where);
      default:
        throw errors.invalidRequest(`Content part type '${(part as { type?: unknown }).type}' is not supported by provider 'gemini'.`, where);
    }
  });
  return parts;
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Tool call arguments as the object Gemini wants (OpenAI sends a JSON string). */
function argumentsObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    return { value: parsed };
  } catch {
    return { value: raw };
  }
}

/** A tool result as Gemini's functionResponse.response, which must be an object. */
export function functionResponseBody(content: ChatMessage['content']): Record<string, unknown> {
  const text = textOf(content);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    return { result: parsed };
  } catch {
    return { result: text };
  }
}

/** The signature a client built for Google's own OpenAI endpoint sends: extra_content.google.thought_signature. */
function extraContentSignature(call: ToolCall): string | undefined {
  const extra = (call as ToolCall & { extra_content?: { google?: { thought_signature?: unknown } } }).extra_content;
  const signature = extra?.google?.thought_signature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}

function functionCallParts(calls: ToolCall[]): GeminiPart[] {
  const parts: GeminiPart[] = calls.map((call) => {
    const { signature } = decodeToolCallId(call.id ?? '');
    const part: GeminiPart = { functionCall: { name: call.function.name, args: argumentsObject(call.function.arguments ?? '') } };
    const thoughtSignature = signature ?? extraContentSignature(call);
    if (thoughtSignature) part.thoughtSignature = thoughtSignature;
    return part;
  });
  // Gemini 3 validates the first call of each step; calls made by another model have no
  // signature, so they get the bypass value Google documents for that case.
  if (parts.length > 0 && !parts.some((part) => part.thoughtSignature)) parts[0].thoughtSignature = skipSignatureValidator;
  return parts;
}

/**
 * Converts OpenAI messages to Gemini contents. System and developer messages become the
 * systemInstruction; tool results become functionResponse parts of a user turn, named after the
 * call they answer; consecutive turns of one role are merged, since Gemini wants them to
 * alternate. Reasoning text of earlier assistant turns is not sent back (Gemini reads only signed
 * thoughts, which the OpenAI schema cannot carry).
 */
export function convertToGeminiContents(messages: ChatMessage[]): GeminiConversation {
  const systemParts: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();

  const push = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, index) => {
    const param = `messages[${index}].content`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content);
        if (text !== '') systemParts.push({ text });
        break;
      }
      case 'user':
        push('user', partsFromContent(message.content, param));
        break;
      case 'assistant': {
        const parts = partsFromContent(message.content, param);
        const calls = [...(message.tool_calls ?? [])];
        // The legacy single `function_call` of the functions API is one tool call.
        const legacy = message.function_call as { name?: unknown; arguments?: unknown } | undefined;
        if (legacy && typeof legacy.name === 'string') calls.push({ id: '', type: 'function', function: { name: legacy.name, arguments: typeof legacy.arguments === 'string' ? legacy.arguments : '' } });
        for (const call of calls) if (call.id) toolNames.set(call.id, call.function.name);
        push('model', [...parts, ...functionCallParts(calls)]);
        break;
      }
      case 'tool': {
        const name = toolNames.get(message.tool_call_id ?? '') ?? message.name;
        if (!name) {
          throw errors.invalidRequest(`messages[${index}].tool_call_id '${message.tool_call_id ?? ''}' does not match a tool call of an earlier assistant message.`, `messages[${index}].tool_call_id`);
        }
        push('user', [{ functionResponse: { name, response: functionResponseBody(message.content) } }]);
        break;
      }
      default: {
        // Legacy `function` role messages: the result of a function_call, named by `name`.
        if ((message.role as string) === 'function' && typeof message.name === 'string') {
          push('user', [{ functionResponse: { name: message.name, response: functionResponseBody(message.content) } }]);
        }
      }
    }
  });

  const systemInstruction = systemParts.length > 0 ? { parts: systemParts } : undefined;
  // Gemini refuses a request without contents; a system-only prompt is sent as the user's turn.
  if (contents.length === 0 && systemInstruction) return { systemInstruction: undefined, contents: [{ role: 'user', parts: systemParts }] };
  return { systemInstruction, contents };
}
