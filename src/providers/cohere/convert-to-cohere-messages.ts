import type { ChatMessage, ContentPart } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { CohereImageContent, CohereMessage, CohereTextContent, CohereToolCall } from './cohere-api.ts';
import { toolCallIdWithin } from '../tool-use-id.ts';

/** Only text and images have a Cohere content type; audio and files would be silently lost. */
function unsupportedPart(part: ContentPart, where: string): never {
  throw errors.invalidRequest(`Content part type '${(part as { type?: unknown }).type}' is not supported by provider 'cohere' (text and image_url only).`, where);
}

/**
 * The text of a message's content, for roles whose content Cohere takes as text. A system or tool
 * message's parts are separate blocks (two system blocks, a tool result's items) and are joined by
 * a line break (`separator`) so they do not run together.
 */
function textOf(content: ChatMessage['content'], param: string, separator = ''): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part, index) => {
      if (part.type === 'text') return part.text;
      return unsupportedPart(part, `${param}[${index}]`);
    })
    .join(separator);
}

/** A user's content: a string stays a string; parts keep their order, images as Cohere's image_url parts. */
function userContentOf(content: ChatMessage['content'], param: string): string | Array<CohereTextContent | CohereImageContent> {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part, index): CohereTextContent | CohereImageContent => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'image_url') {
      const image: CohereImageContent = { type: 'image_url', image_url: { url: part.image_url.url } };
      if (part.image_url.detail) image.image_url.detail = part.image_url.detail;
      return image;
    }
    return unsupportedPart(part, `${param}[${index}]`);
  });
}

/**
 * Cohere documents no limit on tool-call ids, but a Gemini 3 id's thought signature is Gemini's
 * alone: such an id goes as its call id and a digest (toolCallIdWithin), the same in call and result.
 */
function cohereToolCallId(id: string): string {
  return toolCallIdWithin(id, { maxLength: Number.POSITIVE_INFINITY });
}

/** Tool calls as Cohere wants them: the same shape as OpenAI's, arguments always a JSON string. */
function toolCallsOf(message: ChatMessage): CohereToolCall[] {
  return (message.tool_calls ?? []).map((call) => ({
    id: cohereToolCallId(call.id),
    type: 'function',
    function: { name: call.function.name, arguments: call.function.arguments === '' || call.function.arguments === undefined ? '{}' : call.function.arguments },
  }));
}

/**
 * OpenAI messages as Cohere v2 messages, in order. `developer` is `system`. An assistant turn
 * with tool calls sends its `reasoning_content` (then any text) back as `tool_plan`: the adapter
 * reports Cohere's tool plan as reasoning_content, so a client that returns the message
 * unchanged returns the plan. Reasoning of a turn without tool calls has no place in Cohere's
 * request and is left out, as is the `name` of a message.
 */
export function convertToCohereMessages(messages: ChatMessage[]): CohereMessage[] {
  return messages.map((message, index): CohereMessage => {
    const param = `messages[${index}].content`;
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOf(message.content, param, '\n') };
      case 'user':
        return { role: 'user', content: userContentOf(message.content, param) };
      case 'assistant': {
        const text = textOf(message.content, param);
        const toolCalls = toolCallsOf(message);
        // An empty turn stays an empty text turn: Cohere, not the gateway, decides whether it is valid.
        if (toolCalls.length === 0) return { role: 'assistant', content: text };
        // Cohere's tool-calling turn is a plan and the calls, with no content; text written before
        // the calls (what Anthropic-format clients send back) is that plan.
        const reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : '';
        const plan = [reasoning, text].filter((part) => part !== '').join('\n\n');
        return plan === '' ? { role: 'assistant', tool_calls: toolCalls } : { role: 'assistant', tool_calls: toolCalls, tool_plan: plan };
      }
      case 'tool':
        if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') throw errors.missingField(`messages[${index}].tool_call_id`);
        return { role: 'tool', tool_call_id: cohereToolCallId(message.tool_call_id), content: textOf(message.content, param, '\n') };
      default:
        throw errors.invalidRequest(`messages[${index}].role '${String(message.role)}' is not supported by provider 'cohere'.`, `messages[${index}].role`);
    }
  });
}
