import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { estimateTokens } from '../../usage/estimate-tokens.ts';
import type { CohereEmbedRequest, CohereEmbedResponse } from './cohere-api.ts';

/** Cohere's input_type when the provider option `embedding_input_type` does not name another: texts stored for search. */
export const defaultEmbeddingInputType = 'search_document';

/** The texts to embed. Cohere embeds text (and images, not mapped); OpenAI's token-id inputs cannot be sent. */
function embeddingTexts(request: EmbeddingRequest, provider: string): string[] {
  if (typeof request.input === 'string') return [request.input];
  const items = request.input as unknown[];
  if (!Array.isArray(items) || items.length === 0) throw errors.invalidRequest("'input' must not be empty.", 'input');
  return items.map((item, index) => {
    if (typeof item !== 'string') throw errors.invalidRequest(`Provider '${provider}' embeds text only; input[${index}] is not a string (token arrays are not supported).`, `input[${index}]`);
    return item;
  });
}

/**
 * An OpenAI embeddings request as a Cohere /v2/embed body. Cohere requires input_type for its v3+
 * models (search_document, search_query, classification, clustering); `dimensions` is Cohere's
 * `output_dimension` (embed-v4.0). Floats are always asked for: base64 is made here when the
 * client wants it, since Cohere's own base64 type is not OpenAI's float32 encoding.
 */
export function convertToCohereEmbedRequest(request: EmbeddingRequest, model: string, provider: string, inputType = defaultEmbeddingInputType): CohereEmbedRequest {
  const body: CohereEmbedRequest = { model, texts: embeddingTexts(request, provider), input_type: inputType, embedding_types: ['float'] };
  if (typeof request.dimensions === 'number') body.output_dimension = request.dimensions;
  return body;
}

/** float32 little-endian bytes in base64, as OpenAI sends `encoding_format: base64` (the openai SDK's default). */
function toBase64(values: number[]): string {
  const floats = new Float32Array(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/**
 * Cohere's embeddings (`embeddings.float`, in input order) as OpenAI's list. Usage is Cohere's
 * billed input tokens; when Cohere reports none it is the gateway's estimate, marked `estimated`.
 */
export function convertCohereEmbeddings(response: CohereEmbedResponse, body: CohereEmbedRequest, request: EmbeddingRequest, provider: string): EmbeddingResponse {
  const vectors = response.embeddings?.float;
  if (!Array.isArray(vectors) || vectors.length !== body.texts.length || vectors.some((vector) => !Array.isArray(vector))) {
    throw errors.upstreamBadResponse(provider, `expected ${body.texts.length} float embedding(s)`);
  }
  const base64 = request.encoding_format === 'base64';
  const data = vectors.map((vector, index) => ({ object: 'embedding' as const, index, embedding: base64 ? toBase64(vector) : vector }));
  const billed = response.meta?.billed_units?.input_tokens;
  if (typeof billed === 'number') return { object: 'list', data, model: request.model, usage: { prompt_tokens: billed, total_tokens: billed } };
  const estimated = body.texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return { object: 'list', data, model: request.model, usage: { prompt_tokens: estimated, total_tokens: estimated, estimated: true } };
}
