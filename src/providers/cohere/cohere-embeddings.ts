import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';
import { cohereInputTypeOf, type CohereInputType } from '../cohere-input-type.ts';
import { embeddingTexts } from '../embedding-texts.ts';
import { toEmbeddingResponse } from '../to-embedding-response.ts';
import type { CohereEmbedRequest, CohereEmbedResponse } from './cohere-api.ts';

/** Cohere's input_type when neither the client nor the provider option `embedding_input_type` names another: texts stored for search. */
export const defaultEmbeddingInputType: CohereInputType = 'search_document';

/**
 * The most texts one /v2/embed call takes ("Maximum number of texts per call is 96",
 * docs.cohere.com/reference/embed). OpenAI takes up to 2048 inputs, so a larger request is sent
 * as several calls.
 */
export const cohereEmbedBatchSize = 96;

/**
 * An OpenAI embeddings request as Cohere /v2/embed bodies, one per batch of at most `batchSize`
 * texts, in input order (one body for most requests). Cohere requires input_type for its v3+
 * models: the client's own `input_type` (an extra body field) wins over `inputType`, the
 * provider's configured one (cohere-input-type.ts); `dimensions` is Cohere's `output_dimension`
 * (embed-v4.0). Floats are always asked for: base64 is made here when the client wants it, since
 * Cohere's own base64 type is not OpenAI's float32 encoding.
 */
export function convertToCohereEmbedRequests(request: EmbeddingRequest, model: string, provider: string, configuredInputType: string = defaultEmbeddingInputType, batchSize = cohereEmbedBatchSize): CohereEmbedRequest[] {
  const inputType = cohereInputTypeOf(request, configuredInputType);
  const texts = embeddingTexts(request, provider);
  const bodies: CohereEmbedRequest[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    const body: CohereEmbedRequest = { model, texts: texts.slice(start, start + batchSize), input_type: inputType, embedding_types: ['float'] };
    if (typeof request.dimensions === 'number') body.output_dimension = request.dimensions;
    bodies.push(body);
  }
  return bodies;
}

/** One batch's vectors (`embeddings.float`, in the batch's order), checked to be one per text it sent. */
function vectorsOf(response: CohereEmbedResponse, body: CohereEmbedRequest, provider: string): number[][] {
  const vectors = response.embeddings?.float;
  if (!Array.isArray(vectors) || vectors.length !== body.texts.length || vectors.some((vector) => !Array.isArray(vector))) {
    throw errors.upstreamBadResponse(provider, `expected ${body.texts.length} float embedding(s)`);
  }
  return vectors;
}

/**
 * Cohere's answers to the batches of one request (`responses[i]` answering `bodies[i]`) as one
 * OpenAI list in input order. Usage is the sum of Cohere's billed input tokens; when any batch
 * reports none it is the gateway's estimate over all texts, marked `estimated`.
 */
export function convertCohereEmbeddings(responses: CohereEmbedResponse[], bodies: CohereEmbedRequest[], request: EmbeddingRequest, provider: string): EmbeddingResponse {
  const vectors = responses.flatMap((response, index) => vectorsOf(response, bodies[index], provider));
  const texts = bodies.flatMap((body) => body.texts);
  let billed: number | undefined = 0;
  for (const response of responses) {
    const tokens = response.meta?.billed_units?.input_tokens;
    billed = typeof tokens === 'number' && billed !== undefined ? billed + tokens : undefined;
  }
  return toEmbeddingResponse(vectors, texts, billed, request);
}
