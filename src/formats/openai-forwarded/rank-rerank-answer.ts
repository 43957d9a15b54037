/**
 * A rerank server's answer (Cohere's shape, from an `openai-compatible` server or a preset) as the
 * gateway promises it: results by `relevance_score`, highest first, each keeping its `index`
 * (equal scores keep the server's order), and no more of them than the request's `top_n`. vLLM,
 * TEI and Jina already answer so, and then their bytes go out as they came; an answer the gateway
 * cannot read as rerank results (no `results` list, a result without a numeric score) is left as
 * it came too, for the client to judge.
 */
export function rankRerankAnswer(body: Buffer, topN: unknown): Buffer {
  let answer: unknown;
  try {
    answer = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return body;
  const results = (answer as { results?: unknown }).results;
  if (!Array.isArray(results) || !results.every(hasScore)) return body;
  const limit = Number.isInteger(topN) && (topN as number) > 0 ? (topN as number) : results.length;
  // Array.prototype.sort is stable: results with the same score stay in the server's order.
  const ranked = [...results].sort((first, second) => second.relevance_score - first.relevance_score).slice(0, limit);
  if (ranked.length === results.length && ranked.every((result, position) => result === results[position])) return body;
  return Buffer.from(JSON.stringify({ ...answer, results: ranked }));
}

function hasScore(result: unknown): result is { relevance_score: number } {
  return result !== null && typeof result === 'object' && typeof (result as { relevance_score?: unknown }).relevance_score === 'number' && Number.isFinite((result as { relevance_score: number }).relevance_score);
}
