import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankRerankAnswer } from '../../../src/formats/openai-forwarded/rank-rerank-answer.ts';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('rankRerankAnswer', () => {
  it('sorts by relevance_score, highest first and stable, keeping every other field', () => {
    const answer = { id: 'r', usage: { total_tokens: 3 }, results: [{ index: 0, relevance_score: 0.1 }, { index: 2, relevance_score: 0.7, document: { text: 'c' } }, { index: 1, relevance_score: 0.7 }] };
    assert.deepEqual(JSON.parse(rankRerankAnswer(bytes(answer), undefined).toString()), { ...answer, results: [answer.results[1], answer.results[2], answer.results[0]] });
  });

  it('cuts to a positive integer top_n; any other top_n is left to the server', () => {
    const answer = { results: [{ index: 0, relevance_score: 0.9 }, { index: 1, relevance_score: 0.5 }, { index: 2, relevance_score: 0.1 }] };
    assert.deepEqual(JSON.parse(rankRerankAnswer(bytes(answer), 2).toString()).results, answer.results.slice(0, 2));
    for (const topN of [0, -1, 1.5, '2', null]) assert.equal(rankRerankAnswer(bytes(answer), topN).length, bytes(answer).length);
  });

  it('returns the same bytes when the answer is already ranked, or is not rerank results it can read', () => {
    const sorted = Buffer.from('{ "results": [ {"index": 1, "relevance_score": 0.8}, {"index": 0, "relevance_score": 0.1} ] }');
    assert.equal(rankRerankAnswer(sorted, 2), sorted);
    for (const body of ['not json', '[1,2]', '{"results": "no"}', '{"results": [{"index": 0}, {"index": 1, "relevance_score": 0.5}]}', '[{"index":0,"score":0.9}]']) {
      const buffer = Buffer.from(body);
      assert.equal(rankRerankAnswer(buffer, 1), buffer, body);
    }
  });
});
