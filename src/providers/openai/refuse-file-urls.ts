import type { ChatRequest } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';

const httpUrl = /^https?:\/\//i;

/**
 * OpenAI's chat `file` part takes a file's bytes (`file_data`: base64, or a base64 data URL) or an
 * uploaded file's id, never a URL (Chat Completions: "The base64 encoded file data"; only the
 * Responses API has `file_url`). A request the gateway writes from another client format can hold
 * one: an Anthropic client's `document` with a `url` source becomes a `file_data` holding the URL.
 * Such a part is refused with 400 naming the field, before any call, rather than sent to be
 * refused upstream (a wasted call, and an error about base64 that never names the URL).
 */
export function refuseFileUrls(request: ChatRequest, provider: string): void {
  if (!Array.isArray(request.messages)) return;
  request.messages.forEach((message, index) => {
    if (!Array.isArray(message.content)) return;
    message.content.forEach((part, position) => {
      if (part.type !== 'file' || typeof part.file?.file_data !== 'string' || !httpUrl.test(part.file.file_data)) return;
      const param = `messages[${index}].content[${position}].file.file_data`;
      throw errors.unsupportedValue(
        param,
        `'${param}' is a URL: provider '${provider}' takes files in chat as their bytes (base64 'file_data') or a 'file_id', not by URL. Send the file inline (data:application/pdf;base64,...), or use a provider that fetches URLs (anthropic, gemini, vertex).`,
      );
    });
  });
}
