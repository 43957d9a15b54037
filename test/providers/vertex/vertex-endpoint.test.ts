import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { publisherOf, vertexApiRoot, vertexBaseUrl, vertexModelUrl } from '../../../src/providers/vertex/vertex-endpoint.ts';
import { toVertexMessagesBody } from '../../../src/providers/vertex/vertex-provider.ts';

describe('vertex endpoints', () => {
  it('the host follows the location: regional, global, multi-region', () => {
    assert.equal(vertexBaseUrl('us-central1'), 'https://us-central1-aiplatform.googleapis.com');
    assert.equal(vertexBaseUrl('europe-west4'), 'https://europe-west4-aiplatform.googleapis.com');
    assert.equal(vertexBaseUrl('global'), 'https://aiplatform.googleapis.com');
    assert.equal(vertexBaseUrl('us'), 'https://aiplatform.us.rep.googleapis.com');
    assert.equal(vertexBaseUrl('eu'), 'https://aiplatform.eu.rep.googleapis.com');
  });

  it('a base_url is a host (v1 added); one naming a version is used as is', () => {
    assert.equal(vertexApiRoot('https://us-east5-aiplatform.googleapis.com'), 'https://us-east5-aiplatform.googleapis.com/v1');
    assert.equal(vertexApiRoot('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080/v1');
    assert.equal(vertexApiRoot('https://proxy.example.com/vertex/v1'), 'https://proxy.example.com/vertex/v1');
    assert.equal(vertexApiRoot('https://aiplatform.googleapis.com/v1beta1'), 'https://aiplatform.googleapis.com/v1beta1');
  });

  it('model URLs: publisher by model name, the @version kept, other characters escaped', () => {
    const root = vertexApiRoot(vertexBaseUrl('us-central1'));
    assert.equal(vertexModelUrl(root, 'my-project', 'us-central1', 'google', 'gemini-2.5-flash'), 'https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash');
    assert.equal(
      vertexModelUrl(vertexApiRoot(vertexBaseUrl('global')), 'my-project', 'global', 'anthropic', 'claude-sonnet-4-5@20250929'),
      'https://aiplatform.googleapis.com/v1/projects/my-project/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929',
    );
    assert.equal(vertexModelUrl(root, 'example.com:my-project', 'us-central1', 'google', 'a/b?c'), `${root}/projects/example.com:my-project/locations/us-central1/publishers/google/models/a%2Fb%3Fc`);
    assert.equal(publisherOf('claude-sonnet-4-5@20250929'), 'anthropic');
    assert.equal(publisherOf('claude-3-5-haiku@20241022'), 'anthropic');
    assert.equal(publisherOf('gemini-2.5-pro'), 'google');
    assert.equal(publisherOf('text-embedding-005'), 'google');
  });

  it("Claude's body: the model out, anthropic_version in (a client's own version kept)", () => {
    assert.deepEqual(toVertexMessagesBody({ model: 'claude-x', max_tokens: 5, messages: [] }), { anthropic_version: 'vertex-2023-10-16', max_tokens: 5, messages: [] });
    assert.deepEqual(toVertexMessagesBody({ anthropic_version: 'vertex-2099-01-01', messages: [] }), { anthropic_version: 'vertex-2099-01-01', messages: [] });
  });
});
