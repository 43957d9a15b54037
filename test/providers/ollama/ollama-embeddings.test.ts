import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EmbeddingRequest } from '../../../src/canonical/embeddings.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertOllamaEmbeddings, convertToOllamaEmbedRequest } from '../../../src/providers/ollama/ollama-embeddings.ts';
import type { OllamaEmbedResponse } from '../../../src/providers/ollama/ollama-api.ts';
import { fixtureJson } from './fixtures.ts';

test('the /api/embed body: input as given (string or array), dimensions passed on', () => {
  assert.deepEqual(convertToOllamaEmbedRequest({ model: 'ollama/all-minilm', input: 'hello', dimensions: 6 }, 'all-minilm').body, { model: 'all-minilm', input: 'hello', dimensions: 6 });
  assert.deepEqual(convertToOllamaEmbedRequest({ model: 'x', input: ['a', 'b'] }, 'all-minilm', '5m').body, { model: 'all-minilm', input: ['a', 'b'], keep_alive: '5m' });
});

test('token-id inputs and an empty list are refused with a 400', () => {
  assert.throws(() => convertToOllamaEmbedRequest({ model: 'x', input: [1, 2, 3] }, 'm'), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'input[0]');
  assert.throws(() => convertToOllamaEmbedRequest({ model: 'x', input: [] }, 'm'), (error: unknown) => error instanceof GatewayError && error.status === 400);
});

test('embeddings come back in order with prompt_eval_count as usage; base64 is float32 little-endian', () => {
  const request: EmbeddingRequest = { model: 'ollama/all-minilm', input: ['a', 'b', 'c'], encoding_format: 'float' };
  const result = convertOllamaEmbeddings(fixtureJson<OllamaEmbedResponse>('embed-batch.json'), ['a', 'b', 'c'], request, 'ollama');
  assert.deepEqual(result.data.map((item) => [item.index, item.embedding]), [[0, [0.1, 0.2, 0.3, 0.4]], [1, [-0.1, -0.2, -0.3, -0.4]], [2, [0.5, 0.25, 0.125, 0.0625]]]);
  assert.deepEqual(result.usage, { prompt_tokens: 6, total_tokens: 6 });
  assert.equal(result.model, 'ollama/all-minilm');
  const base64 = convertOllamaEmbeddings(fixtureJson<OllamaEmbedResponse>('embed-batch.json'), ['a', 'b', 'c'], { ...request, encoding_format: 'base64' }, 'ollama');
  const bytes = Buffer.from(base64.data[2].embedding as string, 'base64');
  assert.deepEqual([...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)], [0.5, 0.25, 0.125, 0.0625]);
});

test('no prompt_eval_count: estimated usage; a count mismatch is an upstream_bad_response', () => {
  const estimated = convertOllamaEmbeddings({ embeddings: [[1, 2]] }, ['hello world'], { model: 'x', input: 'hello world' }, 'ollama');
  assert.equal(estimated.usage.estimated, true);
  assert.ok(estimated.usage.prompt_tokens > 0);
  assert.throws(() => convertOllamaEmbeddings({ embeddings: [[1]] }, ['a', 'b'], { model: 'x', input: ['a', 'b'] }, 'ollama'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
});
