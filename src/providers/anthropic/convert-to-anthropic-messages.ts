import { verbatimPlacementOf, type AnthropicVerbatimTurn } from '../../canonical/anthropic-verbatim-turns.ts';
import type { ChatMessage, ContentPart, ToolCall } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { appendTurn } from '../append-turn.ts';
import { parseToolCallArguments } from '../parse-tool-call-arguments.ts';
import { redactedThinkingOf, signedThinkingOf } from '../reasoning-signature.ts';
import { textOnlyMessage } from '../text-only-message.ts';
import { safeToolUseId } from '../tool-use-id.ts';
import type {
  AnthropicCacheControl,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicRequestBlock,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './anthropic-api.ts';
import { documentBlock } from './convert-to-anthropic-document.ts';
import { dataUrlBase64, parseDataUrl, standardMediaType } from '../../canonical/data-url.ts';

export interface AnthropicConversation {
  /** System and developer messages, in order: Anthropic takes them apart from the turns. */
  system: AnthropicTextBlock[];
  /** Alternating user/assistant turns. */
  messages: AnthropicMessage[];
}

/**
 * A data URL's media type (an alias such as image/jpg under the name Anthropic takes:
 * standardMediaType) and payload as base64, the only inline source Anthropic takes (a
 * percent-encoded payload's bytes encoded: dataUrlBase64).
 */
function base64Source(url: string, param: string): { mediaType: string; data: string } {
  const data = parseDataUrl(url);
  if (!data) throw errors.invalidRequest(`Expected a data URL or an http(s) URL in '${param}'.`, param);
  return { mediaType: standardMediaType(data.mediaType), data: dataUrlBase64(data, param) };
}

/** Clients that know Anthropic put cache hints on parts (`cache_control`); they pass through. */
function cacheControlOf(part: unknown): AnthropicCacheControl | undefined {
  const hint = (part as { cache_control?: unknown }).cache_control;
  return hint !== null && typeof hint === 'object' && (hint as { type?: unknown }).type === 'ephemeral' ? (hint as AnthropicCacheControl) : undefined;
}

function textBlock(text: string, part?: unknown): AnthropicTextBlock {
  const block: AnthropicTextBlock = { type: 'text', text };
  const cacheControl = part === undefined ? undefined : cacheControlOf(part);
  if (cacheControl) block.cache_control = cacheControl;
  return block;
}

function imageBlock(url: string, param: string, part: unknown): AnthropicImageBlock {
  let block: AnthropicImageBlock;
  if (/^https?:\/\//i.test(url)) block = { type: 'image', source: { type: 'url', url } };
  else {
    const { mediaType, data } = base64Source(url, param);
    block = { type: 'image', source: { type: 'base64', media_type: mediaType, data } };
  }
  const cacheControl = cacheControlOf(part);
  if (cacheControl) block.cache_control = cacheControl;
  return block;
}

/** Anthropic rejects text blocks that are empty or whitespace only (OpenAI takes them: `"\n\n"` beside tool calls is common). */
function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** User-side content as blocks; blank text is left out (Anthropic rejects it). */
function userBlocks(content: ChatMessage['content'], param: string): Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock> {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return isBlank(content) ? [] : [textBlock(content)];
  const blocks: Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock> = [];
  content.forEach((part, index) => {
    const partParam = `${param}[${index}]`;
    switch (part.type) {
      case 'text':
        if (typeof part.text === 'string' && !isBlank(part.text)) blocks.push(textBlock(part.text, part));
        break;
      case 'image_url':
        blocks.push(imageBlock(typeof part.image_url === 'string' ? part.image_url : part.image_url?.url ?? '', `${partParam}.image_url.url`, part));
        break;
      case 'file':
        blocks.push(documentBlock(part, partParam));
        break;
      default:
        throw errors.invalidRequest(`Content parts of type '${(part as { type: string }).type}' are not supported by provider 'anthropic'.`, partParam);
    }
  });
  return blocks;
}

/** The text blocks of a system, developer or assistant message (`role`): Claude takes images and documents in user turns only. */
function textOnly(content: ChatMessage['content'], param: string, role: string): AnthropicTextBlock[] {
  const blocks = userBlocks(content, param);
  for (const block of blocks) if (block.type !== 'text') throw textOnlyMessage('anthropic', role, param);
  return blocks as AnthropicTextBlock[];
}

function toolUseBlock(call: ToolCall, param: string): AnthropicToolUseBlock {
  const input = parseToolCallArguments(call, param);
  return { type: 'tool_use', id: safeToolUseId(String(call.id ?? '')), name: call.function.name, input };
}

function assistantBlocks(message: ChatMessage, param: string): AnthropicRequestBlock[] {
  const blocks: AnthropicRequestBlock[] = [];
  // A thinking block can only go back with its signature, over the text it was given with; Anthropic needs it first in the turn.
  const thinking = signedThinkingOf(message);
  if (thinking !== undefined) blocks.push({ type: 'thinking', thinking: thinking.text, signature: thinking.signature });
  // Redacted thinking (`reasoning_redacted`) goes back as it came, after the signed thinking: a tool turn may start with it alone.
  for (const data of redactedThinkingOf(message)) blocks.push({ type: 'redacted_thinking', data });
  blocks.push(...textOnly(message.content, `${param}.content`, 'assistant'));
  message.tool_calls?.forEach((call, index) => blocks.push(toolUseBlock(call, `${param}.tool_calls[${index}]`)));
  return blocks;
}

function toolResultBlock(message: ChatMessage, param: string): AnthropicToolResultBlock {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') throw errors.missingField(`${param}.tool_call_id`);
  const toolUseId = safeToolUseId(message.tool_call_id);
  const content = message.content;
  if (content === undefined || content === null || typeof content === 'string') return { type: 'tool_result', tool_use_id: toolUseId, content: content ?? '' };
  const blocks = userBlocks(content, `${param}.content`).filter((block) => block.type !== 'document') as Array<AnthropicTextBlock | AnthropicImageBlock>;
  return { type: 'tool_result', tool_use_id: toolUseId, content: blocks };
}

/**
 * A conversation that ends with the assistant is a prefill: Claude continues that text instead of
 * writing a new message. Anthropic refuses a prefill that ends in whitespace (400 "final assistant
 * content cannot end with trailing whitespace"), which OpenAI takes, so the end of its last text
 * block is trimmed. Looks at the last turn only: nothing for a conversation that ends with the user.
 */
function trimFinalPrefill(turns: AnthropicMessage[]): void {
  const last = turns.at(-1);
  if (last?.role !== 'assistant') return;
  const block = last.content.at(-1);
  if (block?.type === 'text') block.text = block.text.trimEnd();
}

/**
 * OpenAI chat messages as Anthropic turns: system/developer text moves to `system`; tool
 * results become user turns of tool_result blocks; consecutive messages of one role merge
 * into one turn (Anthropic needs user and assistant to alternate); messages left with no
 * content are dropped (Anthropic rejects empty turns). A conversation of system text alone
 * (which OpenAI answers) sends that text as the one user turn: Anthropic needs at least one
 * message, and an instruction with nothing to apply it to reads the same as a request. A last
 * assistant message is a prefill, its trailing whitespace trimmed (trimFinalPrefill). An
 * Anthropic client's turns the canonical model cannot carry whole (server tool blocks, citations…:
 * ../../canonical/anthropic-verbatim-turns.ts) go as the client sent them, in place of the
 * messages made of them.
 */
export function convertToAnthropicMessages(messages: ChatMessage[]): AnthropicConversation {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  const append = (role: 'user' | 'assistant', blocks: AnthropicRequestBlock[]) => appendTurn(turns, role, blocks);
  const appendMessage = (message: ChatMessage, param: string) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textOnly(message.content, `${param}.content`, message.role));
        break;
      case 'user':
        append('user', userBlocks(message.content, `${param}.content`));
        break;
      case 'assistant':
        append('assistant', assistantBlocks(message, param));
        break;
      case 'tool':
        append('user', [toolResultBlock(message, param)]);
        break;
      default:
        throw errors.invalidRequest(`Messages with role '${String(message.role)}' are not supported by provider 'anthropic'; use 'tool'.`, `${param}.role`);
    }
  };
  const sent = new Set<AnthropicVerbatimTurn>();
  const appendVerbatim = (turn: AnthropicVerbatimTurn) => {
    // Copies: merging turns and trimming a prefill change what they are given.
    if (!sent.has(turn)) append(turn.role, turn.content.map((block) => ({ ...block }) as unknown as AnthropicRequestBlock));
    sent.add(turn);
  };
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    // An Anthropic client's turn with blocks the canonical model lacks goes as it sent it, in place of its messages.
    const verbatim = verbatimPlacementOf(message);
    verbatim?.before?.forEach(appendVerbatim);
    if (verbatim?.turn !== undefined) appendVerbatim(verbatim.turn);
    else appendMessage(message, param);
    verbatim?.after?.forEach(appendVerbatim);
  });
  if (turns.length > 0) {
    trimFinalPrefill(turns);
    return { system, messages: turns };
  }
  if (system.length === 0) throw errors.invalidRequest("'messages' must hold at least one message with text that is not only whitespace.", 'messages');
  return { system: [], messages: [{ role: 'user', content: system }] };
}
