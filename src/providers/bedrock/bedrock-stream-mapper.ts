import type { ChatChunk, ChatDelta, FinishReason } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { readFirstItem } from '../../upstream/read-first-item.ts';
import { translatePieces } from '../../upstream/translate-pieces.ts';
import { mapUpstreamError } from '../../upstream/upstream-client.ts';
import type { BedrockStreamEvents } from './bedrock-api.ts';
import { mapBedrockStreamException } from './bedrock-error.ts';
import { EventStreamDecoder, type EventStreamMessage } from './bedrock-event-stream.ts';
import { jsonAnswerOf } from './bedrock-json-mode.ts';
import { mapBedrockStopReason, matchedStopSequence } from './map-bedrock-stop-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';
import { deltaChunk, usageChunk } from '../chat-chunks.ts';
import type { PieceInput } from '../../upstream/each-piece.ts';
import { StreamedSignatures } from '../reasoning-signature.ts';

export interface BedrockStreamContext {
  provider: string;
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** The JSON-mode tool of the request: its input deltas are streamed as content. */
  jsonToolName: string | null;
  /** JSON mode by instruction: the text is held and sent at the end as JSON (jsonAnswerOf). */
  jsonText?: boolean;
  /** The stop sequences the request sent (matchedStopSequence). */
  stopSequences?: readonly string[];
  /** Scrubbed from error messages, should AWS echo one. */
  secrets?: ReadonlyArray<string | undefined>;
  /** The client speaks OpenAI chat: reasoning signatures carry a digest of the text they sign (../reasoning-signature.ts). */
  wrapSignatures?: boolean;
}

type EmitChunk = (chunk: ChatChunk) => void;

/** What a Converse content block (by contentBlockIndex) turns into; text blocks have no start event and need no state. */
type BlockState = { kind: 'tool'; toolIndex: number; sentArguments: boolean } | { kind: 'json'; sentContent: boolean };

/**
 * Turns ConverseStream events into OpenAI chat chunks: the assistant role first, content /
 * reasoning / tool-call deltas (tool calls numbered in the order they start, not by content
 * block), a chunk with the finish_reason (messageStop), then a usage chunk (metadata,
 * `choices: []`). The role chunk waits for the first content event (or messageStop), not
 * messageStart: an exception Bedrock sends before any content (throttling, right after
 * messageStart) is then the stream's first item, which openBedrockEventStream turns into an HTTP
 * error. An exception event is thrown as a GatewayError; once the stream has started, the gateway
 * reports it in the stream.
 * In JSON mode by instruction the text is held and sent whole before the finish chunk, as JSON
 * without the fence or sentence a model may put around it (what LiteLLM's fake stream does too).
 */
export class BedrockStreamMapper {
  readonly #context: BedrockStreamContext;
  readonly #blocks = new Map<number, BlockState>();
  #started = false;
  #stopped = false;
  #toolCount = 0;
  #answeredInJson = false;
  /** Text held back in JSON mode by instruction. */
  #heldText = '';
  /** Redacted reasoning data by content block, held until the block stops (Converse may send it in pieces). */
  readonly #redacted = new Map<number, string[]>();
  /** Whole redacted blocks, sent together before the next other content (#releaseRedacted). */
  #readyRedacted: string[] = [];
  /** Null unless the client speaks OpenAI chat (wrapSignatures). */
  readonly #signatures: StreamedSignatures | null;
  /** The content block the last reasoning delta was in: a delta in another starts a new block of text to sign. */
  #reasoningBlock: number | undefined;

  constructor(context: BedrockStreamContext) {
    this.#context = context;
    this.#signatures = context.wrapSignatures ? new StreamedSignatures() : null;
  }

  /** True once messageStop has been mapped. */
  get stopped(): boolean {
    return this.#stopped;
  }

  #chunk(delta: ChatDelta, finishReason: FinishReason | null = null): ChatChunk {
    return deltaChunk(this.#context, delta, finishReason);
  }

