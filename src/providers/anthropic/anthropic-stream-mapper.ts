import { anthropicBlockEnds, openingUsage, type ChatChunk, type ChatDelta, type FinishReason, type Usage } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { mapUpstreamError } from '../../upstream/upstream-client.ts';
import { readFirstItem } from '../../upstream/read-first-item.ts';
import { translateEvents } from '../../upstream/translate-pieces.ts';
import { deltaChunk, usageChunk, type ChunkHead } from '../chat-chunks.ts';
import type { AnthropicStopReason, AnthropicStreamEvent, AnthropicUsage } from './anthropic-api.ts';
import { mapAnthropicStreamError } from './anthropic-error.ts';
import { anthropicStopFields, mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.ts';
import { chatCompletionId } from './chat-completion-id.ts';
import type { PieceInput } from '../../upstream/each-piece.ts';
import { StreamedSignatures } from '../reasoning-signature.ts';

export interface StreamMapperOptions {
  provider: string;
  /** The JSON-mode tool of the request: its argument deltas are streamed as content. */
  jsonToolName: string | null;
  /** Scrubbed from error messages, should the provider echo it. */
  apiKey?: string;
  /** Unix seconds for `created` (tests fix it). */
  created?: number;
  /** The client speaks Anthropic's format: an `error` event becomes Anthropic's own error (529 for overloaded_error), with these response headers (request-id). */
  forAnthropicClient?: { headers: Record<string, string | string[] | undefined> };
  /** Told the usage so far each time the stream reports some (message_start, message_delta): what a stream cut before its end is recorded from. */
  onUsage?: (usage: Usage) => void;
  /** The client speaks OpenAI chat: thinking signatures carry a digest of the text they sign (../reasoning-signature.ts). */
  wrapSignatures?: boolean;
  /**
   * The client speaks Anthropic's format: what it would get from Anthropic and the chunks have no
   * field for rides on them (symbol keys, ../../canonical/chat.ts): each block's end with the
   * blocks the canonical delta cannot hold (anthropicBlockEnds) and message_start's usage on the
   * first chunk (openingUsage). No other client gets a chunk more.
   */
  keepBlocks?: boolean;
}

/** Takes each chunk an event makes, in order. */
type EmitChunk = (chunk: ChatChunk) => void;

/** What an Anthropic content block (by its index) turns into. */
type BlockState =
  | { kind: 'thinking' | 'ignored' }
  /** `text` and `citations` are kept for an Anthropic-format client only (keepBlocks). */
  | { kind: 'text'; text: string; citations: unknown[] }
  | { kind: 'tool'; toolIndex: number; sentArguments: boolean; header: ChatDelta | null }
  | { kind: 'json'; sentContent: boolean }
  /** A block the canonical delta has no field for (keepBlocks): gathered whole, its input's JSON as it streams. */
  | { kind: 'other'; block: Record<string, unknown> & { type: string }; json: string };

/**
 * Turns Messages API stream events into OpenAI chat chunks, one event at a time: a first chunk
 * with the assistant role, content / reasoning / tool-call deltas (tool calls numbered by
 * tool_use block, not by content block; a run of redacted_thinking blocks as one
 * `reasoning_redacted` delta, in place), a chunk with the finish_reason, then a usage chunk.
 * The role chunk waits for the first chunk of content (or message_stop), not message_start nor an
 * empty block's start: an `error` Anthropic sends before any content (overloaded, after
 * message_start, the first text block's empty start and ping) is then the stream's first item, which openAnthropicEventStream turns into an HTTP error.
 * An `error` event is thrown as a GatewayError; once the stream has started, the gateway
 * reports it in the stream. For an Anthropic-format client (keepBlocks), a chunk after each text
 * block (its text and citations) and each block of another kind (a server tool's call or result…,
 * whole) carries it (anthropicBlockEnds), so the client gets every block in its place; the finish
 * chunk's choice keeps the stop sequence that matched and a stop reason finish_reason cannot say
 * (anthropicStopFields; the stop sequence for every client, as Bedrock's and Cohere's).
 */
export class AnthropicStreamMapper {
  readonly #options: StreamMapperOptions;
  readonly #head: ChunkHead;
  readonly #blocks = new Map<number, BlockState>();
  #started = false;
  #finished = false;
  #toolCount = 0;
  #answeredInJson = false;
  #usage: AnthropicUsage = {};
  #stopReason: AnthropicStopReason | null = null;
  #stopSequence: string | null = null;
  /** Null unless the client speaks OpenAI chat (wrapSignatures). */
  readonly #signatures: StreamedSignatures | null;
  /**
   * The data of redacted_thinking blocks not yet sent: a run of them goes as one
   * `reasoning_redacted` delta when the next block starts (or the answer ends), so a client that
   * keeps only a field's last delta (the openai SDK's stream helper) still has them all.
   */
  #redacted: string[] = [];

  constructor(options: StreamMapperOptions) {
    this.#options = options;
    this.#signatures = options.wrapSignatures ? new StreamedSignatures() : null;
    this.#head = { id: '', created: options.created ?? Math.floor(Date.now() / 1000), model: '' };
  }

  /** True once message_stop has been mapped. */
  get finished(): boolean {
    return this.#finished;
  }

  #chunk(delta: ChatDelta, finishReason: FinishReason | null = null): ChatChunk {
    return deltaChunk(this.#head, delta, finishReason);
  }

  /** The role chunk, before the first chunk of content (or the finish); for an Anthropic-format client with message_start's usage. */
  #start(emit: EmitChunk): void {
    if (this.#started) return;
    this.#started = true;
    const chunk = this.#chunk({ role: 'assistant', content: '' });
    if (this.#options.keepBlocks) chunk[openingUsage] = mapAnthropicUsage(this.#usage);
    emit(chunk);
  }

  /** A chunk of content: the role chunk goes first. */
  #content(emit: EmitChunk, delta: ChatDelta): void {
    this.#start(emit);
    emit(this.#chunk(delta));
  }

  /** The chunks one event makes, as a list. */
  map(event: AnthropicStreamEvent): ChatChunk[] {
    const list: ChatChunk[] = [];
    this.mapInto(event, (chunk) => list.push(chunk));
    return list;
  }

  /** The chunks one event makes, each handed to `emit` (the stream's path: no list per event). */
  mapInto(event: AnthropicStreamEvent, emit: EmitChunk): void {
    switch (event.type) {
      case 'message_start':
        this.#head.id = chatCompletionId(event.message?.id);
        this.#head.model = String(event.message?.model ?? '');
        this.#usage = mergeAnthropicUsage(this.#usage, event.message?.usage);
        this.#options.onUsage?.(mapAnthropicUsage(this.#usage));
        break;
      case 'content_block_start':
        // No role chunk yet for a block that starts empty (Anthropic's first text block always
        // does, before its ping): an overload may still follow it before any content.
        this.#blockStart(event.index, event.content_block as { type: string; [field: string]: unknown }, emit);
        break;
      case 'content_block_delta':
        this.#blockDelta(event.index, event.delta, emit);
        break;
      case 'content_block_stop':
        this.#blockStop(event.index, emit);
        break;
      case 'message_delta':
        if (event.delta?.stop_reason) this.#stopReason = event.delta.stop_reason;
        if (typeof event.delta?.stop_sequence === 'string') this.#stopSequence = event.delta.stop_sequence;
        this.#usage = mergeAnthropicUsage(this.#usage, event.usage);
        this.#options.onUsage?.(mapAnthropicUsage(this.#usage));
        break;
      case 'message_stop':
        this.#finish(emit);
        break;
      case 'error': {
        const forClient = this.#options.forAnthropicClient;
        throw mapAnthropicStreamError(this.#options.provider, event.error, this.#options.apiKey, forClient && { eventData: JSON.stringify(event), headers: forClient.headers });
      }
      default:
        // ping, and event types added after this adapter was written.
        break;
    }
  }

  #blockStart(index: number, block: { type: string; [field: string]: unknown }, emit: EmitChunk): void {
    if (block.type === 'redacted_thinking') {
      this.#blocks.set(index, { kind: 'ignored' });
      if (typeof block.data === 'string' && block.data !== '') this.#redacted.push(block.data);
      return;
    }
    this.#releaseRedacted(emit);
    switch (block.type) {
      case 'text':
        this.#blocks.set(index, { kind: 'text', text: typeof block.text === 'string' ? block.text : '', citations: Array.isArray(block.citations) ? [...(block.citations as unknown[])] : [] });
        if (typeof block.text === 'string' && block.text !== '') this.#content(emit, { content: block.text });
        break;
      case 'thinking':
        this.#blocks.set(index, { kind: 'thinking' });
        this.#signatures?.startBlock();
        if (typeof block.thinking === 'string' && block.thinking !== '') {
          this.#signatures?.addText(block.thinking);
          this.#content(emit, { reasoning_content: block.thinking });
        }
        break;
      case 'tool_use':
        if (this.#options.jsonToolName !== null && block.name === this.#options.jsonToolName) {
          this.#blocks.set(index, { kind: 'json', sentContent: false });
          this.#answeredInJson = true;
          break;
        }
        // The call's id and name go with its first arguments (or its stop): a tool_use block may be
        // Claude's first, and an overload can still follow its start before any content.
        this.#blocks.set(index, { kind: 'tool', toolIndex: this.#toolCount, sentArguments: false, header: { tool_calls: [{ index: this.#toolCount, id: String(block.id), type: 'function', function: { name: String(block.name), arguments: '' } }] } });
        this.#toolCount++;
        break;
      default:
        this.#blocks.set(index, this.#options.keepBlocks ? { kind: 'other', block: { ...block }, json: '' } : { kind: 'ignored' });
    }
  }

  #blockDelta(index: number, delta: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>['delta'], emit: EmitChunk): void {
    const block = this.#blocks.get(index);
    if (block?.kind === 'other') return otherBlockDelta(block, delta);
    switch (delta?.type) {
      case 'text_delta':
        if (delta.text === '') break;
        if (block?.kind === 'text' && this.#options.keepBlocks) block.text += delta.text;
        this.#content(emit, { content: delta.text });
        break;
      case 'citations_delta':
        if (block?.kind === 'text' && this.#options.keepBlocks) block.citations.push(delta.citation);
        break;
      case 'thinking_delta':
        if (delta.thinking === '') break;
        this.#signatures?.addText(delta.thinking);
        this.#content(emit, { reasoning_content: delta.thinking });
        break;
      case 'signature_delta':
        this.#content(emit, { reasoning_signature: this.#signatures && typeof delta.signature === 'string' ? this.#signatures.wrap(delta.signature) : delta.signature });
        break;
      case 'input_json_delta':
        if (delta.partial_json === '' || !block) break;
        if (block.kind === 'json') {
          block.sentContent = true;
          this.#content(emit, { content: delta.partial_json });
        } else if (block.kind === 'tool') {
          this.#toolHeader(block, emit);
          block.sentArguments = true;
          this.#content(emit, { tool_calls: [{ index: block.toolIndex, function: { arguments: delta.partial_json } }] });
        }
        break;
      default:
        break;
    }
  }

  /** A tool call's id and name, once: before its first arguments or at its stop. */
  #toolHeader(block: Extract<BlockState, { kind: 'tool' }>, emit: EmitChunk): void {
    if (block.header === null) return;
    const header = block.header;
    block.header = null;
    this.#content(emit, header);
  }

  /** The redacted thinking held (#redacted), as one delta. */
  #releaseRedacted(emit: EmitChunk): void {
    if (this.#redacted.length === 0) return;
    this.#content(emit, { reasoning_redacted: this.#redacted });
    this.#redacted = [];
  }

  /** A tool called with no arguments streams no JSON; clients still need valid JSON text. An Anthropic-format client is told where a text block ends, and gets a block of another kind whole. */
  #blockStop(index: number, emit: EmitChunk): void {
    const block = this.#blocks.get(index);
    if (block?.kind === 'tool') this.#toolHeader(block, emit);
    if (block?.kind === 'tool' && !block.sentArguments) this.#content(emit, { tool_calls: [{ index: block.toolIndex, function: { arguments: '{}' } }] });
    if (block?.kind === 'json' && !block.sentContent) this.#content(emit, { content: '{}' });
    if (!this.#options.keepBlocks) return;
    if (block?.kind === 'text' && (block.text !== '' || block.citations.length > 0)) {
      this.#content(emit, { [anthropicBlockEnds]: [{ type: 'text', text: block.text, citations: block.citations.length > 0 ? block.citations : null }] });
    } else if (block?.kind === 'other') {
      this.#content(emit, { [anthropicBlockEnds]: [wholeBlock(block)] });
    }
  }

  #finish(emit: EmitChunk): void {
    if (this.#finished) return;
    this.#start(emit);
    this.#releaseRedacted(emit);
    this.#finished = true;
    let finishReason = mapAnthropicStopReason(this.#stopReason);
    if (finishReason === 'tool_calls' && this.#answeredInJson && this.#toolCount === 0) finishReason = 'stop';
    const finish = this.#chunk({}, finishReason);
    Object.assign(finish.choices[0], anthropicStopFields(this.#stopReason, this.#stopSequence));
    emit(finish);
    emit(usageChunk(this.#head, mapAnthropicUsage(this.#usage)));
  }
}

/** A delta of a block of another kind (a server tool's input as JSON, an MCP block's…), gathered into the block. */
function otherBlockDelta(block: Extract<BlockState, { kind: 'other' }>, delta: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>['delta']): void {
  switch (delta?.type) {
    case 'input_json_delta':
      block.json += delta.partial_json;
      break;
    case 'text_delta':
      block.block.text = `${typeof block.block.text === 'string' ? block.block.text : ''}${delta.text}`;
      break;
    case 'citations_delta':
      block.block.citations = [...(Array.isArray(block.block.citations) ? block.block.citations : []), delta.citation];
      break;
    default:
      break;
  }
}

/** A gathered block of another kind, its streamed input parsed in (the start's own when none streamed or it is not JSON). */
function wholeBlock(block: Extract<BlockState, { kind: 'other' }>): Record<string, unknown> & { type: string } {
  if (block.json.trim() === '') return block.block;
  try {
    return { ...block.block, input: JSON.parse(block.json) as unknown };
  } catch {
    return block.block;
  }
}

function parseEvent(data: string, provider: string): AnthropicStreamEvent | null {
  if (data === '') return null;
  try {
    return JSON.parse(data) as AnthropicStreamEvent;
  } catch {
    throw errors.upstreamBadResponse(provider, 'an event of the stream is not JSON');
  }
}

/**
 * Reads an Anthropic event stream (bytes split anywhere) and yields canonical chunks. A stream
 * that ends before message_stop was cut off and fails rather than passing for a complete answer.
 * Each piece is mapped as it arrives (upstream/translate-pieces.ts).
 */
export function mapAnthropicEventStream(body: PieceInput, options: StreamMapperOptions, signal?: AbortSignal): AsyncIterableIterator<ChatChunk> {
  const mapper = new AnthropicStreamMapper(options);
  return translateEvents(body, {
    event: (data, emit) => {
      const parsed = parseEvent(data, options.provider);
      if (parsed) mapper.mapInto(parsed, emit);
    },
    end: () => {
      if (!mapper.finished) throw errors.upstreamBadResponse(options.provider, 'the event stream ended before message_stop');
    },
    error: (error) => mapUpstreamError(error, options.provider, signal),
  });
}

/**
 * mapAnthropicEventStream, with its first chunk read before the gateway answers (readFirstItem):
 * Anthropic reports an overload (and other errors) under load as an `error` event right after
 * message_start and ping, on a 200. With the role chunk waiting for the first content, that error
 * comes before any chunk and fails the call as an ordinary HTTP error, so retries and fallbacks
 * still apply. Costs nothing: the client would wait for the first content anyway.
 */
export async function openAnthropicEventStream(body: PieceInput, options: StreamMapperOptions, signal?: AbortSignal): Promise<AsyncIterableIterator<ChatChunk>> {
  return readFirstItem(mapAnthropicEventStream(body, options, signal));
}
