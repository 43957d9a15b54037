import type { ChatMessage, ContentPart, ImagePart } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { ResponsesAssistantContent, ResponsesInputContent, ResponsesInputItem, ResponsesMessageItem } from './responses-api.ts';

/** An input_image's detail in the canonical model, which has no 'original' (read as the closest, 'high'). */
function detailOf(detail: unknown): ImagePart['image_url']['detail'] {
  if (detail === 'original') return 'high';
  return detail === 'auto' || detail === 'low' || detail === 'high' ? detail : undefined;
}

/** A user-side content part as a canonical part (parse-responses-request.ts refused the ones without one). */
function partOf(part: ResponsesInputContent): ContentPart {
  switch (part.type) {
    case 'input_text':
      return { type: 'text', text: part.text };
    case 'input_image': {
      const image: ImagePart['image_url'] = { url: String(part.image_url) };
      const detail = detailOf(part.detail);
      if (detail !== undefined) image.detail = detail;
      return { type: 'image_url', image_url: image };
    }
    case 'input_file': {
      const file: { file_data: string; filename?: string } = { file_data: String(part.file_data) };
      if (typeof part.filename === 'string') file.filename = part.filename;
      return { type: 'file', file };
    }
  }
}

/** Parts as OpenAI content: one text part becomes a plain string (what every provider takes). */
function contentOf(parts: ContentPart[]): string | ContentPart[] {
  if (parts.length === 1 && parts[0].type === 'text') return parts[0].text;
  return parts;
}

function userSideContent(content: string | ResponsesInputContent[]): string | ContentPart[] {
  return typeof content === 'string' ? content : contentOf(content.map(partOf));
}

/** An assistant's earlier text: output_text (and a refusal, which is what it said) joined into one string. */
function assistantText(content: ResponsesMessageItem['content']): string {
  if (typeof content === 'string') return content;
  return (content as ResponsesAssistantContent[]).map((part) => (part.type === 'refusal' ? part.refusal : part.text)).join('');
}

/**
 * A Responses `input` as canonical chat messages. A string is one user message. Consecutive
 * assistant output (a message item and the function_call items after it) becomes one assistant
 * message with `tool_calls`; a function_call_output becomes a `tool` message, and must answer a
 * function_call that came before it (matched by call_id, as OpenAI requires). Reasoning items
 * are left out.
 */
export function convertResponsesInput(input: string | ResponsesInputItem[]): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const messages: ChatMessage[] = [];
  const callIds = new Set<string>();
  // The assistant message that function_call items still join (none once anything else follows).
  let assistant: ChatMessage | null = null;
  for (const [index, item] of input.entries()) {
    switch (item.type) {
      case 'reasoning':
        break;
      case 'function_call': {
        if (assistant === null) {
          assistant = { role: 'assistant', content: null };
          messages.push(assistant);
        }
        (assistant.tool_calls ??= []).push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
        callIds.add(item.call_id);
        break;
      }
      case 'function_call_output':
        if (!callIds.has(item.call_id)) {
          throw errors.invalidRequest(`No function_call item with call_id '${item.call_id}' comes before this function_call_output in 'input'; this gateway is stateless, so send the call with its output.`, `input[${index}].call_id`);
        }
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: userSideContent(item.output) });
        assistant = null;
        break;
      default:
        if (item.role === 'assistant') {
          assistant = { role: 'assistant', content: assistantText(item.content) };
          messages.push(assistant);
        } else {
          messages.push({ role: item.role, content: userSideContent(item.content as string | ResponsesInputContent[]) });
          assistant = null;
        }
    }
  }
  return messages;
}
