import type { Usage } from '../../canonical/chat.ts';
import type { CompletionChoice, CompletionResponse } from '../../canonical/completions.ts';
import type { CanonicalChunk } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { readFirstItem } from '../../upstream/read-first-item.ts';
import type { OllamaGenerateResponse } from './ollama-api.ts';
import { mapOllamaLines, type OllamaLineMapper, type StreamErrorMapper } from './ollama-ndjson-stream.ts';
import { mapOllamaUsage } from './ollama-usage.ts';
import type { PieceInput } from '../../upstream/each-piece.ts';

/** What a text completion's conversion needs besides Ollama's body. */
export interface OllamaCompletionContext {
  /** The completion id (`cmpl-...`). */
  id: string;
  /** The model name to report. */
  model: string;
  created: number;
  /** The provider's configured name, for error messages. */
  provider: string;
  /** The prompt to put in front of the completion (`echo: true`). */
  echo?: string;
  /**
   * The client asked for `stream_options.include_usage`: then, as OpenAI does, every chunk before
   * the usage chunk carries `usage: null`; otherwise the field is left out of them.
   */
  includeUsage?: boolean;
}

type CompletionChunk = CompletionResponse & { object: 'text_completion' };

/** done_reason as a completion's finish_reason: `length` is the num_predict limit; anything else (`stop`, `load`) is `stop`. */
function finishReasonOf(doneReason: string | undefined): CompletionChoice['finish_reason'] {
  return doneReason === 'length' ? 'length' : 'stop';
}

/**
 * An /api/generate answer (`stream: false`) as an OpenAI text completion: `response` as the one
 * choice's text (after the prompt when echoed), done_reason as finish_reason, the counts as usage.
 * A thinking model's `thinking` is left out: a text completion has no place for it.
 */
export function convertOllamaGenerateResponse(response: OllamaGenerateResponse, context: OllamaCompletionContext): CompletionResponse {
  if (response === null || typeof response !== 'object') throw errors.upstreamBadResponse(context.provider, 'the body is not a JSON object');
  const text = (context.echo ?? '') + (typeof response.response === 'string' ? response.response : '');
  const result: CompletionResponse = {
    id: context.id,
    object: 'text_completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, text, finish_reason: finishReasonOf(response.done_reason), logprobs: null }],
  };
  const usage = mapOllamaUsage(response);
  if (usage) result.usage = usage;
  return result;
}

/**
 * The lines of an /api/generate stream (each holding the new text in `response`) as OpenAI
 * text_completion chunks: the echoed prompt first when asked for, one chunk per piece of text,
 * the finish reason from the `done: true` line (on an empty text), then one usage chunk
 * (`choices: []`; the gateway forwards it only when the client asked).
 */
export class OllamaGenerateStreamMapper implements OllamaLineMapper<OllamaGenerateResponse, CanonicalChunk> {
  readonly #context: OllamaCompletionContext;
  #started = false;
  #finished = false;
  #usage: Usage | undefined;

  constructor(context: OllamaCompletionContext) {
    this.#context = context;
  }

  #chunk(choices: CompletionChoice[], usage: Usage | null = null): CompletionChunk {
    const chunk: CompletionChunk = { id: this.#context.id, object: 'text_completion', created: this.#context.created, model: this.#context.model, choices };
    if (usage !== null || this.#context.includeUsage === true) chunk.usage = usage;
    return chunk;
  }

  #text(text: string, finishReason: CompletionChoice['finish_reason'] = null): CompletionChunk {
    return this.#chunk([{ index: 0, text, finish_reason: finishReason, logprobs: null }]);
  }

  push(line: OllamaGenerateResponse): CanonicalChunk[] {
    const out: CanonicalChunk[] = [];
    if (this.#finished) return out;
    if (!this.#started) {
      this.#started = true;
      if (this.#context.echo) out.push(this.#text(this.#context.echo));
    }
    if (typeof line.response === 'string' && line.response !== '') out.push(this.#text(line.response));
    if (line.done === true) {
      this.#finished = true;
      this.#usage = mapOllamaUsage(line);
      out.push(this.#text('', finishReasonOf(line.done_reason)));
    }
    return out;
  }

  /** The usage chunk, when Ollama reported counts; a stream cut before its `done: true` line is a failure, not a complete answer. */
  end(): CanonicalChunk[] {
    if (!this.#started) throw errors.upstreamBadResponse(this.#context.provider, 'the stream ended without any line');
    if (!this.#finished) throw errors.upstreamBadResponse(this.#context.provider, 'the stream ended before the answer was finished');
    return this.#usage ? [this.#chunk([], this.#usage)] : [];
  }
}

/**
 * An /api/generate NDJSON body as text_completion chunks, its first chunk read before the gateway
 * answers (readFirstItem): an error Ollama writes as the first line is then an ordinary HTTP
 * error, so retries and fallbacks still apply; a later error line is reported in-stream.
 */
export async function openOllamaGenerateStream(body: PieceInput, context: OllamaCompletionContext, mapError: StreamErrorMapper, signal?: AbortSignal): Promise<AsyncIterableIterator<CanonicalChunk>> {
  return readFirstItem(mapOllamaLines(body, new OllamaGenerateStreamMapper(context), context.provider, mapError, signal));
}
