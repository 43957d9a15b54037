import type { ChatMessage, ChatRequest, ContentPart, FunctionTool, TextPart, ToolCall, ToolChoice } from '../../canonical/chat.ts';
import { setAnthropicOnlyFields, type AnthropicOnlyFields } from '../../canonical/anthropic-only-fields.ts';
import { markTextBlocks } from '../../canonical/anthropic-text-blocks.ts';
import { scanOnlyTexts, type ScanOnlyText } from '../../canonical/text-file.ts';
import type { AnthropicToolChoice } from '../../providers/anthropic/anthropic-api.ts';
import type { AnthropicClientBlock, AnthropicClientMessage, AnthropicClientRequest, AnthropicClientTool } from './anthropic-client-request.ts';
import { VerbatimTurns } from './keep-verbatim-turns.ts';

import { responseFormatOf } from './map-from-anthropic-output-format.ts';
import { reasoningEffortOf } from './map-from-anthropic-thinking.ts';

export { reasoningEffortFor } from './map-from-anthropic-thinking.ts';

type Block = Record<string, unknown> & { type: string };

/** OpenAI takes at most this many stop sequences (Anthropic takes more). */
const openAIStopLimit = 4;

/** Told the names of parameters the conversion had to cut, for the gateway's usual warning. */
export type DroppedParameters = (names: string[]) => void;

/** Anthropic clients put cache hints on blocks and tools; the canonical model keeps them (the anthropic adapter reads them). */
function withCacheControl<T extends object>(target: T, source: Block | AnthropicClientTool): T {
  if (source.cache_control !== undefined && source.cache_control !== null) (target as Record<string, unknown>).cache_control = source.cache_control;
  return target;
}

function dataUrl(mediaType: unknown, data: unknown): string {
  return `data:${String(mediaType)};base64,${String(data)}`;
}

/** A user-side block as a canonical part; null for blocks with no canonical counterpart. */
function partOf(block: Block): ContentPart | null {
  const source = (block.source ?? {}) as Record<string, unknown>;
  switch (block.type) {
    case 'text':
      return withCacheControl<TextPart>({ type: 'text', text: String(block.text) }, block);
    case 'image': {
      const url = source.type === 'url' ? String(source.url) : source.type === 'base64' ? dataUrl(source.media_type, source.data) : null;
      return url === null ? null : withCacheControl<ContentPart>({ type: 'image_url', image_url: { url } }, block);
    }
    case 'document': {
      // A text document (its data, or its content blocks) as text, after its title and context, which say what it is.
      if (source.type === 'text') return withCacheControl<TextPart>({ type: 'text', text: labelled([block.title, block.context], String(source.data)) }, block);
      if (source.type === 'content') return withCacheControl<TextPart>({ type: 'text', text: labelled([block.title, block.context], textsOf(source.content)) }, block);
      const fileData = source.type === 'base64' ? dataUrl(source.media_type, source.data) : source.type === 'url' ? String(source.url) : null;
      if (fileData === null) return null;
      const file: { file_data: string; filename?: string } = { file_data: fileData };
      if (typeof block.title === 'string') file.filename = block.title;
      return withCacheControl<ContentPart>({ type: 'file', file }, block);
    }
    case 'search_result':
      // A search result (a RAG source the client fetched) as text, its title and source first: the
      // model reads what it says; the citations Claude would make of it have no OpenAI form.
      return withCacheControl<TextPart>({ type: 'text', text: labelled([block.title, block.source], textsOf(block.content)) }, block);
    default:
      // server tool results, container uploads…: Anthropic-only.
      return null;
  }
}

/** Keys of server blocks that hold no text the model reads (ids, opaque data the provider decrypts). */
const opaqueKeys = new Set(['type', 'id', 'tool_use_id', 'cache_control', 'signature', 'encrypted_content', 'encrypted_index', 'file_id']);

/** Every string a block the canonical model drops carries (nested, keys left out), joined by line breaks. */
function droppedBlockText(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value !== '') out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) droppedBlockText(item, out);
  } else if (value !== null && typeof value === 'object') {
    // Base64 payloads (images, PDFs) are bytes, not text; a text source's `data` is read.
    if ((value as Record<string, unknown>).type === 'base64') return out;
    for (const [key, item] of Object.entries(value)) if (!opaqueKeys.has(key)) droppedBlockText(item, out);
  }
  return out;
}

/**
 * Collects the text of a block the conversion drops (server tool calls and results, MCP blocks…)
 * for the guardrails (ScanOnlyText): the byte passthrough forwards it as sent. A `*_use` block is
 * the model's call (assistant), any other a result (tool, read like a tool result).
 */
