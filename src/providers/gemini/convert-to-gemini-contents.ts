import type { ChatMessage, ContentPart, ToolCall } from '../../canonical/chat.ts';
import { dataUrlBase64, standardMediaType } from '../../canonical/data-url.ts';
import { errors } from '../../errors/catalogue.ts';
import { textOnlyMessage } from '../text-only-message.ts';
import type { GeminiContent, GeminiPart } from './gemini-api.ts';
import { decodeToolCallId, isGatewayToolCallId, skipSignatureValidator } from './gemini-tool-call-id.ts';
import { GeminiToolNames } from './gemini-tool-names.ts';

/** The conversation in Gemini's shape: system text apart, turns alternating user/model. */
export interface GeminiConversation {
  systemInstruction: GeminiContent | undefined;
  contents: GeminiContent[];
}

/** How the conversation is written for one endpoint. */
export interface GeminiContentsOptions {
  /** The request's function names as Gemini sees them (gemini-tool-names.ts); names are kept when absent. */
  toolNames?: GeminiToolNames;
  /**
   * Vertex AI requires `fileData.mimeType`; the Gemini API infers it from the file when it is
   * left out. When required and the URL's extension names no type, an image_url is sent as
   * `image/jpeg` (a YouTube link as `video/mp4`, as Vertex's examples do).
   */
  fileMimeTypeRequired?: boolean;
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

/** The MIME type a fileData part of an image_url gets when it must have one and the URL's extension names none. */
export function defaultImageMimeType(url: string): string {
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    // Not an absolute URL: no host to go by.
  }
  return /(^|\.)(youtube\.com|youtu\.be)$/.test(host) ? 'video/mp4' : 'image/jpeg';
}

/**
 * A data: URL as inlineData (base64; a percent-encoded payload's bytes encoded: dataUrlBase64, a
 * broken one a 400 naming `param`), or an http(s)/gs:// URL as fileData (Gemini fetches it). The
 * data URL's type goes up as Google names it (standardMediaType): Google refuses `image/jpg`.
 */
function partFromUrl(url: string, param: string, fallbackMimeType?: string): GeminiPart {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    if (comma === -1) throw errors.invalidRequest(`Invalid data URL in '${param}'.`, param);
    const header = url.slice(5, comma);
    const parameters = header.split(';');
    const base64 = parameters.slice(1).some((parameter) => parameter.trim().toLowerCase() === 'base64');
    const mimeType = standardMediaType(parameters[0] || 'application/octet-stream');
    return { inlineData: { mimeType, data: dataUrlBase64({ base64, data: url.slice(comma + 1) }, param) } };
  }
  const mimeType = guessMimeType(url) ?? fallbackMimeType;
  return { fileData: mimeType ? { mimeType, fileUri: url } : { fileUri: url } };
}

/** A file Gemini fetches itself: an http(s) URL (an Anthropic client's PDF by URL), a gs:// object or a Files API URI. */
const fileUrl = /^(https?|gs):\/\//i;

/**
 * A `file` part's `file_data`: a URL as fileData (never inlineData: its bytes are the file's, not
 * the URL's), its type from the URL's or the filename's extension, else PDF (what an Anthropic
 * `document` by URL is, and the type the gateway gives a raw base64 file); a data URL or raw base64
 * as inlineData.
 */
function filePart(file: { file_data: string; filename?: string }, param: string): GeminiPart {
  const data = file.file_data;
  if (data.startsWith('data:')) return partFromUrl(data, param);
  const byName = guessMimeType(file.filename ?? '');
  if (fileUrl.test(data)) return { fileData: { mimeType: guessMimeType(data) ?? byName ?? 'application/pdf', fileUri: data } };
  return { inlineData: { mimeType: byName ?? 'application/pdf', data } };
}

function partsFromContent(content: ChatMessage['content'], param: string, options: GeminiContentsOptions): GeminiPart[] {
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
        parts.push(partFromUrl(part.image_url.url, `${where}.image_url.url`, options.fileMimeTypeRequired ? defaultImageMimeType(part.image_url.url) : undefined));
        break;
      case 'input_audio':
        parts.push({ inlineData: { mimeType: audioMimeTypes[part.input_audio.format] ?? `audio/${part.input_audio.format}`, data: part.input_audio.data } });
        break;
      case 'file':
        if (typeof part.file.file_data === 'string') {
          parts.push(filePart({ file_data: part.file.file_data, filename: part.file.filename }, `${where}.file.file_data`));
          break;
        }
        throw errors.invalidRequest(`Provider 'gemini' cannot read uploaded OpenAI files (file_id); send the file inline as file_data.`, where);
      default:
        throw errors.invalidRequest(`Content part type '${(part as { type?: unknown }).type}' is not supported by provider 'gemini'.`, where);
    }
  });
  return parts;
}

/**
 * The text of a message Gemini takes as one text (a system instruction, a tool result): its text
 * parts joined by a line break, so separate blocks (two system blocks, a tool result's items) stay
 * apart rather than run together.
 */
