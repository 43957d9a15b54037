import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { embeddingTexts } from '../embedding-texts.ts';
import { toEmbeddingResponse } from '../to-embedding-response.ts';
import type { GeminiBatchEmbedContentsResponse, GeminiEmbedContentRequest, GeminiEmbedContentResponse } from './gemini-api.ts';

/** One Gemini embedding call: which method, and its body. */
export interface GeminiEmbeddingCall {
  method: 'embedContent' | 'batchEmbedContents';
  body: GeminiEmbedContentRequest | { requests: GeminiEmbedContentRequest[] };
  inputs: string[];
}

/**
 * An OpenAI embeddings request as :embedContent (one input) or :batchEmbedContents (several, in
 * order). `dimensions` becomes outputDimensionality; taskType comes from the provider option
 * `embedding_task_type` (RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, SEMANTIC_SIMILARITY, ...).
 */
export function convertToGeminiEmbeddingCall(request: EmbeddingRequest, modelPath: string, taskType?: string): GeminiEmbeddingCall {
  // Not given the configured provider name here: the message names the adapter.
  const inputs = embeddingTexts(request, 'gemini');
  const one = (text: string): GeminiEmbedContentRequest => ({
    model: modelPath,
    content: { parts: [{ text }] },
    ...(taskType ? { taskType } : {}),
    ...(typeof request.dimensions === 'number' ? { outputDimensionality: request.dimensions } : {}),
  });
  if (inputs.length === 1) return { method: 'embedContent', body: one(inputs[0]), inputs };
  return { method: 'batchEmbedContents', body: { requests: inputs.map(one) }, inputs };
}

/**
 * Gemini's embeddings as OpenAI's list. Gemini reports no token usage for embeddings, so the
 * usage is the gateway's estimate, marked `estimated`.
 */
export function convertGeminiEmbeddings(body: GeminiEmbedContentResponse & GeminiBatchEmbedContentsResponse, call: GeminiEmbeddingCall, request: EmbeddingRequest, provider: string): EmbeddingResponse {
  const vectors = call.method === 'embedContent' ? [body.embedding?.values] : (body.embeddings ?? []).map((item) => item.values);
  if (vectors.length !== call.inputs.length || vectors.some((vector) => !Array.isArray(vector))) {
    throw errors.upstreamBadResponse(provider, `expected ${call.inputs.length} embedding(s)`);
  }
  return toEmbeddingResponse(vectors as number[][], call.inputs, undefined, request);
}
