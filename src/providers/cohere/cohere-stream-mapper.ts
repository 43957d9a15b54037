import type { ChatChunk, ChatDelta, FinishReason } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { readFirstItem } from '../../upstream/read-first-item.ts';
import { translateEvents } from '../../upstream/translate-pieces.ts';
import { mapUpstreamError } from '../../upstream/upstream-client.ts';
import type { CohereCitation, CohereStreamEvent } from './cohere-api.ts';
import type { CohereResponseContext } from './convert-cohere-response.ts';
import { mapCohereUsage } from './cohere-usage.ts';
import { cohereStopSequence, failedFinishError, mapCohereFinishReason } from './map-cohere-finish-reason.ts';
import { deltaChunk, usageChunk } from '../chat-chunks.ts';
import type { PieceInput } from '../../upstream/each-piece.ts';

/** Takes each chunk an event makes, in order. */
type EmitChunk = (chunk: ChatChunk) => void;

/** A tool call being streamed: its OpenAI index, and whether any argument text was sent. */
interface ToolCallState {
  index: number;
  sentArguments: boolean;
}

/** Maps an error object found inside the stream (`{"message": ...}`) to a GatewayError. */
export type StreamErrorMapper = (status: number, bodyText: string) => GatewayError;

/**
 * Turns Cohere /v2/chat stream events into OpenAI chat chunks, one event at a time: a first chunk
 * with the assistant role, text as content deltas, thinking and tool-plan deltas as
 * reasoning_content, each tool call as a delta with its id and name then argument fragments
 * under a stable index (numbered in the order the calls start), a chunk with the finish_reason,
 * then a usage chunk (`choices: []`; the gateway forwards it only when the client asked).
 * citation-start events are gathered and their citations sent on the finish chunk's delta
 * (`delta.citations`, the list `message.citations` has unstreamed) when the request sent Cohere's
 * RAG fields (context.returnsCitations), else ignored, as are citation-end and debug. message-end with finish_reason ERROR or TIMEOUT is
 * thrown as a GatewayError, which the gateway reports in-stream. The role chunk waits for the first
 * content event (or message-end), not message-start: a failure Cohere reports before any content
 * is then the stream's first item, which openCohereStream turns into an HTTP error.
 */
export class CohereStreamMapper {
  readonly #context: CohereResponseContext;
  readonly #mapError: StreamErrorMapper;
  /** Cohere's tool-call index -> the call's state. */
  readonly #toolCalls = new Map<number, ToolCallState>();
  #lastToolCall: ToolCallState | undefined;
  #toolCallCount = 0;
  /** The citations of citation-start events, for the finish chunk (only when returned). */
  readonly #citations: CohereCitation[] = [];
  #started = false;
  #finished = false;

  constructor(context: CohereResponseContext, mapError: StreamErrorMapper) {
    this.#context = context;
    this.#mapError = mapError;
  }

  /** True once message-end has been mapped. */
  get finished(): boolean {
    return this.#finished;
  }

  #chunk(delta: ChatDelta, finishReason: FinishReason | null = null): ChatChunk {
    return deltaChunk(this.#context, delta, finishReason);
  }

