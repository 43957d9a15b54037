import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hasDotSegment, modelPathSegment } from '../../src/canonical/model-name.ts';
import { conversePath, invokePath } from '../../src/providers/bedrock/bedrock-endpoint.ts';
import { azureUrl } from '../../src/providers/azure/azure-url.ts';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// Azure and Bedrock put the model in the URL's path. A model that was exactly `..` or `.` became a
// dot-segment that the URL resolved away: `az/..` called `/openai/chat/completions`, `bed/..`
// called `/converse`, each with the gateway's credential (audit auth-security, LOW-2).

describe('model names with a dot-segment: 400 naming model before any upstream call', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"should not be called"}}');
    });
    gateway = await startGateway(
      `providers:
  az: { type: azure, api_key: azure-key, base_url: "${upstream.url}", options: { api_version: 2024-10-21 } }
  bed: { type: bedrock, api_key: bedrock-key, base_url: "${upstream.url}", options: { region: us-east-1 } }
`,
    );
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const bodies: Array<[string, (model: string) => Record<string, unknown>]> = [
    ['/v1/chat/completions', (model) => ({ model, messages: [{ role: 'user', content: 'hi' }] })],
    ['/v1/chat/completions (stream)', (model) => ({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] })],
    ['/v1/messages', (model) => ({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })],
    ['/v1/messages/count_tokens', (model) => ({ model, messages: [{ role: 'user', content: 'hi' }] })],
    ['/v1/responses', (model) => ({ model, input: 'hi' })],
    ['/v1/embeddings', (model) => ({ model, input: 'hi' })],
    ['/v1/completions', (model) => ({ model, prompt: 'hi' })],
    ['/v1/images/generations', (model) => ({ model, prompt: 'a cat' })],
  ];

  const names = ['az/..', 'az/.', 'bed/..', 'bed/.', 'az/%2e%2e', 'bed/%2E.', 'az/.%2e', 'bed/%252e%252e', 'az/x%2F..', '..', 'az/a/../b'];

  for (const model of names) {
    it(`${model}: 400 invalid_request naming model on every endpoint, the stand-in receives nothing`, async () => {
      for (const [label, body] of bodies) {
        const path = label.split(' ')[0];
        const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(model)) });
        assert.equal(response.status, 400, `${model} ${label}`);
        const answer = (await response.json()) as { error: { message: string; param?: string; type: string } };
        assert.match(answer.error.message, /'\.' or '\.\.'/, `${model} ${label}`);
        if (!path.startsWith('/v1/messages')) assert.equal(answer.error.param, 'model', `${model} ${label}`);
        else assert.equal(answer.error.type, 'invalid_request_error', `${model} ${label}`);
      }
      const form = new FormData();
      form.set('model', model);
      form.set('file', new Blob([new Uint8Array(16)], { type: 'audio/wav' }), 'a.wav');
      const upload = await fetch(`${gateway.url}/v1/audio/transcriptions`, { method: 'POST', body: form });
      assert.equal(upload.status, 400, `${model} transcriptions`);
      assert.equal(((await upload.json()) as { error: { param?: string } }).error.param, 'model');
      assert.equal(upstream.requests.length, 0, upstream.requests.map((request) => request.path).join(', '));
    });
  }

  it('names with dots that are not dot-segments still reach the provider', async () => {
    for (const model of ['az/gpt-4.1', 'az/...', 'bed/us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'bed/..x']) {
      assert.equal(hasDotSegment(model), false, model);
    }
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'az/...', messages: [{ role: 'user', content: 'hi' }] }) });
    await response.arrayBuffer();
    assert.equal(upstream.requests.at(-1)?.path, '/openai/deployments/.../chat/completions?api-version=2024-10-21');
    upstream.requests.length = 0;
  });

  it('the provider path builders refuse a dot-segment themselves (a route or alias target that names one)', () => {
    for (const model of ['.', '..', '%2e%2e', '.%2E']) {
      for (const build of [() => azureUrl('https://res.openai.azure.com', 'chat', model, '2024-10-21'), () => conversePath(model, true), () => conversePath(model, false), () => invokePath(model), () => modelPathSegment(model)]) {
        assert.throws(build, (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'model', model);
      }
    }
    assert.equal(conversePath('arn:aws:bedrock:us-east-1:1:inference-profile/us.x', false), '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.x/converse');
  });
});
