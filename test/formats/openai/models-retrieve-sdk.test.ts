import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startProviderGateway, type ProviderGateway } from '../../helpers/provider-gateway.ts';
import { startGateway } from '../../helpers/start-gateway.ts';

describe('client.models.retrieve through the gateway', () => {
  let running: ProviderGateway;
  before(async () => {
    running = await startProviderGateway(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 1, total_tokens: 1 } }));
      },
      (url) => ({ config: `providers:\n  openai: { type: openai, api_key: sk-test, base_url: "${url}/v1", models: [text-embedding-3-small] }` }),
    );
  });
  after(() => running.close());

  it('a plain name the gateway serves is retrieved; an unknown one is 404', async () => {
    await running.client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi', encoding_format: 'float' });
    assert.deepEqual(await running.client.models.retrieve('text-embedding-3-small'), { id: 'text-embedding-3-small', object: 'model', created: 0, owned_by: 'openai' });
    assert.equal((await running.client.models.retrieve('openai/gpt-4o')).owned_by, 'openai');
    await assert.rejects(running.client.models.retrieve('nope'), (error: unknown) => error instanceof OpenAI.NotFoundError);
  });

  it('a key limited to other models still gets 403 model_not_allowed', async () => {
    const gateway = await startGateway(`providers:\n  echo: { type: echo, models: [echo-a, other-c] }\nplugins:\n  key-auth:\n    keys:\n      - { key: sk-limited, consumer: limited, models: ['echo/echo-*', 'echo-a'] }\n`);
    try {
      const client = new OpenAI({ apiKey: 'sk-limited', baseURL: gateway.baseURL, maxRetries: 0 });
      await assert.rejects(client.models.retrieve('other-c'), (error: unknown) => error instanceof OpenAI.PermissionDeniedError && (error.error as { code?: string }).code === 'model_not_allowed');
      assert.equal((await client.models.retrieve('echo-a')).owned_by, 'echo');
    } finally {
      await gateway.close();
    }
  });
});
