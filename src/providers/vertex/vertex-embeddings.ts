import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import { errors } from '../../errors/catalogue.ts';

/** The body of a text-embedding `:predict` call. */
export interface VertexEmbeddingBody {
  instances: Array<{ content: string; task_type?: string }>;
  parameters?: { outputDimensionality: number };
}

/** One prediction of a text-embedding model. */
interface VertexEmbeddingPrediction {
  embeddings?: { values?: unknown; statistics?: { token_count?: unknown } };
}

/**
 * Texts per `:predict` call: gemini-embedding models take one instance a call, the
 * text-embedding and text-multilingual-embedding models up to 250.
 */
export function vertexEmbeddingBatchSize(model: string): number {
  return /gemini-embedding/i.test(model) ? 1 : 250;
}

/** The instances of one call; `dimensions` becomes outputDimensionality, the task type (the client's, else the configured one) each instance's task_type. */
export function vertexEmbeddingBody(texts: string[], request: EmbeddingRequest, taskType: string | undefined): VertexEmbeddingBody {
  const body: VertexEmbeddingBody = { instances: texts.map((content) => (taskType ? { content, task_type: taskType } : { content })) };
  if (typeof request.dimensions === 'number') body.parameters = { outputDimensionality: request.dimensions };
  return body;
}

/**
 * The vectors of a `:predict` answer (`predictions[].embeddings.values`), in input order, and the
 * tokens Vertex counted (`statistics.token_count`, summed; undefined when one is missing).
 */
export function vertexEmbeddingVectors(answer: unknown, expected: number, provider: string): { vectors: number[][]; tokens: number | undefined } {
  const predictions = (answer as { predictions?: unknown } | null)?.predictions;
  if (!Array.isArray(predictions) || predictions.length !== expected) throw errors.upstreamBadResponse(provider, `expected ${expected} embedding prediction(s)`);
  const vectors: number[][] = [];
  let tokens: number | undefined = 0;
  for (const prediction of predictions as VertexEmbeddingPrediction[]) {
    const values = prediction?.embeddings?.values;
    if (!Array.isArray(values)) throw errors.upstreamBadResponse(provider, 'a prediction has no embeddings.values');
    vectors.push(values as number[]);
    const count = prediction.embeddings?.statistics?.token_count;
    tokens = tokens === undefined || typeof count !== 'number' ? undefined : tokens + count;
  }
  return { vectors, tokens };
}
