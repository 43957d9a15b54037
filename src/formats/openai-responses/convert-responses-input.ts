import type { ChatMessage, ContentPart, ImagePart, TextPart } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { ResponsesAssistantContent, ResponsesFunctionCallOutputItem, ResponsesInputContent, ResponsesInputItem, ResponsesMessageItem, ResponsesReasoningInputItem } from './responses-api.ts';
import { decodeReasoningState, type ReasoningState } from './responses-reasoning-state.ts';

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
 * A function_call_output as a canonical `tool` message, whose content is text only (chat
 * completions' rule, which every provider adapter reads): its text stays there; images and files
 * come back apart, for a user message after the run of tool messages. An Anthropic client's
 * tool_result takes the same shape, so both reach every provider alike.
 */
function toolMessageOf(item: ResponsesFunctionCallOutputItem): { message: ChatMessage; attachments: ContentPart[] } {
  if (typeof item.output === 'string') return { message: { role: 'tool', tool_call_id: item.call_id, content: item.output }, attachments: [] };
  const parts = item.output.map(partOf);
  const texts = parts.filter((part): part is TextPart => part.type === 'text');
  const attachments = parts.filter((part) => part.type !== 'text');
  if (attachments.length === 0) return { message: { role: 'tool', tool_call_id: item.call_id, content: contentOf(texts) }, attachments };
  let text = texts.map((part) => part.text).join('');
  // The tool message must say something: it points at what follows.
  if (text === '') text = `[${attachments.length} attachment(s) of this result in the next message]`;
  return { message: { role: 'tool', tool_call_id: item.call_id, content: text }, attachments };
}

/**
 * A Responses `input` as canonical chat messages. A string is one user message. Consecutive
 * assistant output (a message item and the function_call items after it) becomes one assistant
 * message with `tool_calls`; a function_call_output becomes a `tool` message (toolMessageOf: its
 * images and files follow the run of outputs as a user message), and must answer a
 * function_call that came before it (matched by call_id, as OpenAI requires). A reasoning item
 * the gateway wrote for a signed thinking block or redacted thinking starts the next assistant
 * message, as its reasoning_content and reasoning_signature, and reasoning_redacted (the provider
 * wants the blocks back first in that turn). An unsigned reasoning item with text (what the
 * gateway returns for DeepSeek-style reasoning in the open, `reasoning_text` parts) starts it too, as reasoning_content alone: such
 * services want it back on tool-call turns (DeepSeek refuses the turn without it), and the
 * providers whose schema has no such field drop it (strip-canonical-extensions.ts). Reasoning
 * items with neither (OpenAI's own, a summary only) are left out.
 */
export function convertResponsesInput(input: string | ResponsesInputItem[]): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const messages: ChatMessage[] = [];
  const callIds = new Set<string>();
  // The assistant message that function_call items still join (none once anything else follows).
  let assistant: ChatMessage | null = null;
  // Signed thinking waiting for the assistant message it belongs to.
  let reasoning: ReasoningState | undefined;
  // Images and files of the function outputs just read, for the user message after them.
  let attachments: ContentPart[] = [];
  const startAssistant = (content: string | null): ChatMessage => {
    const message: ChatMessage = { role: 'assistant', content };
    if (reasoning !== undefined) {
      if (reasoning.thinking !== '' || reasoning.signature !== '') message.reasoning_content = reasoning.thinking;
      if (reasoning.signature !== '') message.reasoning_signature = reasoning.signature;
      if (reasoning.redacted !== undefined) message.reasoning_redacted = reasoning.redacted;
      reasoning = undefined;
    }
    messages.push(message);
    return message;
  };
  for (const [index, item] of input.entries()) {
    if (item.type !== 'function_call_output' && attachments.length > 0) {
      messages.push({ role: 'user', content: attachments });
      attachments = [];
    }
    switch (item.type) {
      case 'reasoning': {
        const state = decodeReasoningState(item.encrypted_content, `input[${index}].encrypted_content`) ?? openReasoningOf(item);
        if (state !== undefined) {
          reasoning = reasoning === undefined ? state : joinReasoning(reasoning, state);
          assistant = null;
        }
        break;
      }
      case 'function_call': {
        assistant ??= startAssistant(null);
        (assistant.tool_calls ??= []).push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
        callIds.add(item.call_id);
        break;
      }
      case 'function_call_output': {
        if (!callIds.has(item.call_id)) {
          throw errors.invalidRequest(`No function_call item with call_id '${item.call_id}' comes before this function_call_output in 'input'; this gateway is stateless, so send the call with its output.`, `input[${index}].call_id`);
        }
        const tool = toolMessageOf(item);
        messages.push(tool.message);
        attachments.push(...tool.attachments);
        assistant = null;
        reasoning = undefined;
        break;
      }
      default:
        if (item.role === 'assistant') {
          assistant = startAssistant(assistantText(item.content));
        } else {
          messages.push({ role: item.role, content: userSideContent(item.content as string | ResponsesInputContent[]) });
          assistant = null;
          reasoning = undefined;
        }
    }
  }
  if (attachments.length > 0) messages.push({ role: 'user', content: attachments });
  return messages;
}

/**
 * Two reasoning items before one assistant turn: the later thinking stands (the canonical message
 * holds one thinking block), and redacted thinking from both goes back, in order.
 */
function joinReasoning(earlier: ReasoningState, later: ReasoningState): ReasoningState {
  const thinking = later.thinking !== '' || later.signature !== '' ? later : earlier;
  const redacted = [...(earlier.redacted ?? []), ...(later.redacted ?? [])];
  return redacted.length > 0 ? { thinking: thinking.thinking, signature: thinking.signature, redacted } : { thinking: thinking.thinking, signature: thinking.signature };
}

/** The text of a reasoning item's `reasoning_text` parts, as unsigned reasoning; undefined when it has none. */
function openReasoningOf(item: ResponsesReasoningInputItem): ReasoningState | undefined {
  let thinking = '';
  for (const part of item.content ?? []) {
    const { type, text } = (part ?? {}) as { type?: unknown; text?: unknown };
    if (type === 'reasoning_text' && typeof text === 'string') thinking += text;
  }
  return thinking === '' ? undefined : { thinking, signature: '' };
}
