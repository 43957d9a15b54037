import type { ChatChunk, ChatDelta, FinishReason, Usage } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { readFirstItem } from '../../upstream/read-first-item.ts';
import { translateEvents } from '../../upstream/translate-pieces.ts';
import { mapUpstreamError } from '../../upstream/upstream-client.ts';
import type { GeminiGenerateContentResponse, GeminiLogprobsResult } from './gemini-api.ts';
import { jsonAnswerOf, promptBlockedError, toolCallOf, type GeminiResponseContext } from './convert-gemini-response.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { failedToolCallError, isFailedToolCallFinish } from './gemini-failed-tool-call.ts';
import { mapGeminiUsage } from './gemini-usage.ts';
import { mapGeminiLogprobs } from './gemini-logprobs.ts';
import { deltaChunk, usageChunk } from '../chat-chunks.ts';
import type { PieceInput } from '../../upstream/each-piece.ts';

interface CandidateState {
  toolCalls: number;
  finished: boolean;
  /** Whether it has sent content (text, the JSON tool's answer) yet; tool calls are counted apart. */
  hasContent: boolean;
}

/**
 * Turns Gemini stream events (each `data:` of streamGenerateContent?alt=sse is a whole
 * GenerateContentResponse holding the new parts) into OpenAI chat chunks: a first chunk with the
 * assistant role, text as content deltas, thoughts as reasoning_content deltas, each function call
 * as one tool-call delta with its full arguments and a stable index, a chunk with the finish
 * reason, and at the end one usage chunk (`choices: []`). Gemini repeats usageMetadata on every
 * event, growing; the last one is the total. A blocked prompt (promptFeedback.blockReason, no
 * candidates; always the first event) is thrown as promptBlockedError, and a candidate that failed
 * at function calling with no content or call sent as failedToolCallError.
 */
export class GeminiStreamMapper {
  readonly #context: GeminiResponseContext;
  readonly #candidates = new Map<number, CandidateState>();
  #toolCallCount = 0;
  #usage: Usage | undefined;
  #events = 0;
  readonly #provider: string;
  readonly #onUsage: ((usage: Usage) => void) | undefined;

  /** `onUsage` is told each usageMetadata as it comes: what a stream cut before its end is recorded from. */
  constructor(context: GeminiResponseContext, onUsage?: (usage: Usage) => void) {
    this.#context = context;
    this.#provider = context.provider ?? 'gemini';
    this.#onUsage = onUsage;
  }

  #chunk(index: number, delta: ChatDelta, finishReason: FinishReason | null = null): ChatChunk {
    return deltaChunk(this.#context, delta, finishReason, index);
  }

  #start(index: number, out: ChatChunk[]): CandidateState {
    let state = this.#candidates.get(index);
    if (!state) {
      state = { toolCalls: 0, finished: false, hasContent: false };
      this.#candidates.set(index, state);
      out.push(this.#chunk(index, { role: 'assistant', content: '' }));
    }
    return state;
  }

