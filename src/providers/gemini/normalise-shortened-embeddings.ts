import type { EmbeddingRequest } from '../../canonical/embeddings.ts';

/** `vector` scaled to length 1 (L2); a zero vector stays as it is. */
export function unitLength(vector: number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum === 0 || !Number.isFinite(sum)) return vector;
  const norm = Math.sqrt(sum);
  return vector.map((value) => value / norm);
}

/**
 * Google normalises only gemini-embedding's full-size (3072) vectors and tells callers to
 * normalise those shortened with outputDimensionality; OpenAI's embeddings are always unit length,
 * and code written for them compares by dot product. So a request that set `dimensions` gets its
 * vectors scaled to length 1 (a vector that already is one is left as good as unchanged), on the
 * gemini and vertex providers alike, before any base64 encoding.
 */
export function normaliseShortenedEmbeddings(vectors: number[][], request: Pick<EmbeddingRequest, 'dimensions'>): number[][] {
  return typeof request.dimensions === 'number' ? vectors.map(unitLength) : vectors;
}
