import type { EmbeddingRequest } from '../canonical/embeddings.ts';
import { errors } from '../errors/catalogue.ts';

/**
 * Cohere Embed's `input_type` for text (docs.cohere.com/reference/embed; the same field in
 * Bedrock's Cohere Embed body): what the vectors are for. Queries must be embedded as
 * `search_query` and the documents they search as `search_document`.
 */
export type CohereInputType = 'search_document' | 'search_query' | 'classification' | 'clustering';

const textInputTypes: ReadonlySet<string> = new Set<CohereInputType>(['search_document', 'search_query', 'classification', 'clustering']);

/**
 * The `input_type` a client sent as an extra body field (LangChain, LlamaIndex and the OpenAI
 * SDK's `extra_body` send Cohere's own name), else `fallback` (the provider's configured one,
 * checked where it is configured). A
 * value Cohere does not take for text is a 400 naming the field: sent on, it would fail at Cohere
 * or, worse, be a silent mismatch between query and document vectors. `image` is Cohere's type for
 * image inputs, which the OpenAI embeddings shape does not carry.
 */
export function cohereInputTypeOf(request: EmbeddingRequest, fallback: string): string {
  const sent = request.input_type;
  if (sent === undefined || sent === null) return fallback;
  if (typeof sent === 'string' && textInputTypes.has(sent)) return sent;
  const image = sent === 'image' ? " ('image' is for image inputs; the gateway sends text)" : '';
  throw errors.invalidRequest(`Invalid value for 'input_type': expected one of 'search_document', 'search_query', 'classification', 'clustering'${image}.`, 'input_type');
}
