import type { ChatChunk, ChatDelta, FinishReason, Usage } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { readFirstItem } from '../../upstream/read-first-item.ts';
import type { OllamaChatResponse } from './ollama-api.ts';
import { toolCallOf, type OllamaResponseContext } from './convert-ollama-response.ts';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.ts';
import { mapOllamaUsage } from './ollama-usage.ts';
import { mapOllamaLines, type OllamaLineMapper, type StreamErrorMapper } from './ollama-ndjson-stream.ts';
import { deltaChunk, usageChunk } from '../chat-chunks.ts';
import type { PieceInput } from '../../upstream/each-piece.ts';

/**
 * Turns the lines of an /api/chat stream (each a whole JSON object holding the new text of
 * `message`) into OpenAI chat chunks: a first chunk with the assistant role, `thinking` as
 * reasoning_content deltas, `content` as content deltas, each tool call (Ollama sends a call
 * whole, in one line) as one tool-call delta with its full arguments and a stable index, the
 * finish reason from the `done: true` line, and after it one usage chunk (`choices: []`).
 */
export class OllamaStreamMapper implements OllamaLineMapper<OllamaChatResponse, ChatChunk> {
  readonly #context: OllamaResponseContext;
  readonly #provider: string;
  #started = false;
  #finished = false;
  #toolCalls = 0;
  #usage: Usage | undefined;

  constructor(context: OllamaResponseContext) {
    this.#context = context;
    this.#provider = context.provider ?? 'ollama';
  }

  #chunk(delta: ChatDelta, finishReason: FinishReason | null = null): ChatChunk {
    return deltaChunk(this.#context, delta, finishReason);
  }

  /** Maps one line's object; returns the chunks it makes (possibly none). */
  push(line: OllamaChatResponse): ChatChunk[] {
    const out: ChatChunk[] = [];
    if (this.#finished) return out;
    if (!this.#started) {
      this.#started = true;
      out.push(this.#chunk({ role: 'assistant', content: '' }));
    }
    const message = line.message ?? {};
    if (typeof message.thinking === 'string' && message.thinking !== '') out.push(this.#chunk({ reasoning_content: message.thinking }));
    if (typeof message.content === 'string' && message.content !== '') out.push(this.#chunk({ content: message.content }));
    for (const call of message.tool_calls ?? []) {
      const index = this.#toolCalls++;
      out.push(this.#chunk({ tool_calls: [{ index, ...toolCallOf(call, this.#context.makeToolCallId(index)) }] }));
    }
    if (line.done === true) {
      this.#finished = true;
      this.#usage = mapOllamaUsage(line);
      out.push(this.#chunk({}, mapOllamaFinishReason(line.done_reason, this.#toolCalls > 0)));
    }
    return out;
  }

  /**
   * Ends the stream: the usage chunk, when Ollama reported counts. A stream that stopped before
   * its `done: true` line was cut off, and is reported as a failure rather than passed off as a
   * complete answer.
   */
  end(): ChatChunk[] {
    if (!this.#started) throw errors.upstreamBadResponse(this.#provider, 'the stream ended without any line');
    if (!this.#finished) throw errors.upstreamBadResponse(this.#provider, 'the stream ended before the answer was finished');
    if (!this.#usage) return [];
    return [usageChunk(this.#context, this.#usage)];
  }
}

export type { StreamErrorMapper };

/**
 * Reads an /api/chat NDJSON body (bytes split anywhere) and yields canonical chunks as each piece
 * arrives (mapOllamaLines: error lines, bad JSON and network failures become gateway errors).
 */
export function mapOllamaStream(body: PieceInput, context: OllamaResponseContext, mapError: StreamErrorMapper, signal?: AbortSignal): AsyncIterableIterator<ChatChunk> {
  return mapOllamaLines<OllamaChatResponse, ChatChunk>(body, new OllamaStreamMapper(context), context.provider ?? 'ollama', mapError, signal);
}

/**
 * mapOllamaStream, with its first chunk read before the gateway answers (readFirstItem): an error
 * Ollama writes as the first line (a model that failed to load) is then thrown as an ordinary
 * HTTP error, so retries and fallbacks still apply.
 */
export async function openOllamaStream(body: PieceInput, context: OllamaResponseContext, mapError: StreamErrorMapper, signal?: AbortSignal): Promise<AsyncIterableIterator<ChatChunk>> {
  return readFirstItem(mapOllamaStream(body, context, mapError, signal));
}