function keepDropped(block: Block, position: number, dropped: ScanOnlyText[] | undefined): void {
  if (dropped === undefined) return;
  const texts = droppedBlockText(block);
  if (texts.length === 0) return;
  dropped.push({ role: block.type.endsWith('_use') ? 'assistant' : 'tool', text: texts.join('\n'), after: position });
}

/** The text blocks of a block list (a search result's or a content document's), joined by line breaks. */
function textsOf(blocks: unknown): string {
  if (!Array.isArray(blocks)) return '';
  return (blocks as Block[])
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('\n');
}

/** Text after the labels that are strings (a title, a context, a source), each on a line of its own, a blank line before the text. */
function labelled(labels: unknown[], text: string): string {
  const head = labels.filter((label): label is string => typeof label === 'string' && label !== '');
  return head.length === 0 ? text : `${head.join('\n')}\n\n${text}`;
}

/**
 * Parts as OpenAI content: one uncached text block is a plain string (what every OpenAI-compatible
 * server takes). Several text blocks stay separate text parts, as chat parts and as Claude reads
 * them: the guardrails read a turn's parts back to back, joined with nothing, so a value or a term
 * split across blocks (`"ssn 523-45-"`, `"6789"`) is one to them as to the model, and an Anthropic
 * provider gets them back as separate blocks when a plugin's change re-encodes the request.
 */
function contentOf(parts: ContentPart[]): string | ContentPart[] {
  if (parts.length === 0) return '';
  const [first] = parts;
  const plain = parts.length === 1 && first.type === 'text' && (first as { cache_control?: unknown }).cache_control === undefined;
  return plain ? (first as TextPart).text : parts;
}

/**
 * A tool_result as an OpenAI `tool` message, whose content can only be text: its text stays
 * there; images and documents are returned apart, for a user message after the tool messages
 * (OpenAI wants every tool message right after the assistant's calls). Several text blocks (what
 * MCP tools return, one per item) stay separate text parts, for providers that take a list
 * (Bedrock's toolResult content); the others join them with a line break, never glued.
 */
function toolResultMessage(block: Block): { message: ChatMessage; attachments: ContentPart[] } {
  const content = block.content;
  let parts: ContentPart[] = [];
  if (typeof content === 'string') parts = [{ type: 'text', text: content }];
  else if (Array.isArray(content)) parts = (content as Block[]).map(partOf).filter((part): part is ContentPart => part !== null);
  const texts = parts.filter((part): part is TextPart => part.type === 'text');
  const attachments = parts.filter((part) => part.type !== 'text');
  const toolCallId = String(block.tool_use_id);
  if (attachments.length === 0 && block.is_error !== true) return { message: { role: 'tool', tool_call_id: toolCallId, content: texts.length > 1 ? texts : contentOf(texts) }, attachments };
  let text = texts.map((part) => part.text).join('\n');
  // The tool message must say something: it points at what follows.
  if (text === '' && attachments.length > 0) text = `[${attachments.length} attachment(s) of this result in the next message]`;
  // is_error has no OpenAI counterpart; the text says it, so the model still reads it.
  if (block.is_error === true) text = `Error: ${text}`;
  const message: ChatMessage = { role: 'tool', tool_call_id: toolCallId, content: text };
  // The canonical extension `is_error` keeps it for providers that have a field for it (Bedrock's toolResult status).
  if (block.is_error === true) message.is_error = true;
  return { message, attachments };
}

/** A user turn: tool results first (OpenAI wants them right after the assistant's calls), then their images and the rest of the turn. */
function userMessages(content: AnthropicClientBlock[], position: number, dropped?: ScanOnlyText[]): ChatMessage[] {
  const results: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of content as Block[]) {
    if (block.type === 'tool_result') {
      const { message, attachments } = toolResultMessage(block);
      results.push(message);
      parts.push(...attachments);
      // Blocks inside the result that have no canonical part (a nested server result…).
      if (Array.isArray(block.content)) for (const inner of block.content as Block[]) if (partOf(inner) === null && inner.type !== 'image') keepDropped(inner, position, dropped);
    } else {
      const part = partOf(block);
      if (part !== null) parts.push(part);
      else if (block.type !== 'image' && block.type !== 'document') keepDropped(block, position, dropped);
    }
  }
  if (parts.length > 0) {
    const content = contentOf(parts);
    // Several text blocks go to a provider of another format as one text, a line break between (anthropic-text-blocks.ts).
    results.push(typeof content !== 'string' && parts.every((part) => part.type === 'text') ? markTextBlocks({ role: 'user', content }) : { role: 'user', content });
  }
  return results;
}

