import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { estimateTokens } from '../../usage/estimate-tokens.ts';
import type { GeminiBatchEmbedContentsResponse, GeminiEmbedContentRequest, GeminiEmbedContentResponse } from './gemini-api.ts';

/** One Gemini embedding call: which method, and its body. */
export interface GeminiEmbeddingCall {
  method: 'embedContent' | 'batchEmbedContents';
  body: GeminiEmbedContentRequest | { requests: GeminiEmbedContentRequest[] };
  inputs: string[];
}

/** The texts to embed. Gemini embeds text only; OpenAI's token-id inputs cannot be sent. */
export function embeddingInputs(request: EmbeddingRequest): string[] {
  if (typeof request.input === 'string') return [request.input];
  const items = request.input as unknown[];
  if (items.length === 0) throw errors.invalidRequest("'input' must not be empty.", 'input');
  return items.map((item, index) => {
    if (typeof item !== 'string') throw errors.invalidRequest(`Provider 'gemini' embeds text only; input[${index}] is not a string (token arrays are not supported).`, `input[${index}]`);
    return item;
  });
}

/**
 * An OpenAI embeddings request as :embedContent (one input) or :batchEmbedContents (several, in
 * order). `dimensions` becomes outputDimensionality; taskType comes from the provider option
 * `embedding_task_type` (RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, SEMANTIC_SIMILARITY, ...).
 */
export function convertToGeminiEmbeddingCall(request: EmbeddingRequest, modelPath: string, taskType?: string): GeminiEmbeddingCall {
  const inputs = embeddingInputs(request);
  const one = (text: string): GeminiEmbedContentRequest => ({
    model: modelPath,
    content: { parts: [{ text }] },
    ...(taskType ? { taskType } : {}),
    ...(typeof request.dimensions === 'number' ? { outputDimensionality: request.dimensions } : {}),
  });
  if (inputs.length === 1) return { method: 'embedContent', body: one(inputs[0]), inputs };
  return { method: 'batchEmbedContents', body: { requests: inputs.map(one) }, inputs };
}

/** float32 little-endian bytes in base64, as OpenAI sends `encoding_format: base64` (the openai SDK's default). */
function toBase64(values: number[]): string {
  const floats = new Float32Array(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
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
  const base64 = request.encoding_format === 'base64';
  const data = (vectors as number[][]).map((vector, index) => ({ object: 'embedding' as const, index, embedding: base64 ? toBase64(vector) : vector }));
  const tokens = call.inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
  return { object: 'list', data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens, estimated: true } };
}
