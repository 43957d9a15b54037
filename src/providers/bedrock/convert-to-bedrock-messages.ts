import type { ChatMessage, ToolCall } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { appendTurn } from '../append-turn.ts';
import { parseToolCallArguments } from '../parse-tool-call-arguments.ts';
import { providerSignatureFor, redactedThinkingOf, signedThinkingOf } from '../reasoning-signature.ts';
import { orderedAssistantBlocks, type AssistantBlock } from '../../canonical/assistant-block-order.ts';
import { safeToolUseId } from '../tool-use-id.ts';
import type {
  BedrockCachePointBlock,
  BedrockContentBlock,
  BedrockDocumentBlock,
  BedrockImageBlock,
  BedrockImageFormat,
  BedrockMessage,
  BedrockSystemBlock,
  BedrockTextBlock,
  BedrockToolResultBlock,
  BedrockToolUseBlock,
} from './bedrock-api.ts';
import { documentBlock, DocumentNames } from './convert-to-bedrock-document.ts';
import { dataUrlBase64, parseDataUrl, standardMediaType } from '../../canonical/data-url.ts';
import { textOnlyMessage } from '../text-only-message.ts';

export interface BedrockConversation {
  /** System and developer messages, in order: Converse takes them apart from the turns. */
  system: BedrockSystemBlock[];
  /** Alternating user/assistant turns. */
  messages: BedrockMessage[];
  /** Names of the tools the history calls: Converse rejects tool blocks without a toolConfig naming them. */
  toolNamesInHistory: Set<string>;
}

type UserBlock = BedrockTextBlock | BedrockImageBlock | BedrockDocumentBlock | BedrockCachePointBlock;

/** How the model takes parts of the conversation (bedrock-model-features.ts). */
export interface BedrockMessageOptions {
  /** The model reads a toolResult's `status`: a result the client marked as an error (`is_error`) is sent with status error. */
  toolResultStatus?: boolean;
  /** The model (named in the refusal) takes no image blocks per AWS's table: an image part is refused before any call. */
  refuseImagesFor?: string;
  /** The model (named in the refusal) takes no document blocks ("Document chat: No" in AWS's table): a file part is refused before any call. */
  refuseDocumentsFor?: string;
  /** The model takes cachePoint blocks (bedrock-model-features.ts takesCachePoints); false leaves a part's cache hint out. Default true. */
  cachePoints?: boolean;
}

/** What the conversion carries across messages. */
interface ConversionState {
  /** The request's document names so far: Converse refuses one name twice anywhere in `messages` (documentName). */
  documentNames: DocumentNames;
  /** BedrockMessageOptions.refuseImagesFor. */
  refuseImagesFor: string | undefined;
  /** BedrockMessageOptions.refuseDocumentsFor. */
  refuseDocumentsFor: string | undefined;
  /** BedrockMessageOptions.cachePoints. */
  cachePoints: boolean;
}

/** Converse's longest toolUseId (pattern `[a-zA-Z0-9_-]+`). */
const toolUseIdLength = 64;

const imageFormats: Record<string, BedrockImageFormat> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' };


const cachePoint: BedrockCachePointBlock = { cachePoint: { type: 'default' } };
const hourCachePoint: BedrockCachePointBlock = { cachePoint: { type: 'default', ttl: '1h' } };

/**
 * Clients that know Anthropic mark a prompt prefix to cache with `cache_control` on a part (or
 * tool); Converse marks it with a cachePoint after it: the cachePoint for the part's hint, or
 * undefined when it has none. Anthropic's `ttl: "1h"` is the cachePoint's `ttl: "1h"` (1-hour
 * writes, the same on both APIs); `5m` or none is Converse's default, sent without a ttl as before.
 */
export function cachePointFor(part: unknown): BedrockCachePointBlock | undefined {
  const hint = (part as { cache_control?: unknown } | null)?.cache_control;
  if (hint === null || typeof hint !== 'object' || (hint as { type?: unknown }).type !== 'ephemeral') return undefined;
  return (hint as { ttl?: unknown }).ttl === '1h' ? hourCachePoint : cachePoint;
}

/**
 * An image part as a Converse image block. Converse takes image bytes only (or an S3 location);
 * the gateway does not download http(s) URLs for the client (it would fetch arbitrary addresses
 * on the client's behalf), so those are refused with a message saying what to send instead.
 */
function imageBlock(url: string, param: string): BedrockImageBlock {
  if (/^https?:\/\//i.test(url)) {
    throw errors.invalidRequest(`Provider 'bedrock' takes images as base64 data URLs (data:image/png;base64,...); http(s) image URLs cannot be sent to Bedrock.`, param);
  }
  const data = parseDataUrl(url);
  if (!data) throw errors.invalidRequest(`Expected a data URL in '${param}'.`, param);
  // Aliases (image/jpg, image/pjpeg, image/x-png) under their registered names, as for every provider.
  const format = imageFormats[standardMediaType(data.mediaType)];
  if (!format) throw errors.invalidRequest(`Provider 'bedrock' takes png, jpeg, gif and webp images; '${data.mediaType}' is not one of them.`, param);
  return { image: { format, source: { bytes: dataUrlBase64(data, param) } } };
}

