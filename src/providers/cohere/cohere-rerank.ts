import type { RerankRequest } from '../../canonical/forwarded.ts';
import { errors } from '../../errors/catalogue.ts';
import type { CohereRerankRequest, CohereRerankResponse, CohereRerankResult } from './cohere-api.ts';

/** A rerank answer as the client gets it: Cohere's, with each document's text when it was asked for. */
export interface RerankAnswer {
  id: string;
  results: Array<CohereRerankResult & { document?: { text: string } }>;
  meta?: Record<string, unknown>;
}

/**
 * A client's rerank request as Cohere's /v2/rerank body: `{ text }` documents become their text (v2
 * takes strings only), and `return_documents`, which v2 no longer has, is answered by the gateway
 * (withDocuments). Fields v2 does not know are left out rather than refused by Cohere.
 */
export function convertToCohereRerankRequest(request: RerankRequest, model: string, texts: string[] = documentTexts(request)): CohereRerankRequest {
  const body: CohereRerankRequest = { model, query: request.query, documents: texts };
  if (typeof request.top_n === 'number') body.top_n = request.top_n;
  if (typeof request.max_tokens_per_doc === 'number') body.max_tokens_per_doc = request.max_tokens_per_doc;
  return body;
}

/** The text of every document, in order (the gateway checked each is a string or has a string `text`). */
export function documentTexts(request: RerankRequest): string[] {
  return request.documents.map((document) => (typeof document === 'string' ? document : document.text));
}

/**
 * Cohere's answer for the client: results checked and sorted by relevance (highest first), with
 * `document.text` added from the request when the client set `return_documents`. `meta` (search
 * units billed) passes as it came; it is not token usage and is not counted as such.
 */
export function convertCohereRerankResponse(response: CohereRerankResponse, texts: string[], returnDocuments: boolean, fallbackId: string, provider: string): RerankAnswer {
  const results = response.results;
  if (!Array.isArray(results) || results.some((result) => !isResult(result, texts.length))) {
    throw errors.upstreamBadResponse(provider, 'expected rerank results with an index and a relevance_score');
  }
  const ordered = results.map((result) => (returnDocuments ? { index: result.index, relevance_score: result.relevance_score, document: { text: texts[result.index] } } : { index: result.index, relevance_score: result.relevance_score }));
  ordered.sort((first, second) => second.relevance_score - first.relevance_score);
  const answer: RerankAnswer = { id: typeof response.id === 'string' ? response.id : fallbackId, results: ordered };
  if (response.meta !== undefined && response.meta !== null && typeof response.meta === 'object') answer.meta = response.meta;
  return answer;
}

function isResult(result: unknown, documentCount: number): result is CohereRerankResult {
  if (result === null || typeof result !== 'object') return false;
  const { index, relevance_score: score } = result as Partial<CohereRerankResult>;
  return Number.isInteger(index) && (index as number) >= 0 && (index as number) < documentCount && typeof score === 'number';
}
