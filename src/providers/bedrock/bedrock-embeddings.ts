import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { cohereInputTypeOf, type CohereInputType } from '../cohere-input-type.ts';

/**
 * Embeddings go through InvokeModel (POST /model/{modelId}/invoke), whose body is the model
 * family's own: Amazon Titan Text Embeddings takes one text per call, Cohere Embed a list.
 * Other families are refused rather than guessed at.
 */
export type EmbeddingFamily = 'titan' | 'cohere';

/** Cohere Embed takes at most 96 texts per call. */
export const cohereBatchSize = 96;

/** `amazon.titan-embed-text-v2:0`, `us.cohere.embed-v4:0`, an ARN ending in one: the family, or null. */
export function embeddingFamilyOf(modelId: string): EmbeddingFamily | null {
  if (/(^|[./])amazon\.titan-embed-(text|g1-text)/.test(modelId)) return 'titan';
  if (/(^|[./])cohere\.embed-/.test(modelId)) return 'cohere';
  return null;
}

/** The texts to embed: InvokeModel embeds text only, so OpenAI's token-id inputs cannot be sent. */
export function embeddingTexts(request: EmbeddingRequest): string[] {
  if (typeof request.input === 'string') return [request.input];
  const items = request.input as unknown[];
  if (!Array.isArray(items) || items.length === 0) throw errors.invalidRequest("'input' must be a string or a non-empty array of strings.", 'input');
  return items.map((item, index) => {
    if (typeof item !== 'string') throw errors.invalidRequest(`Provider 'bedrock' embeds text only; input[${index}] is not a string (token arrays are not supported).`, `input[${index}]`);
    return item;
  });
}

/** Titan v2's body for one text; `dimensions` (256, 512 or 1024) is Titan v2's own field. */
export function titanBody(text: string, request: EmbeddingRequest): Record<string, unknown> {
  return { inputText: text, ...(typeof request.dimensions === 'number' ? { dimensions: request.dimensions } : {}) };
}

/**
 * Cohere's body for up to 96 texts: the client's `input_type` when it sent one, else the
 * configured `inputType` (cohere-input-type.ts); `dimensions` is Embed v4's output_dimension.
 */
export function cohereBody(texts: string[], request: EmbeddingRequest, inputType: CohereInputType): Record<string, unknown> {
  const body: Record<string, unknown> = { texts, input_type: cohereInputTypeOf(request, inputType) };
  if (typeof request.dimensions === 'number') body.output_dimension = request.dimensions;
  return body;
}

/** Titan's answer: one vector and its token count. */
export function titanVector(answer: unknown, provider: string): { vector: number[]; tokens: number | undefined } {
  const { embedding, inputTextTokenCount } = (answer ?? {}) as { embedding?: unknown; inputTextTokenCount?: unknown };
  if (!Array.isArray(embedding)) throw errors.upstreamBadResponse(provider, 'the Titan answer has no embedding');
  return { vector: embedding as number[], tokens: typeof inputTextTokenCount === 'number' ? inputTextTokenCount : undefined };
}

/** Cohere's answer: `embeddings` is a list of vectors (embeddings_floats) or, by type, `{float: [...]}` (embeddings_by_type). */
export function cohereVectors(answer: unknown, expected: number, provider: string): number[][] {
  const embeddings = (answer as { embeddings?: unknown } | null)?.embeddings;
  const vectors = Array.isArray(embeddings) ? embeddings : (embeddings as { float?: unknown } | undefined)?.float;
  if (!Array.isArray(vectors) || vectors.length !== expected || vectors.some((vector) => !Array.isArray(vector))) {
    throw errors.upstreamBadResponse(provider, `expected ${expected} Cohere embedding(s)`);
  }
  return vectors as number[][];
}
