import type { ChatMessage, ChatRequest, ContentPart, FilePart } from './chat.ts';
import { dataUrlTextOrNull, isTextMediaType, parseDataUrl } from './data-url.ts';

/**
 * The text of a file part whose inline data (`file.file_data`, a data URL) is a text media type
 * (text/*, JSON, XML: isTextMediaType) — what the model reads of it (the Anthropic adapter sends it
 * decoded as a text document). Null for anything else: binary files (PDF, images, Office…), file
 * ids, http(s) URLs and data whose percent-encoding is broken, which the guardrails do not read.
 * Decoded as the anthropic adapter decodes it (dataUrlTextOrNull: bytes, then the charset's text).
 */
export function textFileText(part: ContentPart): string | null {
  if (part === null || typeof part !== 'object' || part.type !== 'file') return null;
  const fileData = (part as FilePart).file?.file_data;
  if (typeof fileData !== 'string' || !fileData.startsWith('data:')) return null;
  const data = parseDataUrl(fileData);
  if (data === null || !isTextMediaType(data.mediaType)) return null;
  return dataUrlTextOrNull(data);
}

/**
 * Puts `text` back into a text file part's data URL: same media type and parameters, same encoding
 * (base64 or percent-encoded), the text as UTF-8 (a `charset` parameter naming another is made
 * `utf-8`, so the bytes are read as written).
 */
export function setTextFileText(part: FilePart, text: string): void {
  const fileData = part.file.file_data as string;
  const comma = fileData.indexOf(',');
  const head = fileData.slice(0, comma).replace(/;\s*charset=[^;]*/i, ';charset=utf-8');
  const base64 = parseDataUrl(fileData)?.base64 === true;
  part.file.file_data = `${head},${base64 ? Buffer.from(text, 'utf8').toString('base64') : encodeURIComponent(text)}`;
}

/** The texts of a message's text files, in order (none without file parts: no work for other requests). */
export function textFilesOf(message: ChatMessage): string[] {
  const content = message.content;
  if (!Array.isArray(content)) return [];
  const texts: string[] = [];
  for (const part of content) {
    const text = textFileText(part);
    if (text !== null) texts.push(text);
  }
  return texts;
}

/**
 * Scan-only texts: text an Anthropic Messages request carries in blocks the canonical model has
 * no form for (server_tool_use inputs, web_search_tool_result and the other server tool results,
 * MCP blocks…). The byte passthrough to Anthropic forwards those blocks as sent, and so does the
 * anthropic adapter on the re-encoded path (anthropic-verbatim-turns.ts); the other adapters drop them. The guardrails read these texts (a symbol key: never serialized, never read
 * by an adapter); a guardrail that rewrites rewrites the blocks themselves, in the verbatim turns
 * an Anthropic provider gets (anthropic-verbatim-turns.ts).
 * `role` is 'tool' for results (what a tool returned), 'assistant' for the model's own server
 * calls; `after` is the number of canonical messages before the block's turn ended (its position).
 */
export interface ScanOnlyText {
  role: 'tool' | 'assistant' | 'user';
  text: string;
  after: number;
}

export const scanOnlyTexts: unique symbol = Symbol('tollgate.scan-only-texts');

/** A request's scan-only texts (empty for every request but a Messages one with server blocks). */
export function scanOnlyTextsOf(body: unknown): readonly ScanOnlyText[] {
  return ((body as ChatRequest & { [scanOnlyTexts]?: ScanOnlyText[] } | null)?.[scanOnlyTexts]) ?? [];
}
