import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { estimateTokens } from '../../usage/estimate-tokens.ts';
import type { OllamaEmbedRequest, OllamaEmbedResponse } from './ollama-api.ts';

/** The texts to embed. Ollama embeds text only; OpenAI's token-id inputs cannot be sent. */
function embeddingInputs(request: EmbeddingRequest): string[] {
  if (typeof request.input === 'string') return [request.input];
  const items = request.input as unknown[];
  if (!Array.isArray(items) || items.length === 0) throw errors.invalidRequest("'input' must not be empty.", 'input');
  return items.map((item, index) => {
    if (typeof item !== 'string') throw errors.invalidRequest(`Provider 'ollama' embeds text only; input[${index}] is not a string (token arrays are not supported).`, `input[${index}]`);
    return item;
  });
}

/**
 * An OpenAI embeddings request as an /api/embed body: `input` as one string or an array (Ollama
 * takes both, in order); `dimensions` is passed on (models that cannot shorten their vectors
 * answer with an error).
 */
export function convertToOllamaEmbedRequest(request: EmbeddingRequest, model: string, keepAlive?: string | number): { body: OllamaEmbedRequest; inputs: string[] } {
  const inputs = embeddingInputs(request);
  const body: OllamaEmbedRequest = { model, input: typeof request.input === 'string' ? request.input : inputs };
  if (typeof request.dimensions === 'number') body.dimensions = request.dimensions;
  if (keepAlive !== undefined) body.keep_alive = keepAlive;
  return { body, inputs };
}

/** float32 little-endian bytes in base64, as OpenAI sends `encoding_format: base64` (the openai SDK's default). */
function toBase64(values: number[]): string {
  const floats = new Float32Array(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/**
 * Ollama's embeddings as OpenAI's list, in input order. prompt_eval_count is the usage; when
 * Ollama leaves it out, the usage is the gateway's estimate, marked `estimated`.
 */
export function convertOllamaEmbeddings(body: OllamaEmbedResponse, inputs: string[], request: EmbeddingRequest, provider: string): EmbeddingResponse {
  const vectors = body.embeddings;
  if (!Array.isArray(vectors) || vectors.length !== inputs.length || vectors.some((vector) => !Array.isArray(vector))) {
    throw errors.upstreamBadResponse(provider, `expected ${inputs.length} embedding(s)`);
  }
  const base64 = request.encoding_format === 'base64';
  const data = vectors.map((vector, index) => ({ object: 'embedding' as const, index, embedding: base64 ? toBase64(vector) : vector }));
  if (typeof body.prompt_eval_count === 'number') {
    return { object: 'list', data, model: request.model, usage: { prompt_tokens: body.prompt_eval_count, total_tokens: body.prompt_eval_count } };
  }
  const tokens = inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
  return { object: 'list', data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens, estimated: true } };
}
