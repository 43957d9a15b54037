import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RerankRequest } from '../../../src/canonical/forwarded.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertCohereRerankResponse, convertToCohereRerankRequest, documentTexts } from '../../../src/providers/cohere/cohere-rerank.ts';
import { forwardedUsage } from '../../../src/formats/openai-forwarded/forwarded-usage.ts';

describe('Cohere rerank mapping', () => {
  const request: RerankRequest = { model: 'cohere/rerank-v3.5', query: 'q', documents: ['a', { text: 'b', title: 'B' }, 'c'], top_n: 2, return_documents: true, rank_fields: ['text'] };

  it('the /v2/rerank body: texts only, top_n and max_tokens_per_doc kept, fields v2 lacks left out', () => {
    assert.deepEqual(documentTexts(request), ['a', 'b', 'c']);
    assert.deepEqual(convertToCohereRerankRequest(request, 'rerank-v3.5'), { model: 'rerank-v3.5', query: 'q', documents: ['a', 'b', 'c'], top_n: 2 });
    assert.deepEqual(convertToCohereRerankRequest({ ...request, top_n: undefined, max_tokens_per_doc: 100 }, 'm'), { model: 'm', query: 'q', documents: ['a', 'b', 'c'], max_tokens_per_doc: 100 });
  });

  it('the answer: sorted by relevance, documents added when asked, meta kept, an id made when missing', () => {
    const answer = convertCohereRerankResponse({ results: [{ index: 2, relevance_score: 0.2 }, { index: 1, relevance_score: 0.7 }], meta: { billed_units: { search_units: 1 } } }, ['a', 'b', 'c'], true, 'rerank-req-1', 'cohere');
    assert.deepEqual(answer, {
      id: 'rerank-req-1',
      results: [
        { index: 1, relevance_score: 0.7, document: { text: 'b' } },
        { index: 2, relevance_score: 0.2, document: { text: 'c' } },
      ],
      meta: { billed_units: { search_units: 1 } },
    });
    const plain = convertCohereRerankResponse({ id: 'x', results: [{ index: 0, relevance_score: 0.5 }] }, ['a'], false, 'unused', 'cohere');
    assert.deepEqual(plain, { id: 'x', results: [{ index: 0, relevance_score: 0.5 }] });
  });

  it('results without scores, or pointing past the documents, are a bad upstream answer', () => {
    for (const results of [undefined, [{ index: 0 }], [{ index: 3, relevance_score: 0.1 }], [{ index: -1, relevance_score: 0.1 }], ['x']]) {
      assert.throws(
        () => convertCohereRerankResponse({ results: results as never }, ['a', 'b', 'c'], false, 'id', 'cohere'),
        (error: unknown) => error instanceof GatewayError && error.status === 502,
      );
    }
  });

  it('forwarded usage: total_tokens alone (vLLM, Jina rerank) counts as read tokens; none is none', () => {
    assert.deepEqual(forwardedUsage({ total_tokens: 37 }), { prompt_tokens: 37, completion_tokens: 0, total_tokens: 37 });
    assert.equal(forwardedUsage({ total_tokens: 0 }), null);
    assert.equal(forwardedUsage({ search_units: 1 }), null);
  });
});
