import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertToMistralEmbeddingRequest } from '../../../src/providers/mistral/convert-to-mistral-embedding-request.ts';

describe('convertToMistralEmbeddingRequest', () => {
  it('nothing to change: the same object and no changes (the client bytes can go)', () => {
    const request = { model: 'm', input: ['a'], encoding_format: 'base64' as const, output_dtype: 'int8' };
    assert.deepEqual(convertToMistralEmbeddingRequest(request, 'mistral'), { request, changes: [] });
  });

  it('dimensions -> output_dimension (an explicit output_dimension wins), user left out, the input object untouched', () => {
    const request = { model: 'm', input: 'a', dimensions: 512, user: 'u-1' };
    const { request: out, changes } = convertToMistralEmbeddingRequest(request, 'mistral');
    assert.deepEqual(out, { model: 'm', input: 'a', output_dimension: 512 });
    assert.deepEqual(changes, ['renamed dimensions -> output_dimension', 'dropped user']);
    assert.deepEqual(request, { model: 'm', input: 'a', dimensions: 512, user: 'u-1' });
    assert.equal(convertToMistralEmbeddingRequest({ model: 'm', input: 'a', dimensions: 512, output_dimension: 256 }, 'mistral').request.output_dimension, 256);
  });

  it('token-id input is refused with a 400 naming the input', () => {
    assert.throws(() => convertToMistralEmbeddingRequest({ model: 'm', input: [[1, 2]] }, 'mistral'), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'input[0]');
  });
});
