import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { embeddingTexts } from '../embedding-texts.ts';
import { toEmbeddingResponse } from '../to-embedding-response.ts';
import type { CohereEmbedRequest, CohereEmbedResponse } from './cohere-api.ts';

/** Cohere's input_type when the provider option `embedding_input_type` does not name another: texts stored for search. */
export const defaultEmbeddingInputType = 'search_document';

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

/**
 * Cohere's embeddings (`embeddings.float`, in input order) as OpenAI's list. Usage is Cohere's
 * billed input tokens; when Cohere reports none it is the gateway's estimate, marked `estimated`.
 */
export function convertCohereEmbeddings(response: CohereEmbedResponse, body: CohereEmbedRequest, request: EmbeddingRequest, provider: string): EmbeddingResponse {
  const vectors = response.embeddings?.float;
  if (!Array.isArray(vectors) || vectors.length !== body.texts.length || vectors.some((vector) => !Array.isArray(vector))) {
    throw errors.upstreamBadResponse(provider, `expected ${body.texts.length} float embedding(s)`);
  }
  const billed = response.meta?.billed_units?.input_tokens;
  return toEmbeddingResponse(vectors, body.texts, typeof billed === 'number' ? billed : undefined, request);
}