/** Converse rejects text blocks that are empty or whitespace only ("The text field in the ContentBlock object ... is blank"); OpenAI takes them. */
function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** User-side content as blocks; blank text is left out (Converse rejects it). */
function userBlocks(content: ChatMessage['content'], param: string, state: ConversionState): UserBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return isBlank(content) ? [] : [{ text: content }];
  if (!Array.isArray(content)) throw errors.invalidField(param, 'a string or an array of content parts');
  const blocks: UserBlock[] = [];
  content.forEach((part, index) => {
    const partParam = `${param}[${index}]`;
    switch (part?.type) {
      case 'text':
        if (typeof part.text === 'string' && !isBlank(part.text)) blocks.push({ text: part.text });
        break;
      case 'image_url':
        if (state.refuseImagesFor !== undefined) throw errors.unsupportedValue(partParam, `Model '${state.refuseImagesFor}' on provider 'bedrock' takes no images (vision: No in AWS's Converse model features table); send text, or use a model that reads images.`);
        blocks.push(imageBlock(typeof part.image_url === 'string' ? part.image_url : part.image_url?.url ?? '', `${partParam}.image_url.url`));
        break;
      case 'file':
        if (state.refuseDocumentsFor !== undefined) throw errors.unsupportedValue(partParam, `Model '${state.refuseDocumentsFor}' on provider 'bedrock' takes no documents (document chat: No in AWS's Converse model features table); send the text, or use a model that reads documents.`);
        blocks.push(documentBlock(part, partParam, state.documentNames));
        break;
      default:
        throw errors.invalidRequest(`Content parts of type '${String(part?.type)}' are not supported by provider 'bedrock'.`, partParam);
    }
    // A model without prompt caching refuses any cachePoint: the hint is left out there.
    const point = state.cachePoints ? cachePointFor(part) : undefined;
    if (point !== undefined && blocks.length > 0) blocks.push(point);
  });
  return blocks;
}

/** The text (and cache points) of a system, developer or assistant message (`role`): Converse takes images and documents in user turns only. */
function textOnly(content: ChatMessage['content'], param: string, state: ConversionState, role: string): Array<BedrockTextBlock | BedrockCachePointBlock> {
  const blocks = userBlocks(content, param, state);
  for (const block of blocks) if (!('text' in block) && !('cachePoint' in block)) throw textOnlyMessage('bedrock', role, param);
  return blocks as Array<BedrockTextBlock | BedrockCachePointBlock>;
}

function toolUseBlock(call: ToolCall, param: string): BedrockToolUseBlock {
  const input = parseToolCallArguments(call, param);
  if (typeof call.id !== 'string' || call.id === '') throw errors.missingField(`${param}.id`);
  // Ids other providers made (`functions.get_weather:0`) are mapped to what Converse takes, the same way for the call and its result.
  return { toolUse: { toolUseId: safeToolUseId(call.id, toolUseIdLength), name: call.function.name, input } };
}

function assistantBlocks(message: ChatMessage, param: string, state: ConversionState): BedrockContentBlock[] {
  // An Anthropic client's turn of several thinking blocks (interleaved thinking) goes back as its blocks, in their places.
  const text = plainTextOf(message.content);
  const ordered = text === undefined ? undefined : orderedAssistantBlocks(message, text);
  if (ordered !== undefined) return orderedBlocks(message, ordered, param);
  const blocks: BedrockContentBlock[] = [];
  // Reasoning goes back only with its signature, over the text it was given with (Claude verifies it), and first in the turn.
  const thinking = signedThinkingOf(message);
  if (thinking !== undefined) blocks.push({ reasoningContent: { reasoningText: { text: thinking.text, signature: thinking.signature } } });
  // Redacted reasoning (`reasoning_redacted`, an Anthropic client's redacted_thinking) goes back as it came: Claude needs a tool-use turn's thinking unmodified.
  for (const data of redactedThinkingOf(message)) blocks.push({ reasoningContent: { redactedContent: data } });
  blocks.push(...textOnly(message.content, `${param}.content`, state, 'assistant'));
  message.tool_calls?.forEach((call, index) => blocks.push(toolUseBlock(call, `${param}.tool_calls[${index}]`)));
  return blocks;
}