  #start(emit: EmitChunk): void {
    if (this.#started) return;
    this.#started = true;
    emit(this.#chunk({ role: 'assistant', content: '' }));
  }

  /** The chunks one message makes, as a list (tests). */
  map(message: EventStreamMessage): ChatChunk[] {
    const list: ChatChunk[] = [];
    this.mapInto(message, (chunk) => list.push(chunk));
    return list;
  }

  /** The chunks one message makes, each handed to `emit`. */
  mapInto(message: EventStreamMessage, emit: EmitChunk): void {
    if (message.messageType !== 'event') throw mapBedrockStreamException(this.#context.provider, message.errorType, message.payload, this.#context.secrets);
    switch (message.eventType) {
      case 'messageStart':
        // Held: the role chunk goes out with the first content (#start), so an exception before it is still an HTTP error.
        break;
      case 'contentBlockStart':
        this.#start(emit);
        this.#blockStart(this.#parse<'contentBlockStart'>(message.payload), emit);
        break;
      case 'contentBlockDelta':
        this.#start(emit);
        this.#blockDelta(this.#parse<'contentBlockDelta'>(message.payload), emit);
        break;
      case 'contentBlockStop':
        this.#blockStop(this.#parse<'contentBlockStop'>(message.payload), emit);
        break;
      case 'messageStop':
        this.#stop(this.#parse<'messageStop'>(message.payload), emit);
        break;
      case 'metadata':
        this.#usage(this.#parse<'metadata'>(message.payload), emit);
        break;
      default:
        // Event types added after this adapter was written.
        break;
    }
  }

  #parse<E extends keyof BedrockStreamEvents>(payload: string): Partial<BedrockStreamEvents[E]> {
    try {
      const parsed: unknown = JSON.parse(payload);
      return parsed !== null && typeof parsed === 'object' ? (parsed as Partial<BedrockStreamEvents[E]>) : {};
    } catch {
      throw errors.upstreamBadResponse(this.#context.provider, 'an event of the stream is not JSON');
    }
  }

  #blockStart(event: Partial<BedrockStreamEvents['contentBlockStart']>, emit: EmitChunk): void {
    this.#releaseRedacted(emit);
    const toolUse = event.start?.toolUse;
    if (!toolUse || typeof event.contentBlockIndex !== 'number') return;
    if (this.#context.jsonToolName !== null && toolUse.name === this.#context.jsonToolName) {
      this.#blocks.set(event.contentBlockIndex, { kind: 'json', sentContent: false });
      this.#answeredInJson = true;
      return;
    }
    this.#blocks.set(event.contentBlockIndex, { kind: 'tool', toolIndex: this.#toolCount, sentArguments: false });
    emit(this.#chunk({ tool_calls: [{ index: this.#toolCount, id: String(toolUse.toolUseId), type: 'function', function: { name: String(toolUse.name), arguments: '' } }] }));
    this.#toolCount++;
  }

  #blockDelta(event: Partial<BedrockStreamEvents['contentBlockDelta']>, emit: EmitChunk): void {
    const delta = event.delta;
    if (!delta) return;
    const redactedPiece = delta.reasoningContent?.redactedContent;
    if (typeof redactedPiece === 'string' && redactedPiece !== '') {
      this.#holdRedacted(event.contentBlockIndex ?? -1, redactedPiece);
      return;
    }
    this.#releaseRedacted(emit);
    if (typeof delta.text === 'string') {
      if (this.#context.jsonText) this.#heldText += delta.text;
      else if (delta.text !== '') emit(this.#chunk({ content: delta.text }));
      return;
    }
    if (delta.reasoningContent) {
      const { text, signature } = delta.reasoningContent;
      if (this.#signatures !== null && event.contentBlockIndex !== this.#reasoningBlock) {
        this.#reasoningBlock = event.contentBlockIndex;
        this.#signatures.startBlock();
      }
      if (typeof text === 'string' && text !== '') {
        this.#signatures?.addText(text);
        emit(this.#chunk({ reasoning_content: text }));
      }
      if (typeof signature === 'string' && signature !== '') emit(this.#chunk({ reasoning_signature: this.#signatures ? this.#signatures.wrap(signature) : signature }));
      return;
    }
    const input = delta.toolUse?.input;
    const block = typeof event.contentBlockIndex === 'number' ? this.#blocks.get(event.contentBlockIndex) : undefined;
    if (typeof input !== 'string' || input === '' || !block) return;
    if (block.kind === 'json') {
      block.sentContent = true;
      emit(this.#chunk({ content: input }));
    } else {
      block.sentArguments = true;
      emit(this.#chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: input } }] }));
    }
  }

  /** A piece of a redacted reasoning block's data (base64), held until the block stops. */
  #holdRedacted(blockIndex: number, data: string): void {
    const pieces = this.#redacted.get(blockIndex);
    if (pieces === undefined) this.#redacted.set(blockIndex, [data]);
    else pieces.push(data);
  }

  /**
   * The redacted reasoning blocks held (one, or all at the end), each made whole (base64 pieces
   * are joined as bytes, not as text) and kept for #releaseRedacted.
   */
  #completeRedacted(blockIndex?: number): void {
    for (const [index, pieces] of this.#redacted) {
      if (blockIndex !== undefined && index !== blockIndex) continue;
      this.#redacted.delete(index);
      this.#readyRedacted.push(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces.map((piece) => Buffer.from(piece, 'base64'))).toString('base64'));
    }
  }

  /**
   * The whole redacted blocks so far as one `reasoning_redacted` delta, sent before the next other
   * content (or the finish): a run of them is one delta, so a client that keeps only a field's last
   * delta (the openai SDK's stream helper) still has them all.
   */
  #releaseRedacted(emit: EmitChunk): void {
    if (this.#readyRedacted.length === 0) return;
    emit(this.#chunk({ reasoning_redacted: this.#readyRedacted }));
    this.#readyRedacted = [];
  }

  /** A tool called with no arguments streams no input; clients still need valid JSON text. */
  #blockStop(event: Partial<BedrockStreamEvents['contentBlockStop']>, emit: EmitChunk): void {
    if (this.#redacted.size > 0 && typeof event.contentBlockIndex === 'number') this.#completeRedacted(event.contentBlockIndex);
    const block = typeof event.contentBlockIndex === 'number' ? this.#blocks.get(event.contentBlockIndex) : undefined;
    if (block?.kind === 'tool' && !block.sentArguments) emit(this.#chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: '{}' } }] }));
    if (block?.kind === 'json' && !block.sentContent) emit(this.#chunk({ content: '{}' }));
  }

  #stop(event: Partial<BedrockStreamEvents['messageStop']>, emit: EmitChunk): void {
    if (this.#stopped) return;
    this.#start(emit);
    this.#stopped = true;
    if (this.#redacted.size > 0) this.#completeRedacted();
    this.#releaseRedacted(emit);
    if (this.#heldText !== '') emit(this.#chunk({ content: this.#toolCount === 0 ? jsonAnswerOf(this.#heldText) : this.#heldText }));
    let finishReason = mapBedrockStopReason(event.stopReason);
    // The forced JSON tool is how the answer was delivered, not a call the client must run.
    if (finishReason === 'tool_calls' && this.#answeredInJson && this.#toolCount === 0) finishReason = 'stop';
    const finish = this.#chunk({}, finishReason);
    const stopSequence = matchedStopSequence(event.stopReason, event.additionalModelResponseFields, this.#context.stopSequences);
    if (stopSequence !== undefined) Object.assign(finish.choices[0], { stop_sequence: stopSequence });
    emit(finish);
  }

  #usage(event: Partial<BedrockStreamEvents['metadata']>, emit: EmitChunk): void {
    if (!event.usage) return;
    emit(usageChunk(this.#context, mapBedrockUsage(event.usage)));
  }
}

/**
 * Reads a ConverseStream body (AWS event-stream frames split anywhere) and yields canonical
 * chunks. A stream that ends before messageStop was cut off and fails rather than passing for a
 * complete answer; a broken frame or checksum is a bad upstream response.
 */
export function mapBedrockEventStream(body: PieceInput, context: BedrockStreamContext, signal?: AbortSignal): AsyncIterableIterator<ChatChunk> {
  const decoder = new EventStreamDecoder();
  const mapper = new BedrockStreamMapper(context);
  return translatePieces(body, {
    piece: (piece, emit) => {
      const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
      decodeOrFail(() => decoder.pushEach(bytes, (message) => mapper.mapInto(message, emit)), context.provider);
    },
    end: () => {
      decodeOrFail(() => decoder.end(), context.provider);
      if (!mapper.stopped) throw errors.upstreamBadResponse(context.provider, 'the event stream ended before messageStop');
    },
    error: (error) => mapUpstreamError(error, context.provider, signal),
  });
}

/**
 * The decoder's framing and checksum failures mean the bytes were not a readable event stream: a
 * bad upstream response. A GatewayError (an exception event, mapped) passes as it is.
 */
function decodeOrFail<T>(decode: () => T, provider: string): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw errors.upstreamBadResponse(provider, `the event stream is malformed (${error instanceof Error ? error.message : 'unreadable'})`);
  }
}

/**
 * mapBedrockEventStream, with its first chunk read before the gateway answers (readFirstItem): an
 * exception ConverseStream sends before any content (throttling under load, a validation problem
 * found late; as its first message or right after messageStart) then fails the call as an
 * ordinary HTTP error, so retries and fallbacks still apply. Costs nothing: the client would wait
 * for the first content anyway.
 */
export async function openBedrockEventStream(body: PieceInput, context: BedrockStreamContext, signal?: AbortSignal): Promise<AsyncIterableIterator<ChatChunk>> {
  return readFirstItem(mapBedrockEventStream(body, context, signal));
}
