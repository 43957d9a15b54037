import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { embeddingTexts } from '../embedding-texts.ts';
import { googleTaskTypeOf } from '../google-task-type.ts';
import type { GeminiBatchEmbedContentsResponse, GeminiEmbedContentRequest, GeminiEmbedContentResponse } from './gemini-api.ts';

/** One Gemini embedding call: which method, its body, and the texts it embeds. */
export interface GeminiEmbeddingCall {
  method: 'embedContent' | 'batchEmbedContents';
  body: GeminiEmbedContentRequest | { requests: GeminiEmbedContentRequest[] };
  inputs: string[];
}

/** Most requests one :batchEmbedContents takes ("at most 100 requests can be in one batch"). */
export const geminiEmbeddingBatchSize = 100;

/**
 * An OpenAI embeddings request as Gemini calls: :embedContent for one input, else
 * :batchEmbedContents with at most 100 inputs each, in input order (OpenAI takes up to 2048
 * inputs a call). `dimensions` becomes outputDimensionality; taskType is the client's `task_type`
 * (or `taskType`) when it sent one, else `configuredTaskType`, the provider option
 * `embedding_task_type` (RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, SEMANTIC_SIMILARITY, ...).
 */
export function convertToGeminiEmbeddingCalls(request: EmbeddingRequest, modelPath: string, configuredTaskType?: string): GeminiEmbeddingCall[] {
  const taskType = googleTaskTypeOf(request, configuredTaskType);
  // Not given the configured provider name here: the message names the adapter.
  const inputs = embeddingTexts(request, 'gemini');
  const one = (text: string): GeminiEmbedContentRequest => ({
    model: modelPath,
    content: { parts: [{ text }] },
    ...(taskType ? { taskType } : {}),
    ...(typeof request.dimensions === 'number' ? { outputDimensionality: request.dimensions } : {}),
  });
  if (inputs.length === 1) return [{ method: 'embedContent', body: one(inputs[0]), inputs }];
  const calls: GeminiEmbeddingCall[] = [];
  for (let start = 0; start < inputs.length; start += geminiEmbeddingBatchSize) {
    const batch = inputs.slice(start, start + geminiEmbeddingBatchSize);
    calls.push({ method: 'batchEmbedContents', body: { requests: batch.map(one) }, inputs: batch });
  }
  return calls;
}

/** The vectors of one call's answer, in its inputs' order; a count mismatch is an upstream_bad_response. */
export function geminiEmbeddingVectors(body: GeminiEmbedContentResponse & GeminiBatchEmbedContentsResponse, call: GeminiEmbeddingCall, provider: string): number[][] {
  const vectors = call.method === 'embedContent' ? [body.embedding?.values] : (body.embeddings ?? []).map((item) => item.values);
  if (vectors.length !== call.inputs.length || vectors.some((vector) => !Array.isArray(vector))) {
    throw errors.upstreamBadResponse(provider, `expected ${call.inputs.length} embedding(s)`);
  }
  return vectors as number[][];
}