  /**
   * An event's logprobsResult holds the tokens of that event: they go on its first chunk for the
   * candidate (its first text delta, else its finish chunk), or on a chunk of their own.
   */
  #addLogprobs(index: number, result: GeminiLogprobsResult, out: ChatChunk[], first: number): void {
    const logprobs = mapGeminiLogprobs(result);
    if (logprobs === null || logprobs.content.length === 0) return;
    const chunk = out[first] ?? this.#chunk(index, {});
    chunk.choices[0]!.logprobs = logprobs;
    if (out[first] === undefined) out.push(chunk);
  }

  /** Maps one event; returns the chunks it makes (possibly none). */
  push(event: GeminiGenerateContentResponse): ChatChunk[] {
    this.#events++;
    const out: ChatChunk[] = [];
    const usage = mapGeminiUsage(event.usageMetadata);
    if (usage) {
      this.#usage = usage;
      this.#onUsage?.(usage);
    }
    const candidates = event.candidates ?? [];
    if (candidates.length === 0 && event.promptFeedback?.blockReason !== undefined) throw promptBlockedError(this.#provider, event.promptFeedback);
    candidates.forEach((candidate, position) => {
      const index = candidate.index ?? position;
      const state = this.#start(index, out);
      if (state.finished) return;
      const first = out.length;
      for (const part of candidate.content?.parts ?? []) {
        const json = jsonAnswerOf(part, this.#context.jsonToolName);
        if (json !== undefined) {
          state.hasContent = true;
          out.push(this.#chunk(index, { content: json }));
        } else if (part.functionCall) {
          const call = toolCallOf(part, this.#context.makeToolCallId(this.#toolCallCount++), this.#context.toolNames);
          out.push(this.#chunk(index, { tool_calls: [{ index: state.toolCalls++, ...call }] }));
        } else if (typeof part.text === 'string' && part.text !== '') {
          if (part.thought !== true) state.hasContent = true;
          out.push(this.#chunk(index, part.thought === true ? { reasoning_content: part.text } : { content: part.text }));
        }
      }
      if (isFailedToolCallFinish(candidate.finishReason)) {
        this.#context.onFailedToolCall?.(candidate.finishReason, candidate.finishMessage);
        // Before the stream's first byte this is an HTTP error (openGeminiStream); later, in-stream.
        if (!state.hasContent && state.toolCalls === 0) throw failedToolCallError(this.#provider, candidate.finishReason, candidate.finishMessage);
      }
      if (candidate.finishReason !== undefined && candidate.finishReason !== 'FINISH_REASON_UNSPECIFIED') {
        state.finished = true;
        out.push(this.#chunk(index, {}, mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0)));
      }
      if (candidate.logprobsResult !== undefined) this.#addLogprobs(index, candidate.logprobsResult, out, first);
    });
    return out;
  }

  /**
   * Ends the stream: the usage chunk, when Gemini reported usage. A stream that stopped before
   * every candidate finished was cut off, and is reported as a failure rather than passed off
   * as a complete answer.
   */
  end(): ChatChunk[] {
    if (this.#events === 0) throw errors.upstreamBadResponse(this.#provider, 'the stream ended without any event');
    for (const state of this.#candidates.values()) {
      if (!state.finished) throw errors.upstreamBadResponse(this.#provider, 'the stream ended before the answer was finished');
    }
    if (!this.#usage) return [];
    return [usageChunk(this.#context, this.#usage)];
  }
}

/** Maps an error event inside the stream (`data: {"error":{...}}`) to a GatewayError. */
export type StreamErrorMapper = (status: number, bodyText: string) => GatewayError;

/**
 * Reads a Gemini SSE body (bytes split anywhere) and yields canonical chunks, each piece mapped
 * as it arrives (translateEvents, upstream/translate-pieces.ts: the shared SseParser); an
 * error event or unreadable JSON is thrown as a GatewayError, which the gateway reports
 * in-stream; a network failure of the body becomes the gateway error for it (mapUpstreamError).
 */
export function mapGeminiStream(body: PieceInput, context: GeminiResponseContext, mapError: StreamErrorMapper, signal?: AbortSignal, onUsage?: (usage: Usage) => void): AsyncIterableIterator<ChatChunk> {
  const provider = context.provider ?? 'gemini';
  const mapper = new GeminiStreamMapper(context, onUsage);
  return translateEvents(body, {
    event: (data, emit) => {
      if (data === '' || data === '[DONE]') return;
      let event: GeminiGenerateContentResponse & { error?: { code?: number } };
      try {
        event = JSON.parse(data) as typeof event;
      } catch {
        throw errors.upstreamBadResponse(provider, 'a stream event is not JSON');
      }
      if (event.error) throw mapError(typeof event.error.code === 'number' ? event.error.code : 500, data);
      for (const chunk of mapper.push(event)) emit(chunk);
    },
    end: (emit) => {
      for (const chunk of mapper.end()) emit(chunk);
    },
    error: (error) => mapUpstreamError(error, provider, signal),
  });
}

/**
 * mapGeminiStream, with its first chunk read before the gateway answers (readFirstItem): Gemini
 * reports a blocked prompt, and some failures (quota, overload), as the first stream event, which
 * are then thrown as ordinary HTTP errors, so retries and fallbacks still apply.
 */
export async function openGeminiStream(body: PieceInput, context: GeminiResponseContext, mapError: StreamErrorMapper, signal?: AbortSignal, onUsage?: (usage: Usage) => void): Promise<AsyncIterableIterator<ChatChunk>> {
  return readFirstItem(mapGeminiStream(body, context, mapError, signal, onUsage));
}
