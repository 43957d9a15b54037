import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import type { CohereEmbedResponse } from '../../../src/providers/cohere/cohere-api.ts';
import { cohereEmbedBatchSize, convertCohereEmbeddings, convertToCohereEmbedRequests } from '../../../src/providers/cohere/cohere-embeddings.ts';
import { fixtureJson } from './fixtures.ts';

describe('cohere embeddings', () => {
  it('request: texts, input_type (default search_document, or the option), float, dimensions as output_dimension', () => {
    assert.deepEqual(convertToCohereEmbedRequests({ model: 'cohere/embed-v4.0', input: 'hello' }, 'embed-v4.0', 'cohere'), [{ model: 'embed-v4.0', texts: ['hello'], input_type: 'search_document', embedding_types: ['float'] }]);
    assert.deepEqual(convertToCohereEmbedRequests({ model: 'x', input: ['a', 'b'], dimensions: 256 }, 'embed-v4.0', 'cohere', 'search_query'), [{ model: 'embed-v4.0', texts: ['a', 'b'], input_type: 'search_query', embedding_types: ['float'], output_dimension: 256 }]);
    assert.throws(() => convertToCohereEmbedRequests({ model: 'x', input: [[1, 2]] }, 'm', 'cohere'), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'input[0]');
    assert.throws(() => convertToCohereEmbedRequests({ model: 'x', input: [] }, 'm', 'cohere'), (error: unknown) => error instanceof GatewayError && error.status === 400);
  });

  it("request: the client's input_type wins over the configured one; a value Cohere does not take for text is a 400 naming input_type", () => {
    const [body] = convertToCohereEmbedRequests({ model: 'x', input: 'q', input_type: 'search_query' }, 'embed-v4.0', 'cohere', 'clustering');
    assert.equal(body.input_type, 'search_query');
    assert.equal(convertToCohereEmbedRequests({ model: 'x', input: 'q', input_type: null }, 'embed-v4.0', 'cohere', 'clustering')[0].input_type, 'clustering');
    for (const inputType of ['SEARCH_QUERY', 'image', '', 3]) {
      assert.throws(() => convertToCohereEmbedRequests({ model: 'x', input: 'q', input_type: inputType }, 'm', 'cohere'), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'input_type');
    }
  });

  it('request: at most 96 texts a body (Cohere\'s documented limit), in input order, each with the same settings', () => {
    assert.equal(cohereEmbedBatchSize, 96);
    const input = Array.from({ length: 200 }, (_, index) => `text ${index}`);
    const bodies = convertToCohereEmbedRequests({ model: 'x', input, dimensions: 512 }, 'embed-v4.0', 'cohere', 'clustering');
    assert.deepEqual(bodies.map((body) => body.texts.length), [96, 96, 8]);
    assert.deepEqual(bodies.flatMap((body) => body.texts), input);
    assert.ok(bodies.every((body) => body.input_type === 'clustering' && body.output_dimension === 512 && body.model === 'embed-v4.0'));
    assert.deepEqual(convertToCohereEmbedRequests({ model: 'x', input: input.slice(0, 96) }, 'm', 'cohere').length, 1);
  });

  it('response: floats in order, billed input tokens as usage, base64 float32 when asked', () => {
    const request = { model: 'cohere/embed-v4.0', input: ['hello', 'bonjour'] };
    const bodies = convertToCohereEmbedRequests(request, 'embed-v4.0', 'cohere');
    const floats = convertCohereEmbeddings([fixtureJson<CohereEmbedResponse>('embed.json')], bodies, request, 'cohere');
    assert.deepEqual(floats.data[1], { object: 'embedding', index: 1, embedding: [-0.5, 0.25, 0.125, -0.0625, 0.03125, 0.015625] });
    assert.deepEqual(floats.usage, { prompt_tokens: 3, total_tokens: 3 });
    assert.equal(floats.model, 'cohere/embed-v4.0');
    const base64 = convertCohereEmbeddings([fixtureJson<CohereEmbedResponse>('embed.json')], bodies, { ...request, encoding_format: 'base64' }, 'cohere');
    const bytes = Buffer.from(base64.data[1].embedding as string, 'base64');
    assert.deepEqual([...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)], [-0.5, 0.25, 0.125, -0.0625, 0.03125, 0.015625]);
  });

  it('response of several batches: one list indexed in input order, billed tokens summed', () => {
    const request = { model: 'm', input: ['a', 'b', 'c'] };
    const bodies = convertToCohereEmbedRequests(request, 'm', 'cohere', undefined, 2);
    const joined = convertCohereEmbeddings(
      [
        { embeddings: { float: [[1], [2]] }, meta: { billed_units: { input_tokens: 5 } } },
        { embeddings: { float: [[3]] }, meta: { billed_units: { input_tokens: 2 } } },
      ],
      bodies,
      request,
      'cohere',
    );
    assert.deepEqual(joined.data.map((item) => [item.index, item.embedding]), [[0, [1]], [1, [2]], [2, [3]]]);
    assert.deepEqual(joined.usage, { prompt_tokens: 7, total_tokens: 7 });
    // One batch without billed units: the whole usage is the gateway's estimate, and says so.
    const partly = convertCohereEmbeddings([{ embeddings: { float: [[1], [2]] }, meta: { billed_units: { input_tokens: 5 } } }, { embeddings: { float: [[3]] } }], bodies, request, 'cohere');
    assert.equal(partly.usage.estimated, true);
    // A batch answered with the wrong count is a bad response, not a shifted list.
    assert.throws(() => convertCohereEmbeddings([{ embeddings: { float: [[1]] } }, { embeddings: { float: [[3]] } }], bodies, request, 'cohere'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
  });

  it('a count mismatch is a bad response; missing usage is estimated and marked', () => {
    const request = { model: 'm', input: ['a', 'b', 'c'] };
    const bodies = convertToCohereEmbedRequests(request, 'm', 'cohere');
    assert.throws(() => convertCohereEmbeddings([fixtureJson<CohereEmbedResponse>('embed.json')], bodies, request, 'cohere'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
    const one = convertCohereEmbeddings([{ embeddings: { float: [[1, 2]] } }], convertToCohereEmbedRequests({ model: 'm', input: 'some words here' }, 'm', 'cohere'), { model: 'm', input: 'some words here' }, 'cohere');
    assert.equal(one.usage.estimated, true);
    assert.ok(one.usage.prompt_tokens > 0);
  });
});
