import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { embeddingTexts } from '../embedding-texts.ts';
import { toEmbeddingResponse } from '../to-embedding-response.ts';
import type { OllamaEmbedRequest, OllamaEmbedResponse } from './ollama-api.ts';

/**
 * An OpenAI embeddings request as an /api/embed body: `input` as one string or an array (Ollama
 * takes both, in order); `dimensions` is passed on (models that cannot shorten their vectors
 * answer with an error).
 */
export function convertToOllamaEmbedRequest(request: EmbeddingRequest, model: string, keepAlive?: string | number): { body: OllamaEmbedRequest; inputs: string[] } {
  // Not given the configured provider name here: the message names the adapter.
  const inputs = embeddingTexts(request, 'ollama');
  const body: OllamaEmbedRequest = { model, input: typeof request.input === 'string' ? request.input : inputs };
  if (typeof request.dimensions === 'number') body.dimensions = request.dimensions;
  if (keepAlive !== undefined) body.keep_alive = keepAlive;
  return { body, inputs };
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
  return toEmbeddingResponse(vectors, inputs, typeof body.prompt_eval_count === 'number' ? body.prompt_eval_count : undefined, request);
}
