import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertToGeminiEmbeddingCalls, geminiEmbeddingBatchSize, geminiEmbeddingVectors } from '../../../src/providers/gemini/gemini-embeddings.ts';
import { fixtureJson } from './fixtures.ts';

const model = 'text-embedding-004';

test('one input uses embedContent; several use batchEmbedContents in order', () => {
  assert.deepEqual(convertToGeminiEmbeddingCalls({ model, input: 'hello', dimensions: 256 }, 'models/text-embedding-004', 'RETRIEVAL_QUERY'), [
    {
      method: 'embedContent',
      body: { model: 'models/text-embedding-004', content: { parts: [{ text: 'hello' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 256 },
      inputs: ['hello'],
    },
  ]);
  const [batch, ...rest] = convertToGeminiEmbeddingCalls({ model, input: ['a', 'b'] }, 'models/text-embedding-004');
  assert.equal(rest.length, 0);
  assert.equal(batch.method, 'batchEmbedContents');
  assert.deepEqual(batch.body, { requests: [{ model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] } }, { model: 'models/text-embedding-004', content: { parts: [{ text: 'b' }] } }] });
});

test('more than 100 inputs are split into batches of at most 100, in input order', () => {
  assert.equal(geminiEmbeddingBatchSize, 100);
  const input = Array.from({ length: 250 }, (_, index) => `text ${index}`);
  const calls = convertToGeminiEmbeddingCalls({ model, input }, 'models/x');
  assert.deepEqual(calls.map((call) => [call.method, call.inputs.length]), [['batchEmbedContents', 100], ['batchEmbedContents', 100], ['batchEmbedContents', 50]]);
  assert.deepEqual(calls.flatMap((call) => call.inputs), input);
  assert.equal((calls[2].body as { requests: Array<{ content: { parts: Array<{ text: string }> } }> }).requests[0].content.parts[0].text, 'text 200');
  assert.equal(convertToGeminiEmbeddingCalls({ model, input: input.slice(0, 100) }, 'models/x').length, 1);
  assert.equal(convertToGeminiEmbeddingCalls({ model, input: input.slice(0, 101) }, 'models/x').length, 2);
});

test('token-id inputs and empty lists are refused with a 400', () => {
  for (const input of [[1, 2, 3], [[1, 2]], []] as never[]) {
    assert.throws(() => convertToGeminiEmbeddingCalls({ model, input }, 'models/x'), (error: unknown) => error instanceof GatewayError && error.status === 400);
  }
});

test('answers give their vectors in order', () => {
  const [single] = convertToGeminiEmbeddingCalls({ model, input: 'hello' }, 'models/x');
  assert.deepEqual(geminiEmbeddingVectors(fixtureJson('embed-content.json'), single, 'gemini'), [[0.0123, -0.0456, 0.0789, 0.25, -0.5, 0.125]]);
  const [batch] = convertToGeminiEmbeddingCalls({ model, input: ['a', 'b', 'c'] }, 'models/x');
  assert.deepEqual(geminiEmbeddingVectors(fixtureJson('batch-embed-contents.json'), batch, 'gemini')[2], [0.5, 0.25, 0.125, 0.0625]);
});

test('a count mismatch is an upstream_bad_response', () => {
  const [call] = convertToGeminiEmbeddingCalls({ model, input: ['a', 'b'] }, 'models/x');
  assert.throws(() => geminiEmbeddingVectors({ embeddings: [{ values: [1] }] }, call, 'gemini'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
});