  /** The role chunk, before the first chunk of content (or the finish). */
  #start(emit: EmitChunk): void {
    if (this.#started) return;
    this.#started = true;
    emit(this.#chunk({ role: 'assistant', content: '' }));
  }

  /** The chunks one event makes, as a list (tests). */
  map(event: CohereStreamEvent): ChatChunk[] {
    const list: ChatChunk[] = [];
    this.mapInto(event, (chunk) => list.push(chunk));
    return list;
  }

  /** The chunks one event makes, each handed to `emit`. */
  mapInto(event: CohereStreamEvent, emit: EmitChunk): void {
    if (this.#finished) return;
    const message = event.delta?.message;
    switch (event.type) {
      case 'message-start':
        // Held: the role chunk goes out with the first content (#start), so a failure before it is still an HTTP error.
        break;
      case 'content-start':
      case 'content-delta': {
        this.#start(emit);
        const content = message?.content;
        if (typeof content?.text === 'string' && content.text !== '') emit(this.#chunk({ content: content.text }));
        if (typeof content?.thinking === 'string' && content.thinking !== '') emit(this.#chunk({ reasoning_content: content.thinking }));
        break;
      }
      case 'tool-plan-delta':
        this.#start(emit);
        if (typeof message?.tool_plan === 'string' && message.tool_plan !== '') emit(this.#chunk({ reasoning_content: message.tool_plan }));
        break;
      case 'tool-call-start':
        this.#start(emit);
        this.#toolCallStart(event, emit);
        break;
      case 'tool-call-delta':
        this.#toolCallDelta(event, emit);
        break;
      case 'tool-call-end':
        this.#toolCallEnd(event, emit);
        break;
      case 'citation-start':
        if (this.#context.returnsCitations) this.#keepCitation(message?.citations);
        break;
      case 'message-end':
        this.#finish(event, emit);
        break;
      case undefined:
        // Not an event: an error object in the stream ({"message": "..."}).
        if (typeof event.message === 'string') throw this.#mapError(500, JSON.stringify(event));
        break;
      default:
        // content-end, citation-end, debug, and event types added later.
        break;
    }
  }

  /** Cohere sends one citation per event, as an object (a list is taken too); they come once the text they cite has. */
  #keepCitation(cited: unknown): void {
    if (Array.isArray(cited)) this.#citations.push(...(cited as CohereCitation[]));
    else if (cited !== null && typeof cited === 'object') this.#citations.push(cited as CohereCitation);
  }

  #toolCallStart(event: CohereStreamEvent, emit: EmitChunk): void {
    const call = event.delta?.message?.tool_calls;
    if (typeof call?.function?.name !== 'string') throw errors.upstreamBadResponse(this.#context.provider, 'a tool-call-start event has no function name');
    const state: ToolCallState = { index: this.#toolCallCount++, sentArguments: false };
    if (typeof event.index === 'number') this.#toolCalls.set(event.index, state);
    this.#lastToolCall = state;
    const initial = typeof call.function.arguments === 'string' ? call.function.arguments : '';
    if (initial !== '') state.sentArguments = true;
    emit(this.#chunk({ tool_calls: [{ index: state.index, id: String(call.id ?? ''), type: 'function', function: { name: call.function.name, arguments: initial } }] }));
  }

  /** The call an event is about: by Cohere's index, else the one started last. */
  #toolCallOf(event: CohereStreamEvent): ToolCallState | undefined {
    return (typeof event.index === 'number' ? this.#toolCalls.get(event.index) : undefined) ?? this.#lastToolCall;
  }

  #toolCallDelta(event: CohereStreamEvent, emit: EmitChunk): void {
    const fragment = event.delta?.message?.tool_calls?.function?.arguments;
    const state = this.#toolCallOf(event);
    if (typeof fragment !== 'string' || fragment === '' || !state) return;
    state.sentArguments = true;
    emit(this.#chunk({ tool_calls: [{ index: state.index, function: { arguments: fragment } }] }));
  }

  /** A call without arguments streamed none; clients still need valid JSON text. */
  #toolCallEnd(event: CohereStreamEvent, emit: EmitChunk): void {
    const state = this.#toolCallOf(event);
    if (state && !state.sentArguments) {
      state.sentArguments = true;
      emit(this.#chunk({ tool_calls: [{ index: state.index, function: { arguments: '{}' } }] }));
    }
  }

  #finish(event: CohereStreamEvent, emit: EmitChunk): void {
    const reason = event.delta?.finish_reason;
    const failure = failedFinishError(this.#context.provider, reason, typeof event.delta?.error === 'string' ? event.delta.error : undefined);
    if (failure) throw failure;
    this.#start(emit);
    this.#finished = true;
    const finish = this.#chunk(this.#citations.length > 0 ? { citations: this.#citations } : {}, mapCohereFinishReason(reason, this.#toolCallCount > 0));
    Object.assign(finish.choices[0], cohereStopSequence(reason, this.#context.stopSequences));
    emit(finish);
    const usage = mapCohereUsage(event.delta?.usage);
    if (usage) emit(usageChunk(this.#context, usage));
  }
}

function parseEvent(data: string, provider: string): CohereStreamEvent | null {
  if (data === '' || data === '[DONE]') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw errors.upstreamBadResponse(provider, 'an event of the stream is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw errors.upstreamBadResponse(provider, 'an event of the stream is not a JSON object');
  return parsed as CohereStreamEvent;
}

/**
 * Reads a Cohere SSE body (bytes split anywhere: the shared SseParser joins events and UTF-8
 * characters) and yields canonical chunks as the pieces arrive. A stream that ends before
 * message-end was cut off and fails rather than passing for a complete answer; a network failure
 * of the body becomes the gateway error for it (mapUpstreamError).
 */
export function mapCohereStream(body: PieceInput, context: CohereResponseContext, mapError: StreamErrorMapper, signal?: AbortSignal): AsyncIterableIterator<ChatChunk> {
  const mapper = new CohereStreamMapper(context, mapError);
  return translateEvents(body, {
    event: (data, emit) => {
      const event = parseEvent(data, context.provider);
      if (event) mapper.mapInto(event, emit);
    },
    end: () => {
      if (!mapper.finished) throw errors.upstreamBadResponse(context.provider, 'the stream ended before message-end');
    },
    error: (error) => mapUpstreamError(error, context.provider, signal),
  });
}

/**
 * mapCohereStream, with its first chunk read before the gateway answers (readFirstItem): a failure
 * Cohere reports before any content (an error object, message-end with ERROR or TIMEOUT, right
 * after message-start) then fails the call as an ordinary HTTP error, so retries and fallbacks
 * still apply. Costs nothing: the client would wait for the first content anyway.
 */
export async function openCohereStream(body: PieceInput, context: CohereResponseContext, mapError: StreamErrorMapper, signal?: AbortSignal): Promise<AsyncIterableIterator<ChatChunk>> {
  return readFirstItem(mapCohereStream(body, context, mapError, signal));
}
