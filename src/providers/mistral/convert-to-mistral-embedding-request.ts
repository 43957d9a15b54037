import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import { embeddingTexts } from '../embedding-texts.ts';

export interface MistralEmbeddingRequest {
  request: EmbeddingRequest;
  /** What changed, for the debug log; empty when nothing did (the client's bytes can then go as they are). */
  changes: string[];
}

/**
 * An OpenAI embeddings request as Mistral's POST /v1/embeddings takes it (docs.mistral.ai/api,
 * endpoint/embeddings: `model`, `input`, `output_dimension`, `output_dtype`, `encoding_format`
 * float or base64, `metadata`; any other field is a 422 `extra_forbidden`):
 * - `dimensions` becomes `output_dimension` (an explicit `output_dimension` wins);
 * - `user` is left out quietly: an end-user id for abuse tracking, which Mistral has no field for
 *   and which changes nothing in the vectors;
 * - token-id inputs (arrays of numbers) are refused with a 400 naming the input, as for the
 *   other providers that embed text only, instead of Mistral's 422.
 * Mistral's own fields pass; anything else is left for Mistral to judge (its 422 names the field).
 * The input is never changed.
 */
export function convertToMistralEmbeddingRequest(request: EmbeddingRequest, provider: string): MistralEmbeddingRequest {
  embeddingTexts(request, provider);
  const changes: string[] = [];
  if (request.dimensions === undefined && request.user === undefined) return { request, changes };
  const { dimensions, user, ...rest } = request;
  const out: EmbeddingRequest = rest;
  if (dimensions !== undefined) {
    if (dimensions !== null && (out.output_dimension === undefined || out.output_dimension === null)) out.output_dimension = dimensions;
    changes.push('renamed dimensions -> output_dimension');
  }
  if (user !== undefined) changes.push('dropped user');
  return { request: out, changes };
}
