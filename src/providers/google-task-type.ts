import type { EmbeddingRequest } from '../canonical/embeddings.ts';
import { errors } from '../errors/catalogue.ts';

/**
 * The embedding task type of a Gemini or Vertex call (Gemini's `taskType`, Vertex's `task_type`:
 * RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, SEMANTIC_SIMILARITY, CLASSIFICATION, CLUSTERING,
 * QUESTION_ANSWERING, FACT_VERIFICATION, CODE_RETRIEVAL_QUERY, ...): the client's own `task_type`
 * (or `taskType`), sent as an extra body field, else `configured` (the provider option
 * `embedding_task_type`), else none (Google's default). The name is upper-cased, as Google's enum
 * is; a value that is not such a name is a 400 naming the field. Google's list grows, so a
 * well-formed name it does not know is left for Google to refuse.
 */
export function googleTaskTypeOf(request: EmbeddingRequest, configured: string | undefined): string | undefined {
  const field = request.task_type !== undefined && request.task_type !== null ? 'task_type' : 'taskType';
  const sent = request[field];
  if (sent === undefined || sent === null) return configured;
  if (typeof sent !== 'string' || !/^[A-Za-z][A-Za-z_]*$/.test(sent)) {
    throw errors.invalidRequest(`Invalid value for '${field}': expected a task type such as 'RETRIEVAL_QUERY' or 'RETRIEVAL_DOCUMENT'.`, field);
  }
  return sent.toUpperCase();
}
