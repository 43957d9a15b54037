import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../../../src/canonical/embeddings.ts';
import { parseConfig } from '../../../src/config/load-config.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { buildProviders } from '../../../src/providers/build-providers.ts';
import type { Provider, ProviderCall, ProviderSettings, ResponseReply } from '../../../src/providers/provider.ts';
import { providerDefinitions } from '../../../src/providers/registry.ts';
import { parseVertexOptions } from '../../../src/providers/vertex/vertex-options.ts';
import { VertexProvider } from '../../../src/providers/vertex/vertex-provider.ts';
import { defaultTimeouts, UpstreamClient } from '../../../src/upstream/upstream-client.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { authorizedUser, serviceAccountFile, writeCredentialsFile } from './google-stand-in.ts';

const silent = pino({ level: 'silent' });

/** The settings zero-config makes from an environment (no adapter is built: the settings are what is checked). */
function zeroConfigSettings(env: NodeJS.ProcessEnv): ProviderSettings | undefined {
  const loaded = parseConfig('{}', 'test.yaml', env);
  const built = buildProviders(loaded.config, providerDefinitions, (_definition, settings) => ({ settings }) as Provider, env, silent);
  return built.providers.get('vertex')?.settings;
}

describe('vertex zero-config', () => {
  it("is enabled by GOOGLE_APPLICATION_CREDENTIALS, its project and location from Google's and then Anthropic's variables", () => {
    const file = serviceAccountFile('https://oauth2.googleapis.com/token');
    const settings = zeroConfigSettings({ GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: 'my-project', GOOGLE_CLOUD_LOCATION: 'us-central1', CLOUD_ML_REGION: 'europe-west1' });
    assert.deepEqual(settings?.options, { project: 'my-project', location: 'us-central1', credentials_file: file });
    assert.equal(settings?.fromEnvironment, true);
    assert.equal(settings?.apiKey, undefined);
    assert.deepEqual(zeroConfigSettings({ GOOGLE_APPLICATION_CREDENTIALS: file, ANTHROPIC_VERTEX_PROJECT_ID: 'p2', CLOUD_ML_REGION: 'europe-west1' })?.options, { project: 'p2', location: 'europe-west1', credentials_file: file });
    assert.equal(zeroConfigSettings({ GOOGLE_CLOUD_PROJECT: 'my-project' }), undefined, 'a project alone does not enable it');
  });

  it("the project defaults to the service account's, the location to global; options win", () => {
    const file = serviceAccountFile('https://oauth2.googleapis.com/token');
    const defaults = parseVertexOptions('vertex', { credentials_file: file });
    assert.deepEqual([defaults.project, defaults.location, defaults.credentials?.type], ['file-project', 'global', 'service_account']);
    const configured = parseVertexOptions('vertex', { credentials_file: file, project: 'my-project', location: 'europe-west4' });
    assert.deepEqual([configured.project, configured.location], ['my-project', 'europe-west4']);
    assert.throws(() => parseVertexOptions('vertex', { location: 'https://evil.example.com/' }), /providers\.vertex\.options\.location/);
    assert.throws(() => parseVertexOptions('vertex', { region: 'us-central1' }), /unknown field "region"/);
  });
});

