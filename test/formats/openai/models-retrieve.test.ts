import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { retrieveOpenAIModel, type ModelLookup } from '../../../src/formats/openai/models-list.ts';
import type { Runtime } from '../../../src/gateway/runtime.ts';
import { startProviderGateway, type ProviderGateway } from '../../helpers/provider-gateway.ts';

/** The lookup GET /v1/models/{id} uses, from a running gateway's configuration. */
function lookupOf(runtime: Runtime): ModelLookup {
  return { resolve: (model) => runtime.router.resolve(model), isUsable: runtime.isUsable };
}

const notFound = (code: string) => (error: unknown) => error instanceof GatewayError && error.code === code;

// GET /v1/models/{id} must agree with routing: any id a request can use is a model the caller can
// retrieve, not only the listed ones (README, Naming models: a plain name one provider declares,
// provider/model). Checked against a real gateway's router, with the request served to compare.
describe('models retrieve agrees with routing (a gateway with an OpenAI stand-in)', () => {
  let running: ProviderGateway;
  let runtime: Runtime;

  before(async () => {
    running = await startProviderGateway(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 1, total_tokens: 1 } }));
      },
      (url) => ({
        config: [
          'providers:',
          `  openai: { type: openai, api_key: sk-test, base_url: "${url}/v1", models: [text-embedding-3-small, shared-name] }`,
          `  other: { type: openai-compatible, base_url: "${url}/v1", models: [shared-name] }`,
          `  keyless: { type: openai, base_url: "${url}/v1", models: [only-keyless] }`,
          'models:',
          '  smart: { targets: [{ provider: openai, model: gpt-4o-mini }] }',
        ].join('\n'),
      }),
    );
    runtime = running.gateway.gateway.runtime;
  });
  after(() => running.close());

  const retrieve = (id: string) => retrieveOpenAIModel(id, runtime.listModels(), lookupOf(runtime), 0);

  it('a plain name one provider declares: the request is served, and retrieve finds it, owned by that provider', async () => {
    const served = await running.client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi', encoding_format: 'float' }).withResponse();
    assert.equal(served.response.headers.get('x-tollgate-provider'), 'openai');
    assert.deepEqual(retrieve('text-embedding-3-small'), { id: 'text-embedding-3-small', object: 'model', created: 0, owned_by: 'openai' });
  });

  it('listed ids come as listed: aliases and provider/model', () => {
    assert.deepEqual(retrieve('smart'), { id: 'smart', object: 'model', created: 0, owned_by: 'tollgate' });
    assert.deepEqual(retrieve('openai/text-embedding-3-small'), { id: 'openai/text-embedding-3-small', object: 'model', created: 0, owned_by: 'openai' });
  });

  it('provider/model of a model the provider does not declare is served, so it is found too', () => {
    assert.deepEqual(retrieve('openai/gpt-4o'), { id: 'openai/gpt-4o', object: 'model', created: 0, owned_by: 'openai' });
  });

  it('what a request cannot use is not found: unknown names, a name two providers declare, a provider without its key', () => {
    assert.throws(() => retrieve('no-such-model'), notFound('model_not_found'));
    assert.throws(() => retrieve('shared-name'), notFound('model_ambiguous'));
    assert.throws(() => retrieve('only-keyless'), notFound('model_not_found'));
  });
});
