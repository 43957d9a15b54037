import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import type { CohereEmbedResponse } from '../../../src/providers/cohere/cohere-api.ts';
import { convertCohereEmbeddings, convertToCohereEmbedRequest } from '../../../src/providers/cohere/cohere-embeddings.ts';
import { fixtureJson } from './fixtures.ts';

describe('cohere embeddings', () => {
  it('request: texts, input_type (default search_document, or the option), float, dimensions as output_dimension', () => {
    assert.deepEqual(convertToCohereEmbedRequest({ model: 'cohere/embed-v4.0', input: 'hello' }, 'embed-v4.0', 'cohere'), { model: 'embed-v4.0', texts: ['hello'], input_type: 'search_document', embedding_types: ['float'] });
    assert.deepEqual(convertToCohereEmbedRequest({ model: 'x', input: ['a', 'b'], dimensions: 256 }, 'embed-v4.0', 'cohere', 'search_query'), { model: 'embed-v4.0', texts: ['a', 'b'], input_type: 'search_query', embedding_types: ['float'], output_dimension: 256 });
    assert.throws(() => convertToCohereEmbedRequest({ model: 'x', input: [[1, 2]] }, 'm', 'cohere'), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'input[0]');
    assert.throws(() => convertToCohereEmbedRequest({ model: 'x', input: [] }, 'm', 'cohere'), (error: unknown) => error instanceof GatewayError && error.status === 400);
  });

  it('response: floats in order, billed input tokens as usage, base64 float32 when asked', () => {
    const request = { model: 'cohere/embed-v4.0', input: ['hello', 'bonjour'] };
    const body = convertToCohereEmbedRequest(request, 'embed-v4.0', 'cohere');
    const floats = convertCohereEmbeddings(fixtureJson<CohereEmbedResponse>('embed.json'), body, request, 'cohere');
    assert.deepEqual(floats.data[1], { object: 'embedding', index: 1, embedding: [-0.5, 0.25, 0.125, -0.0625, 0.03125, 0.015625] });
    assert.deepEqual(floats.usage, { prompt_tokens: 3, total_tokens: 3 });
    assert.equal(floats.model, 'cohere/embed-v4.0');
    const base64 = convertCohereEmbeddings(fixtureJson<CohereEmbedResponse>('embed.json'), body, { ...request, encoding_format: 'base64' }, 'cohere');
    const bytes = Buffer.from(base64.data[1].embedding as string, 'base64');
    assert.deepEqual([...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)], [-0.5, 0.25, 0.125, -0.0625, 0.03125, 0.015625]);
  });

  it('a count mismatch is a bad response; missing usage is estimated and marked', () => {
    const request = { model: 'm', input: ['a', 'b', 'c'] };
    const body = convertToCohereEmbedRequest(request, 'm', 'cohere');
    assert.throws(() => convertCohereEmbeddings(fixtureJson<CohereEmbedResponse>('embed.json'), body, request, 'cohere'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
    const one = convertCohereEmbeddings({ embeddings: { float: [[1, 2]] } }, convertToCohereEmbedRequest({ model: 'm', input: 'some words here' }, 'm', 'cohere'), { model: 'm', input: 'some words here' }, 'cohere');
    assert.equal(one.usage.estimated, true);
    assert.ok(one.usage.prompt_tokens > 0);
  });
});