function assistantMessage(content: AnthropicClientBlock[], position: number, dropped?: ScanOnlyText[]): ChatMessage {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const redacted: string[] = [];
  const message: ChatMessage = { role: 'assistant', content: null };
  for (const block of content as Block[]) {
    switch (block.type) {
      case 'text':
        texts.push(String(block.text));
        break;
      case 'tool_use':
        toolCalls.push({ id: String(block.id), type: 'function', function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) } });
        break;
      case 'thinking':
        message.reasoning_content = String(block.thinking);
        if (typeof block.signature === 'string') message.reasoning_signature = block.signature;
        break;
      case 'redacted_thinking':
        // The canonical extension Bedrock's Claude sends back (reasoningContent.redactedContent).
        redacted.push(String(block.data));
        break;
      default:
        // Server tool blocks have no canonical counterpart: their text is kept for the guardrails only.
        keepDropped(block, position, dropped);
    }
  }
  if (redacted.length > 0) message.reasoning_redacted = redacted;
  if (texts.length > 0) message.content = texts.join('');
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function messagesOf(message: AnthropicClientMessage, position: number, dropped?: ScanOnlyText[]): ChatMessage[] {
  // A system entry mid-conversation stays where it is: the canonical model has system messages anywhere.
  if (message.role === 'system') {
    const system = systemMessage(message.content as AnthropicClientRequest['system']);
    return system === null ? [] : [system];
  }
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }];
  return message.role === 'user' ? userMessages(message.content, position, dropped) : [assistantMessage(message.content, position, dropped)];
}

/** System text (the `system` field or a `system` message) as a system message; null when there is none. */
function systemMessage(system: AnthropicClientRequest['system']): ChatMessage | null {
  if (system === undefined || system === null) return null;
  if (typeof system === 'string') return system === '' ? null : { role: 'system', content: system };
  if (system.length === 0) return null;
  const parts = system.map((block) => withCacheControl<TextPart>({ type: 'text', text: block.text }, block as unknown as Block));
  return { role: 'system', content: parts.length === 1 ? contentOf(parts) : parts };
}

function isClientTool(tool: AnthropicClientTool): boolean {
  return tool.type === undefined || tool.type === null || tool.type === 'custom';
}

/** Client tools only: server tools (web search, code execution…) run at Anthropic and have no canonical form. */
function toolsOf(tools: AnthropicClientTool[]): FunctionTool[] {
  return tools
    .filter(isClientTool)
    .map((tool) => {
      const fn: FunctionTool['function'] = { name: tool.name, parameters: tool.input_schema ?? { type: 'object', properties: {} } };
      if (tool.description !== undefined) fn.description = tool.description;
      return withCacheControl<FunctionTool>({ type: 'function', function: fn }, tool);
    });
}

/** The top-level fields the conversion maps (or the anthropic adapter rebuilds from the canonical request). */
const mappedFields = new Set(['model', 'messages', 'max_tokens', 'system', 'tools', 'tool_choice', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'metadata', 'thinking', 'output_config', 'output_format', 'stream']);

/**
 * What the canonical request cannot hold but an Anthropic provider would have got on the byte
 * passthrough (server tools, mcp_servers, container, service_tier, newer fields, the structured
 * output format Claude decodes within itself…), as sent, for the anthropic adapter when a plugin's
 * change sends the request through the canonical model.
 * Undefined when there is none: the usual request carries nothing extra.
 */
function anthropicOnlyOf(request: AnthropicClientRequest, clientTools: number): AnthropicOnlyFields | undefined {
  const serverTools: AnthropicOnlyFields['serverTools'] = [];
  (request.tools ?? []).forEach((tool, index) => {
    if (!isClientTool(tool)) serverTools.push({ index, tool });
  });
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) if (!mappedFields.has(key) && value !== undefined) fields[key] = value;
  const cutStops = request.stop_sequences !== undefined && request.stop_sequences.length > openAIStopLimit;
  const outputConfig = request.output_config?.format ? request.output_config : undefined;
  const outputFormat = request.output_format ?? undefined;
  if (serverTools.length === 0 && Object.keys(fields).length === 0 && !cutStops && !outputConfig && !outputFormat) return undefined;
  const only: AnthropicOnlyFields = { serverTools, fields };
  if (outputConfig) only.outputConfig = outputConfig as Record<string, unknown>;
  else if (outputFormat) only.outputFormat = outputFormat as Record<string, unknown>;
  if (clientTools === 0 && serverTools.length > 0 && request.tool_choice) only.toolChoice = request.tool_choice as unknown as Record<string, unknown>;
  if (cutStops) only.stopSequences = request.stop_sequences;
  return only;
}

