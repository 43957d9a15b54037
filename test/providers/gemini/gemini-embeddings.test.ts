import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertGeminiEmbeddings, convertToGeminiEmbeddingCall } from '../../../src/providers/gemini/gemini-embeddings.ts';
import { fixtureJson } from './fixtures.ts';

const model = 'text-embedding-004';

test('one input uses embedContent; several use batchEmbedContents in order', () => {
  assert.deepEqual(convertToGeminiEmbeddingCall({ model, input: 'hello', dimensions: 256 }, 'models/text-embedding-004', 'RETRIEVAL_QUERY'), {
    method: 'embedContent',
    body: { model: 'models/text-embedding-004', content: { parts: [{ text: 'hello' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 256 },
    inputs: ['hello'],
  });
  const batch = convertToGeminiEmbeddingCall({ model, input: ['a', 'b'] }, 'models/text-embedding-004');
  assert.equal(batch.method, 'batchEmbedContents');
  assert.deepEqual(batch.body, { requests: [{ model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] } }, { model: 'models/text-embedding-004', content: { parts: [{ text: 'b' }] } }] });
});

test('token-id inputs and empty lists are refused with a 400', () => {
  for (const input of [[1, 2, 3], [[1, 2]], []] as never[]) {
    assert.throws(() => convertToGeminiEmbeddingCall({ model, input }, 'models/x'), (error: unknown) => error instanceof GatewayError && error.status === 400);
  }
});

test('responses map to the OpenAI list, as floats or base64 float32', () => {
  const single = convertToGeminiEmbeddingCall({ model, input: 'hello' }, 'models/x');
  const response = convertGeminiEmbeddings(fixtureJson('embed-content.json'), single, { model, input: 'hello' }, 'gemini');
  assert.equal(response.object, 'list');
  assert.deepEqual(response.data, [{ object: 'embedding', index: 0, embedding: [0.0123, -0.0456, 0.0789, 0.25, -0.5, 0.125] }]);
  assert.equal(response.usage.estimated, true);
  const request = { model, input: ['a', 'b', 'c'], encoding_format: 'base64' as const };
  const batch = convertGeminiEmbeddings(fixtureJson('batch-embed-contents.json'), convertToGeminiEmbeddingCall(request, 'models/x'), request, 'gemini');
  const decoded = batch.data.map((item) => [...new Float32Array(Uint8Array.from(Buffer.from(item.embedding as string, 'base64')).buffer)]);
  assert.deepEqual(decoded[2], [0.5, 0.25, 0.125, 0.0625]);
  assert.deepEqual(batch.data.map((item) => item.index), [0, 1, 2]);
});

test('a count mismatch is an upstream_bad_response', () => {
  const call = convertToGeminiEmbeddingCall({ model, input: ['a', 'b'] }, 'models/x');
  assert.throws(() => convertGeminiEmbeddings({ embeddings: [{ values: [1] }] }, call, { model, input: ['a', 'b'] }, 'gemini'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
});