/** The text of an assistant message's content; undefined when it holds other parts (refused by textOnly). */
function plainTextOf(content: ChatMessage['content']): string | undefined {
  if (typeof content === 'string') return content;
  if (content === undefined || content === null) return '';
  if (!Array.isArray(content) || !content.every((part) => part?.type === 'text')) return undefined;
  return content.map((part) => (part as { text?: unknown }).text).join('');
}

/**
 * An assistant turn from its blocks in order (../../canonical/assistant-block-order.ts): each
 * thinking block with its own signature where Claude wrote it, redacted ones likewise, text and
 * tool calls between them. Claude takes a turn's thinking whole or not at all: when one thinking
 * block has no signature it can go back with (../reasoning-signature.ts), none goes.
 */
function orderedBlocks(message: ChatMessage, ordered: AssistantBlock[], param: string): BedrockContentBlock[] {
  const signatures = ordered.map((block) => (block.type === 'thinking' ? providerSignatureFor(block.signature, block.thinking) : undefined));
  const thinkingGoes = ordered.every((block, index) => block.type !== 'thinking' || (signatures[index] ?? '') !== '');
  const blocks: BedrockContentBlock[] = [];
  ordered.forEach((block, index) => {
    switch (block.type) {
      case 'thinking':
        if (thinkingGoes) blocks.push({ reasoningContent: { reasoningText: { text: block.thinking, signature: signatures[index]! } } });
        break;
      case 'redacted_thinking':
        if (thinkingGoes) blocks.push({ reasoningContent: { redactedContent: block.data } });
        break;
      case 'text':
        if (!isBlank(block.text)) blocks.push({ text: block.text });
        break;
      case 'tool_use':
        blocks.push(toolUseBlock(block.call, `${param}.tool_calls[${message.tool_calls?.indexOf(block.call) ?? 0}]`));
        break;
    }
  });
  return blocks;
}

/**
 * A tool message as a toolResult block; a cache hint inside it becomes a cachePoint after it
 * (Converse takes none inside). `is_error: true` (a canonical extension: an Anthropic client's
 * `tool_result.is_error`) becomes `status: error` on models that read it.
 */
function toolResultBlocks(message: ChatMessage, param: string, state: ConversionState, options: BedrockMessageOptions): BedrockContentBlock[] {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') throw errors.missingField(`${param}.tool_call_id`);
  const blocks = userBlocks(message.content, `${param}.content`, state);
  const content = blocks.filter((block): block is Exclude<UserBlock, BedrockCachePointBlock> => !('cachePoint' in block));
  // The hint closest to the result's end (Converse takes none inside it), its ttl kept.
  const point = blocks.findLast((block): block is BedrockCachePointBlock => 'cachePoint' in block);
  // Converse needs at least one content block in a tool result, even for an empty answer.
  const result: BedrockToolResultBlock = { toolResult: { toolUseId: safeToolUseId(message.tool_call_id, toolUseIdLength), content: content.length > 0 ? content : [{ text: '' }] } };
  if (options.toolResultStatus && message.is_error === true) result.toolResult.status = 'error';
  return point !== undefined ? [result, point] : [result];
}

/**
 * OpenAI chat messages as Converse turns: system/developer text moves to `system`; tool results
 * become user turns of toolResult blocks; consecutive messages of one role merge into one turn
 * (Converse needs user and assistant to alternate, so several tool results become one user turn);
 * messages left with no content (or only whitespace) are dropped (Converse rejects empty turns).
 * fitConverseConversation then applies the rules on the conversation as a whole.
 */
export function convertToBedrockMessages(messages: ChatMessage[], options: BedrockMessageOptions = {}): BedrockConversation {
  if (!Array.isArray(messages)) throw errors.invalidField('messages', 'an array');
  const state: ConversionState = { documentNames: new DocumentNames(), refuseImagesFor: options.refuseImagesFor, refuseDocumentsFor: options.refuseDocumentsFor, cachePoints: options.cachePoints ?? true };
  const system: BedrockSystemBlock[] = [];
  const turns: BedrockMessage[] = [];
  const toolNamesInHistory = new Set<string>();
  const append = (role: 'user' | 'assistant', blocks: BedrockContentBlock[]) => appendTurn(turns, role, blocks);
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    switch (message?.role) {
      case 'system':
      case 'developer':
        system.push(...textOnly(message.content, `${param}.content`, state, message.role));
        break;
      case 'user':
        append('user', userBlocks(message.content, `${param}.content`, state));
        break;
      case 'assistant':
        for (const call of message.tool_calls ?? []) toolNamesInHistory.add(call.function?.name);
        append('assistant', assistantBlocks(message, param, state));
        break;
      case 'tool':
        append('user', toolResultBlocks(message, param, state, options));
        break;
      default:
        throw errors.invalidRequest(`Messages with role '${String(message?.role)}' are not supported by provider 'bedrock'.`, `${param}.role`);
    }
  });
  return { system, messages: turns, toolNamesInHistory };
}
