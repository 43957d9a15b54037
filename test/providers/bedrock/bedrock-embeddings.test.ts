import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { cohereBody, cohereVectors, embeddingFamilyOf, embeddingTexts, titanBody, titanVector } from '../../../src/providers/bedrock/bedrock-embeddings.ts';
import { toEmbeddingResponse } from '../../../src/providers/to-embedding-response.ts';
import { fixtureJson } from './event-stream-fixtures.ts';

describe('bedrock embeddings (InvokeModel bodies)', () => {
  it('knows the Titan and Cohere families, inference profiles included', () => {
    assert.equal(embeddingFamilyOf('amazon.titan-embed-text-v2:0'), 'titan');
    assert.equal(embeddingFamilyOf('amazon.titan-embed-g1-text-02'), 'titan');
    assert.equal(embeddingFamilyOf('cohere.embed-english-v3'), 'cohere');
    assert.equal(embeddingFamilyOf('us.cohere.embed-v4:0'), 'cohere');
    assert.equal(embeddingFamilyOf('amazon.nova-pro-v1:0'), null);
    assert.equal(embeddingFamilyOf('amazon.titan-embed-image-v1'), null);
  });

  it('bodies: Titan one text (+ dimensions), Cohere a list with input_type (+ output_dimension)', () => {
    assert.deepEqual(titanBody('hello', { model: 'm', input: 'hello', dimensions: 256 }), { inputText: 'hello', dimensions: 256 });
    assert.deepEqual(titanBody('hello', { model: 'm', input: 'hello' }), { inputText: 'hello' });
    assert.deepEqual(cohereBody(['a', 'b'], { model: 'm', input: ['a', 'b'] }, 'search_query'), { texts: ['a', 'b'], input_type: 'search_query' });
    assert.deepEqual(cohereBody(['a'], { model: 'm', input: ['a'], dimensions: 512 }, 'search_document'), { texts: ['a'], input_type: 'search_document', output_dimension: 512 });
    // The client's own input_type wins over the configured one.
    assert.deepEqual(cohereBody(['a'], { model: 'm', input: ['a'], input_type: 'classification' }, 'search_document'), { texts: ['a'], input_type: 'classification' });
  });

  it('answers: Titan vector and token count; Cohere floats or by type; a wrong count is a bad response', () => {
    assert.deepEqual(titanVector(fixtureJson('invoke-titan-embed.json'), 'bedrock'), { vector: [0.5, -0.25, 0.125, 1], tokens: 6 });
    assert.deepEqual(cohereVectors(fixtureJson('invoke-cohere-embed.json'), 2, 'bedrock'), [[0.5, -0.25, 0.125, 1], [-1, 0.75, 0, 0.25]]);
    assert.deepEqual(cohereVectors(fixtureJson('invoke-cohere-embed-by-type.json'), 1, 'bedrock'), [[0.5, -0.25, 0.125, 1]]);
    assert.throws(() => cohereVectors(fixtureJson('invoke-cohere-embed.json'), 3, 'bedrock'), (error: unknown) => error instanceof GatewayError && error.status === 502);
    assert.throws(() => titanVector({}, 'bedrock'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
  });

  it('texts only: token arrays and empty lists are refused', () => {
    assert.deepEqual(embeddingTexts({ model: 'm', input: 'x' }), ['x']);
    assert.throws(() => embeddingTexts({ model: 'm', input: [[1, 2]] }), /text only; input\[0\]/);
    assert.throws(() => embeddingTexts({ model: 'm', input: [] }), /non-empty/);
  });

  it('the OpenAI list: floats or base64 float32; reported tokens, else an estimate marked estimated', () => {
    const floats = toEmbeddingResponse([[0.5, -0.25]], ['hello'], 3, { model: 'titan', input: 'hello' });
    assert.deepEqual(floats, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5, -0.25] }], model: 'titan', usage: { prompt_tokens: 3, total_tokens: 3 } });
    const base64 = toEmbeddingResponse([[0.5, -0.25]], ['hello'], undefined, { model: 'titan', input: 'hello', encoding_format: 'base64' });
    assert.deepEqual([...new Float32Array(new Uint8Array(Buffer.from(base64.data[0].embedding as string, 'base64')).buffer)], [0.5, -0.25]);
    assert.equal(base64.usage.estimated, true);
    assert.ok(base64.usage.prompt_tokens > 0);
  });
});