function toolChoiceOf(choice: AnthropicToolChoice): ToolChoice {
  switch (choice.type) {
    case 'any':
      return 'required';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
    case 'none':
      return 'none';
    default:
      return 'auto';
  }
}

/**
 * A Messages API request in the canonical model (OpenAI's chat schema plus extensions):
 * `system` becomes the first message, content blocks become parts or tool calls/results,
 * thinking becomes reasoning_effort, `output_config.format` becomes response_format. Streams
 * always ask for usage: the Anthropic encoder reports it in message_delta, as Anthropic does.
 * Stop sequences past OpenAI's four are cut (the canonical request is OpenAI's schema), and
 * `dropped` is told.
 */
export function convertFromAnthropicRequest(request: AnthropicClientRequest, dropped?: DroppedParameters): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = systemMessage(request.system);
  if (system) messages.push(system);
  const serverTexts: ScanOnlyText[] = [];
  // Turns with blocks the canonical model drops or alters, kept as sent for an Anthropic provider.
  const verbatim = new VerbatimTurns();
  for (const message of request.messages) {
    const first = serverTexts.length;
    const made = messagesOf(message, messages.length, serverTexts);
    messages.push(...made);
    verbatim.add(message, made);
    // Placed at the end of their turn: the canonical messages count once the turn is in.
    for (let index = first; index < serverTexts.length; index++) serverTexts[index]!.after = messages.length;
  }
  verbatim.finish();

  const canonical: ChatRequest = { model: request.model, messages };
  // The text of the blocks the conversion drops, for the guardrails only (a symbol key: never serialized).
  if (serverTexts.length > 0) (canonical as ChatRequest & { [scanOnlyTexts]?: ScanOnlyText[] })[scanOnlyTexts] = serverTexts;
  if (typeof request.max_tokens === 'number') canonical.max_tokens = request.max_tokens;
  if (request.stream === true) {
    canonical.stream = true;
    canonical.stream_options = { include_usage: true };
  }
  if (typeof request.temperature === 'number') canonical.temperature = request.temperature;
  if (typeof request.top_p === 'number') canonical.top_p = request.top_p;
  // Not OpenAI's, but the anthropic and gemini adapters and most local servers read it.
  if (typeof request.top_k === 'number') canonical.top_k = request.top_k;
  if (request.stop_sequences && request.stop_sequences.length > 0) {
    canonical.stop = request.stop_sequences.slice(0, openAIStopLimit);
    if (request.stop_sequences.length > openAIStopLimit) dropped?.(['stop_sequences']);
  }
  const tools = request.tools ? toolsOf(request.tools) : [];
  if (request.tools && tools.length < request.tools.length) dropped?.(['tools (server tools)']);
  if (tools.length > 0) {
    canonical.tools = tools;
    if (request.tool_choice) {
      canonical.tool_choice = toolChoiceOf(request.tool_choice);
      if ('disable_parallel_tool_use' in request.tool_choice && request.tool_choice.disable_parallel_tool_use === true) canonical.parallel_tool_calls = false;
    }
  } else if (request.tool_choice?.type === 'tool' || request.tool_choice?.type === 'any') {
    // A call forced to a server tool (web search…) cannot be honoured by a translated provider: the
    // choice goes up without the tool, which the provider refuses (400), rather than a plain answer
    // that looks like the tool ran. The byte passthrough to Anthropic sends the client's own request.
    canonical.tool_choice = toolChoiceOf(request.tool_choice);
  }
  const anthropicOnly = anthropicOnlyOf(request, tools.length);
  if (anthropicOnly !== undefined) setAnthropicOnlyFields(canonical, anthropicOnly);
  const effort = reasoningEffortOf(request);
  if (effort !== undefined) canonical.reasoning_effort = effort;
  // The exact budget too (a canonical extension), for adapters that can send it as given (Bedrock's Claude).
  if (request.thinking?.type === 'enabled' && typeof request.thinking.budget_tokens === 'number') canonical.reasoning_budget_tokens = request.thinking.budget_tokens;
  // Structured output: every translated adapter asks its model for JSON from response_format.
  const responseFormat = responseFormatOf(request);
  if (responseFormat !== undefined) canonical.response_format = responseFormat;
  const userId = request.metadata?.user_id;
  if (typeof userId === 'string' && userId !== '') canonical.user = userId;
  return canonical;
}
