import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { replyWhole } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { anthropicMessage } from '../anthropic/checking-anthropic-stand-in.ts';
import { GoogleStandIn, serviceAccountFile } from './google-stand-in.ts';

const rawPredictPath = '/v1/projects/my-project/locations/us-east5/publishers/anthropic/models';

/**
 * Claude on Vertex AI takes the anthropic adapter's request, so reasoning_effort and sampling
 * parameters follow the same model rules there (src/providers/claude-model-family.ts), with
 * Vertex's model spelling (`claude-opus-4-7@20260416`).
 */
describe('vertex provider: Claude thinking and sampling by model generation (OpenAI SDK client)', () => {
  const google = new GoogleStandIn();
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ client, close } = await startProviderGateway(google.handler, (url) => ({
      env: { GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(`${url}/token`), GOOGLE_CLOUD_PROJECT: 'my-project', GOOGLE_CLOUD_LOCATION: 'us-east5', VERTEX_BASE_URL: url },
    })));
  });
  beforeEach(() => {
    google.reset();
    google.reply = replyWhole(200, { 'content-type': 'application/json' }, () => JSON.stringify(anthropicMessage('ok')));
  });
  after(() => close());

  function sent(model: string): Record<string, unknown> {
    const [request] = google.vertexRequests();
    assert.equal(request.path, `${rawPredictPath}/${model}:rawPredict`);
    return request.json as Record<string, unknown>;
  }

  it('claude-opus-4-7@20260416: adaptive thinking with output_config.effort, no temperature', async () => {
    const completion = await client.chat.completions.create({ model: 'vertex/claude-opus-4-7@20260416', reasoning_effort: 'medium', temperature: 0.5, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(completion.choices[0].message.content, 'ok');
    const body = sent('claude-opus-4-7@20260416');
    assert.deepEqual([body.thinking, body.output_config, body.temperature, body.max_tokens], [{ type: 'adaptive' }, { effort: 'medium' }, undefined, 4096 + 4096]);
    assert.equal(body.anthropic_version, 'vertex-2023-10-16');
  });

  it('claude-sonnet-4-5@20250929 keeps budget_tokens and its temperature when it does not think', async () => {
    await client.chat.completions.create({ model: 'vertex/claude-sonnet-4-5@20250929', reasoning_effort: 'low', messages: [{ role: 'user', content: 'Hi' }] });
    assert.deepEqual(sent('claude-sonnet-4-5@20250929').thinking, { type: 'enabled', budget_tokens: 1024 });
    google.reset();
    await client.chat.completions.create({ model: 'vertex/claude-sonnet-4-5@20250929', temperature: 0.5, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(sent('claude-sonnet-4-5@20250929').temperature, 0.5);
  });

  it('claude-sonnet-4-5@20250929 and claude-opus-4-1@20250805 take temperature or top_p, not both: top_p is left out', async () => {
    for (const model of ['claude-sonnet-4-5@20250929', 'claude-opus-4-1@20250805', 'claude-haiku-4-5@20251001']) {
      google.reset();
      await client.chat.completions.create({ model: `vertex/${model}`, temperature: 0.5, top_p: 1, messages: [{ role: 'user', content: 'Hi' }] });
      const body = sent(model);
      assert.deepEqual([body.temperature, body.top_p], [0.5, undefined], model);
    }
  });
});
