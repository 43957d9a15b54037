import type { ChatChunk, ChatDelta, FinishReason, Usage } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { readFirstItem } from '../../upstream/read-first-item.ts';
import { translatePieces } from '../../upstream/translate-pieces.ts';
import { mapUpstreamError } from '../../upstream/upstream-client.ts';
import type { OllamaChatResponse } from './ollama-api.ts';
import { toolCallOf, type OllamaResponseContext } from './convert-ollama-response.ts';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.ts';
import { mapOllamaUsage } from './ollama-usage.ts';
import { NdjsonLines } from './ndjson-lines.ts';
import { deltaChunk, usageChunk } from '../chat-chunks.ts';

/**
 * Turns the lines of an /api/chat stream (each a whole JSON object holding the new text of
 * `message`) into OpenAI chat chunks: a first chunk with the assistant role, `thinking` as
 * reasoning_content deltas, `content` as content deltas, each tool call (Ollama sends a call
 * whole, in one line) as one tool-call delta with its full arguments and a stable index, the
 * finish reason from the `done: true` line, and after it one usage chunk (`choices: []`).
 */
export class OllamaStreamMapper {
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

/** Maps an error line inside the stream (`{"error":"..."}`) to a GatewayError. */
export type StreamErrorMapper = (status: number, bodyText: string) => GatewayError;

/**
 * Reads an /api/chat NDJSON body (bytes split anywhere) and yields canonical chunks, each piece
 * mapped as it arrives (translatePieces, upstream/translate-pieces.ts). An error line carries no
 * status: it is mapped as a 500 and thrown, which the gateway reports in-stream; unreadable JSON
 * is a bad response; a network failure of the body becomes the gateway error for it.
 */
export function mapOllamaStream(body: AsyncIterable<Uint8Array | string>, context: OllamaResponseContext, mapError: StreamErrorMapper, signal?: AbortSignal): AsyncIterableIterator<ChatChunk> {
  const provider = context.provider ?? 'ollama';
  const lines = new NdjsonLines();
  const mapper = new OllamaStreamMapper(context);
  const each = (texts: string[], emit: (chunk: ChatChunk) => void) => {
    for (const text of texts) {
      let line: OllamaChatResponse;
      try {
        line = JSON.parse(text) as OllamaChatResponse;
      } catch {
        throw errors.upstreamBadResponse(provider, 'a stream line is not JSON');
      }
      if (line.error !== undefined) throw mapError(500, text);
      for (const chunk of mapper.push(line)) emit(chunk);
    }
  };
  return translatePieces(body, {
    piece: (piece, emit) => each(lines.push(typeof piece === 'string' ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)), emit),
    end: (emit) => {
      each(lines.end(), emit);
      for (const chunk of mapper.end()) emit(chunk);
    },
    error: (error) => mapUpstreamError(error, provider, signal),
  });
}

/**
 * mapOllamaStream, with its first chunk read before the gateway answers (readFirstItem): an error
 * Ollama writes as the first line (a model that failed to load) is then thrown as an ordinary
 * HTTP error, so retries and fallbacks still apply.
 */
export async function openOllamaStream(body: AsyncIterable<Uint8Array | string>, context: OllamaResponseContext, mapError: StreamErrorMapper, signal?: AbortSignal): Promise<AsyncIterableIterator<ChatChunk>> {
  return readFirstItem(mapOllamaStream(body, context, mapError, signal));
}