function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
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

/** What a tool result needs of the call it answers: the function's name as Gemini knows it, and the id to echo. */
interface CallSent {
  name: string;
  id: string | undefined;
}

/** The call's id as Gemini should see it: none for an id the gateway made up (Gemini never issued it). */
function upstreamCallId(id: string): string | undefined {
  return id !== '' && !isGatewayToolCallId(id) ? id : undefined;
}

function functionCallParts(calls: ToolCall[], toolNames: GeminiToolNames, sent: Map<string, CallSent>): GeminiPart[] {
  const parts: GeminiPart[] = calls.map((call) => {
    const { id: plainId, signature } = decodeToolCallId(call.id ?? '');
    const name = toolNames.toGemini(call.function.name);
    const id = upstreamCallId(plainId);
    if (call.id) sent.set(call.id, { name, id });
    const part: GeminiPart = { functionCall: { ...(id ? { id } : {}), name, args: argumentsObject(call.function.arguments ?? '') } };
    const thoughtSignature = signature ?? extraContentSignature(call);
    if (thoughtSignature) part.thoughtSignature = thoughtSignature;
    return part;
  });
  // Gemini 3 validates the first call of each step; calls made by another model have no
  // signature, so they get the bypass value Google documents for that case.
  if (parts.length > 0 && !parts.some((part) => part.thoughtSignature)) parts[0].thoughtSignature = skipSignatureValidator;
  return parts;
}

/** A user turn of functionResponse parts (the answers to the model's calls), as opposed to one the user wrote. */
function answersCalls(parts: readonly GeminiPart[]): boolean {
  return parts.length > 0 && parts[0].functionResponse !== undefined;
}

/**
 * Converts OpenAI messages to Gemini contents. System and developer messages become the
 * systemInstruction; tool results become functionResponse parts of a user turn, named after the
 * call they answer (with its id, when the call went up with one); consecutive turns of one role
 * are merged, except that the functionResponse parts answering a call turn stay a turn of their
 * own: text or an image after them (an Anthropic tool_result beside text, a user message after
 * the tool messages) goes in the next user turn, since Gemini 3 refuses (or answers with an empty
 * candidate) a function-response turn that holds anything else. Reasoning text of earlier assistant turns is
 * not sent back (Gemini reads only signed thoughts, which the OpenAI schema cannot carry).
 */
export function convertToGeminiContents(messages: ChatMessage[], options: GeminiContentsOptions = {}): GeminiConversation {
  const systemParts: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = options.toolNames ?? new GeminiToolNames([]);
  const sent = new Map<string, CallSent>();

  const push = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role && answersCalls(last.parts) === answersCalls(parts)) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, index) => {
    const param = `messages[${index}].content`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        // systemInstruction is read as text: an image or file there would be left out unseen.
        if (Array.isArray(message.content) && message.content.some((part) => part.type !== 'text')) throw textOnlyMessage('gemini', message.role, param);
        const text = textOf(message.content);
        if (text !== '') systemParts.push({ text });
        break;
      }
      case 'user':
        push('user', partsFromContent(message.content, param, options));
        break;
      case 'assistant': {
        const parts = partsFromContent(message.content, param, options);
        const calls = [...(message.tool_calls ?? [])];
        // The legacy single `function_call` of the functions API is one tool call.
        const legacy = message.function_call as { name?: unknown; arguments?: unknown } | undefined;
        if (legacy && typeof legacy.name === 'string') calls.push({ id: '', type: 'function', function: { name: legacy.name, arguments: typeof legacy.arguments === 'string' ? legacy.arguments : '' } });
        push('model', [...parts, ...functionCallParts(calls, toolNames, sent)]);
        break;
      }
      case 'tool': {
        const call = sent.get(message.tool_call_id ?? '');
        const name = call?.name ?? (typeof message.name === 'string' ? toolNames.toGemini(message.name) : undefined);
        if (!name) {
          throw errors.invalidRequest(`messages[${index}].tool_call_id '${message.tool_call_id ?? ''}' does not match a tool call of an earlier assistant message.`, `messages[${index}].tool_call_id`);
        }
        push('user', [{ functionResponse: { ...(call?.id ? { id: call.id } : {}), name, response: functionResponseBody(message.content) } }]);
        break;
      }
      default: {
        // Legacy `function` role messages: the result of a function_call, named by `name`.
        if ((message.role as string) === 'function' && typeof message.name === 'string') {
          push('user', [{ functionResponse: { name: toolNames.toGemini(message.name), response: functionResponseBody(message.content) } }]);
        }
      }
    }
  });

  const systemInstruction = systemParts.length > 0 ? { parts: systemParts } : undefined;
  // Gemini refuses a request without contents; a system-only prompt is sent as the user's turn.
  if (contents.length === 0 && systemInstruction) return { systemInstruction: undefined, contents: [{ role: 'user', parts: systemParts }] };
  return { systemInstruction, contents };
}
