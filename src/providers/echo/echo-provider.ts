import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatChunk, ChatRequest, ChatResponse, Usage } from '../../canonical/chat.ts';
import type { CompletionRequest, CompletionResponse } from '../../canonical/completions.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embeddings.ts';
import type { CanonicalChunk, Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { estimateTokens } from '../../usage/estimate-tokens.ts';
import type { Provider, ProviderCall, ProviderReply, ProviderSettings } from '../provider.ts';
import { echoAnswer, promptText, splitIntoPieces } from './echo-answer.ts';

/**
 * The built-in TEST provider. It calls no model: it answers with the last user message,
 * streams it in several chunks, and reports token usage (estimated by the gateway's
 * estimator). Use it to try the whole pipeline offline; never for real traffic.
 * Options: chunk_delay_ms (pause between stream chunks), max_chunks (default 8).
 */
export class EchoProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = null;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'completions', 'embeddings']);
  readonly #delayMs: number;
  readonly #maxChunks: number;

  constructor(settings: ProviderSettings) {
    this.settings = settings;
    this.#delayMs = Number(settings.options.chunk_delay_ms ?? 0);
    this.#maxChunks = Math.max(1, Number(settings.options.max_chunks ?? 8));
  }

  async send(call: ProviderCall): Promise<ProviderReply> {
    switch (call.operation) {
      case 'chat':
        return this.#chat(call.request as ChatRequest, call);
      case 'completions':
        return this.#completion(call.request as CompletionRequest, call);
      case 'embeddings':
        return { kind: 'response', response: this.#embeddings(call.request as EmbeddingRequest) };
      default:
        throw errors.operationNotSupported(this.settings.name, call.operation);
    }
  }

  #chat(request: ChatRequest, call: ProviderCall): ProviderReply {
    const answer = echoAnswer(request);
    const usage = usageOf(promptText(request), answer);
    const id = `chatcmpl-echo-${call.requestId}`;
    const created = Math.floor(Date.now() / 1000);
    if (!call.stream) {
      const response: ChatResponse = {
        id,
        object: 'chat.completion',
        created,
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage,
        system_fingerprint: null,
      };
      return { kind: 'response', response };
    }
    const base = { id, object: 'chat.completion.chunk' as const, created, model: request.model, system_fingerprint: null };
    const chunks: ChatChunk[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
    for (const piece of splitIntoPieces(answer, this.#maxChunks)) {
      chunks.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    }
    chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    // Always reported, like every translated stream; the gateway shows it only to clients that asked.
    chunks.push({ ...base, choices: [], usage });
    return { kind: 'stream', chunks: this.#paced(chunks, call.signal) };
  }

  #completion(request: CompletionRequest, call: ProviderCall): ProviderReply {
    const prompt = Array.isArray(request.prompt) ? request.prompt.map(String).join('\n') : String(request.prompt);
    const usage = usageOf(prompt, prompt);
    const id = `cmpl-echo-${call.requestId}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, object: 'text_completion' as const, created, model: request.model };
    if (!call.stream) {
      const response: CompletionResponse = { ...base, choices: [{ index: 0, text: prompt, finish_reason: 'stop', logprobs: null }], usage };
      return { kind: 'response', response };
    }
    const chunks: CanonicalChunk[] = splitIntoPieces(prompt, this.#maxChunks).map((piece) => ({ ...base, choices: [{ index: 0, text: piece, finish_reason: null, logprobs: null }] }));
    chunks.push({ ...base, choices: [{ index: 0, text: '', finish_reason: 'stop', logprobs: null }] });
    chunks.push({ ...base, choices: [], usage });
    return { kind: 'stream', chunks: this.#paced(chunks, call.signal) };
  }

  #embeddings(request: EmbeddingRequest): EmbeddingResponse {
    const inputs = typeof request.input === 'string' ? [request.input] : (request.input as unknown[]).map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
    const dimensions = request.dimensions ?? 16;
    const asBase64 = request.encoding_format === 'base64';
    const data = inputs.map((input, index) => {
      const vector = pseudoEmbedding(input, dimensions);
      // As OpenAI does: base64 of little-endian float32 values (the openai SDK asks for this by default).
      const embedding = asBase64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding' as const, index, embedding };
    });
    const tokens = inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
    return { object: 'list', data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  }

  async *#paced(chunks: CanonicalChunk[], signal: AbortSignal): AsyncIterable<CanonicalChunk> {
    for (let index = 0; index < chunks.length; index++) {
      if (index > 0 && this.#delayMs > 0) {
        try {
          await sleep(this.#delayMs, undefined, { signal });
        } catch (error) {
          // What ended the call (the drain's 503 shutting_down, the client's leaving), as a provider's call would end with it.
          signal.throwIfAborted();
          throw error;
        }
      }
      yield chunks[index];
    }
  }
}

function usageOf(prompt: string, answer: string): Usage {
  const promptTokens = estimateTokens(prompt);
  const completionTokens = estimateTokens(answer);
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** A deterministic unit vector from the text's hash: same text, same vector. */
function pseudoEmbedding(text: string, dimensions: number): number[] {
  const vector: number[] = [];
  let seed = createHash('sha256').update(text).digest();
  while (vector.length < dimensions) {
    for (let offset = 0; offset + 4 <= seed.length && vector.length < dimensions; offset += 4) vector.push(seed.readInt32LE(offset) / 2 ** 31);
    seed = createHash('sha256').update(seed).digest();
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