describe('vertex provider calls (api_key as the access token)', () => {
  let upstream: StandIn;
  let client: UpstreamClient;
  let answer: (body: { instances: unknown[] }) => unknown = () => ({});

  before(async () => {
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer(request.json as { instances: unknown[] })));
    });
    client = new UpstreamClient({ connections: 4, keepAliveTimeout: 1000 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await client.close();
    await upstream.close();
  });

  function provider(options: Record<string, unknown>, extra: Partial<ProviderSettings> = {}): VertexProvider {
    return new VertexProvider({ name: 'vertex', type: 'vertex', apiKey: undefined, baseUrl: upstream.url, models: [], byok: false, headers: {}, timeouts: defaultTimeouts, options, strictParams: false, ...extra }, { upstream: client, logger: silent });
  }

  /** An embeddings call; `null` for no credential of the call's own. */
  function embeddingCall(model: string, input: string[], credential: string | null = 'ya29.token'): ProviderCall {
    const apiKey = credential ?? undefined;
    const request: EmbeddingRequest = { model, input };
    return { operation: 'embeddings', model, request, rawBody: null, rawModelUnchanged: false, stream: false, apiKey, signal: new AbortController().signal, requestId: 'req-1', clientFormat: 'openai' };
  }

  it('gemini-embedding takes one text a call: three calls, vectors in input order, the task type on each instance', async () => {
    answer = (body) => ({ predictions: body.instances.map((instance) => ({ embeddings: { values: [(instance as { content: string }).content.length], statistics: { token_count: 1 } } })) });
    const reply = (await provider({ project: 'my-project', location: 'us-central1', embedding_task_type: 'RETRIEVAL_QUERY' }).send(embeddingCall('gemini-embedding-001', ['a', 'bb', 'ccc']))) as ResponseReply;
    assert.equal(upstream.requests.length, 3);
    assert.ok(upstream.requests.every((request) => request.path === '/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-embedding-001:predict'));
    assert.deepEqual(upstream.requests.map((request) => request.json).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
      { instances: [{ content: 'a', task_type: 'RETRIEVAL_QUERY' }] },
      { instances: [{ content: 'bb', task_type: 'RETRIEVAL_QUERY' }] },
      { instances: [{ content: 'ccc', task_type: 'RETRIEVAL_QUERY' }] },
    ]);
    const response = reply.response as EmbeddingResponse;
    assert.deepEqual(response.data.map((item) => item.embedding), [[1], [2], [3]]);
    assert.deepEqual(response.usage, { prompt_tokens: 3, total_tokens: 3 });
  });

  it('without a project: 500 provider_not_configured; without any credential (zero-config never asks the metadata server): 401 missing_provider_key', async () => {
    await assert.rejects(provider({}).send(embeddingCall('text-embedding-005', ['a'])), (error: unknown) => error instanceof GatewayError && error.status === 500 && error.code === 'provider_not_configured');
    await assert.rejects(provider({ project: 'p' }, { fromEnvironment: true }).send(embeddingCall('text-embedding-005', ['a'], null)), (error: unknown) => error instanceof GatewayError && error.status === 401 && error.code === 'missing_provider_key');
    assert.equal(upstream.requests.length, 0);
  });

  it("a publisher's own unhonoured parameters are refused under strict_params (seed and logprobs for Claude, user for Gemini)", async () => {
    const chat = (model: string, extra: Partial<ChatRequest>): ProviderCall => ({ operation: 'chat', model, request: { model, messages: [{ role: 'user', content: 'Hi' }], ...extra }, rawBody: null, rawModelUnchanged: false, stream: false, apiKey: 'ya29.token', signal: new AbortController().signal, requestId: 'req-1', clientFormat: 'openai' });
    const strict = provider({ project: 'p' }, { strictParams: true });
    await assert.rejects(strict.send(chat('claude-sonnet-4-5@20250929', { seed: 7 })), (error: unknown) => error instanceof GatewayError && error.code === 'unsupported_parameter' && /seed/.test(error.message));
    await assert.rejects(strict.send(chat('claude-sonnet-4-5@20250929', { logprobs: true })), (error: unknown) => error instanceof GatewayError && error.code === 'unsupported_parameter' && /logprobs/.test(error.message));
    await assert.rejects(strict.send(chat('gemini-2.5-flash', { user: 'u-1' })), (error: unknown) => error instanceof GatewayError && error.code === 'unsupported_parameter' && /user/.test(error.message));
    assert.equal(upstream.requests.length, 0);
  });

  it('an authorized_user file bills its quota project (x-goog-user-project), which is also the default project', async () => {
    const google = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(request.path === '/token' ? '{"access_token":"ya29.user-token","expires_in":3599}' : JSON.stringify({ predictions: [{ embeddings: { values: [0.5] } }] }));
    });
    try {
      const file = writeCredentialsFile({ type: 'authorized_user', ...authorizedUser, quota_project_id: 'billing-project', token_uri: `${google.url}/token` });
      const user = new VertexProvider({ name: 'vertex', type: 'vertex', apiKey: undefined, baseUrl: google.url, models: [], byok: false, headers: {}, timeouts: defaultTimeouts, options: { credentials_file: file }, strictParams: false }, { upstream: client, logger: silent });
      const reply = (await user.send(embeddingCall('text-embedding-005', ['a'], null))) as ResponseReply;
      const call = google.requests.find((request) => request.path.endsWith(':predict'));
      assert.equal(call?.path, '/v1/projects/billing-project/locations/global/publishers/google/models/text-embedding-005:predict');
      assert.equal(call?.headers.authorization, 'Bearer ya29.user-token');
      assert.equal(call?.headers['x-goog-user-project'], 'billing-project');
      assert.equal((reply.response as EmbeddingResponse).usage.estimated, true, 'no token count reported: estimated');
    } finally {
      await google.close();
    }
  });
});
