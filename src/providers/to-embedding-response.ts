import type { EmbeddingRequest, EmbeddingResponse } from '../canonical/embeddings.ts';
import { estimateTokens } from '../usage/estimate-tokens.ts';

/** float32 little-endian bytes in base64, as OpenAI sends `encoding_format: base64` (the openai SDK's default). */
function float32Base64(values: number[]): string {
  const floats = new Float32Array(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/**
 * A translated provider's vectors as OpenAI's embeddings list, in input order, each as floats or,
 * when the client asked for `encoding_format: base64`, as OpenAI's float32 base64. `tokens` is
 * the usage the provider reported; when it reports none, the usage is the gateway's estimate
 * over `texts`, marked `estimated`, so a client can tell a guess from a bill.
 */
export function toEmbeddingResponse(vectors: number[][], texts: string[], tokens: number | undefined, request: EmbeddingRequest): EmbeddingResponse {
  const base64 = request.encoding_format === 'base64';
  const data = vectors.map((vector, index) => ({ object: 'embedding' as const, index, embedding: base64 ? float32Base64(vector) : vector }));
  if (tokens !== undefined) return { object: 'list', data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  const estimate = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return { object: 'list', data, model: request.model, usage: { prompt_tokens: estimate, total_tokens: estimate, estimated: true } };
}
