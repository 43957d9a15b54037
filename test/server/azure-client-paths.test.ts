import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { AzureOpenAI, toFile } from 'openai';
import { collect, refusal } from '../helpers/openai-sdk.ts';
import { chatAnswer } from '../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../helpers/stand-in-server.ts';

/**
 * The `AzureOpenAI` client of the official `openai` package, unchanged, against the gateway: it
 * puts the deployment in the URL (`{endpoint}/openai/deployments/{deployment}/...?api-version=`,
 * or `{baseURL}/deployments/{model}/...`) and its key in `api-key` (an Entra token as Bearer).
 * The gateway serves these paths as its own /v1 ones, the deployment being the model.
 */

const apiVersion = '2024-10-21';
const gatewayKey = 'tg-azure-app-key';
const messages = [{ role: 'user' as const, content: 'hi' }];

function answer(request: RecordedRequest, response: import('node:http').ServerResponse): void {
  const body = request.json as { model?: string; stream?: boolean } | undefined;
  if (request.path === '/v1/embeddings') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5, 0.25] }], model: body?.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
    return;
  }
  if (request.path === '/v1/images/generations') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ created: 1700000000, data: [{ b64_json: 'aGk=' }] }));
    return;
  }
  if (request.path === '/v1/audio/transcriptions') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ text: 'hello there' }));
    return;
  }
  const reply = chatAnswer(body?.model ?? '', `model=${body?.model}`, body?.stream === true);
  response.writeHead(200, { 'content-type': reply.contentType });
  response.end(reply.text);
}

/** The model in the one request the stand-in got at `path`. */
function upstreamModel(upstream: StandIn, path: string): unknown {
  assert.equal(upstream.requests.length, 1);
  assert.equal(upstream.requests[0].path, path, 'the provider gets the gateway’s own call, without api-version');
  return (upstream.requests[0].json as { model?: unknown }).model;
}

describe('Azure OpenAI SDK clients through the gateway (Azure-style paths)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn(answer);
    gw = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  my-gpt4o: { targets: [{ provider: up, model: gpt-4o-2024-08-06 }] }
plugins:
  key-auth: { keys: [{ key: ${gatewayKey}, consumer: azure-app }] }
`);
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('endpoint + deployment, apiKey: chat answers from the deployment’s model; the deployment wins over the body’s model', async () => {
    const client = new AzureOpenAI({ endpoint: gw.url, deployment: 'my-gpt4o', apiVersion, apiKey: gatewayKey, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    assert.equal(data.choices[0].message.content, 'model=gpt-4o-2024-08-06');
    assert.equal(upstreamModel(upstream, '/v1/chat/completions'), 'gpt-4o-2024-08-06');
    assert.equal(response.headers.get('x-tollgate-model'), 'gpt-4o-2024-08-06');
    assert.equal(upstream.requests[0].headers['api-key'], undefined, 'the client’s credential stays at the gateway');
  });

  it('endpoint + deployment: a streamed chat', async () => {
    const client = new AzureOpenAI({ endpoint: `${gw.url}/`, deployment: 'my-gpt4o', apiVersion, apiKey: gatewayKey, maxRetries: 0 });
    const chunks = await collect(await client.chat.completions.create({ model: 'my-gpt4o', messages, stream: true }));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'model=gpt-4o-2024-08-06');
    assert.equal(upstreamModel(upstream, '/v1/chat/completions'), 'gpt-4o-2024-08-06');
  });

  it('endpoint without deployment: the body’s model becomes the deployment, provider/model included (embeddings)', async () => {
    const client = new AzureOpenAI({ endpoint: gw.url, apiVersion, apiKey: gatewayKey, maxRetries: 0 });
    const result = await client.embeddings.create({ model: 'up/text-embedding-3-small', input: 'hi', encoding_format: 'float' });
    assert.deepEqual(result.data[0].embedding, [0.5, 0.25]);
    assert.equal(upstreamModel(upstream, '/v1/embeddings'), 'text-embedding-3-small');
  });

  it('endpoint + deployment: image generation (a forwarded operation the SDK maps to deployments)', async () => {
    const client = new AzureOpenAI({ endpoint: gw.url, deployment: 'up/gpt-image-1', apiVersion, apiKey: gatewayKey, maxRetries: 0 });
    const result = await client.images.generate({ model: 'dall-e-3', prompt: 'a lighthouse' });
    assert.equal(result.data?.[0].b64_json, 'aGk=');
    assert.equal(upstreamModel(upstream, '/v1/images/generations'), 'gpt-image-1');
  });

  it('endpoint + deployment: a transcription upload gets the deployment’s model in its form, the file untouched', async () => {
    const client = new AzureOpenAI({ endpoint: gw.url, deployment: 'up/whisper-1', apiVersion, apiKey: gatewayKey, maxRetries: 0 });
    const audio = Buffer.from('RIFF-not-really-audio');
    const result = await client.audio.transcriptions.create({ model: 'whisper', file: await toFile(audio, 'hi.wav', { type: 'audio/wav' }) });
    assert.equal(result.text, 'hello there');
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/v1/audio/transcriptions');
    assert.match(sent.body, /name="model"\r\n\r\nwhisper-1\r\n/);
    assert.ok(sent.bytes.includes(audio));
  });

  it('baseURL ending in /v1, azureADTokenProvider (Bearer): /v1/deployments/{model}/chat/completions', async () => {
    const client = new AzureOpenAI({ baseURL: `${gw.url}/v1`, apiVersion, azureADTokenProvider: async () => gatewayKey, maxRetries: 0 });
    const result = await client.chat.completions.create({ model: 'my-gpt4o', messages });
    assert.equal(result.choices[0].message.content, 'model=gpt-4o-2024-08-06');
    assert.equal(upstreamModel(upstream, '/v1/chat/completions'), 'gpt-4o-2024-08-06');
  });

  it('baseURL ending in /openai/v1 (Azure’s v1 API): the AzureOpenAI client and a plain OpenAI client', async () => {
    const azure = new AzureOpenAI({ baseURL: `${gw.url}/openai/v1`, apiVersion: 'preview', apiKey: gatewayKey, maxRetries: 0 });
    const chunks = await collect(await azure.chat.completions.create({ model: 'up/gpt-4o-mini', messages, stream: true }));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'model=gpt-4o-mini');
    assert.equal(upstreamModel(upstream, '/v1/chat/completions'), 'gpt-4o-mini');
    upstream.requests.length = 0;
    const openai = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: gatewayKey, maxRetries: 0 });
    const embedded = await openai.embeddings.create({ model: 'up/text-embedding-3-small', input: 'hi' });
    assert.equal(embedded.data.length, 1);
    assert.equal(upstreamModel(upstream, '/v1/embeddings'), 'text-embedding-3-small');
    const listed = await openai.models.list();
    assert.ok(listed.data.some((model) => model.id === 'my-gpt4o'));
  });

  it('endpoint, an operation outside deployments: responses.create goes to /openai/responses with the body’s model', async () => {
    const client = new AzureOpenAI({ endpoint: gw.url, apiVersion: '2025-03-01-preview', apiKey: gatewayKey, maxRetries: 0 });
    const response = await client.responses.create({ model: 'my-gpt4o', input: 'hi' });
    assert.equal(response.output_text, 'model=gpt-4o-2024-08-06');
    assert.equal(upstreamModel(upstream, '/v1/chat/completions'), 'gpt-4o-2024-08-06');
  });

  it('an unknown operation under a deployment is 404 unknown_url in OpenAI’s shape', async () => {
    const client = new AzureOpenAI({ endpoint: gw.url, deployment: 'my-gpt4o', apiVersion, apiKey: gatewayKey, maxRetries: 0 });
    const error = await refusal(client.batches.create({ completion_window: '24h', endpoint: '/v1/chat/completions', input_file_id: 'file-1' }));
    assert.equal(error.status, 404);
    assert.equal(error.code, 'unknown_url');
    assert.match(error.message, /\/openai\/deployments\/my-gpt4o\/batches/);
    assert.equal(upstream.requests.length, 0);
  });

  it('a deployment no model answers to is 404 model_not_found; an empty one is 400 naming model', async () => {
    const client = new AzureOpenAI({ endpoint: gw.url, deployment: 'no-such-deployment', apiVersion, apiKey: gatewayKey, maxRetries: 0 });
    const missing = await refusal(client.chat.completions.create({ model: 'my-gpt4o', messages }));
    assert.equal(missing.status, 404);
    assert.equal(missing.code, 'model_not_found');
    assert.match(missing.message, /no-such-deployment/);
    const empty = await fetch(`${gw.url}/openai/deployments//chat/completions?api-version=${apiVersion}`, { method: 'POST', headers: { 'api-key': gatewayKey, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'my-gpt4o', messages }) });
    assert.equal(empty.status, 400);
    const body = (await empty.json()) as { error: { type: string; param: string; code: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.param, 'model');
    assert.equal(upstream.requests.length, 0);
  });

  it('Azure-style paths need the gateway key as /v1 does (401 in OpenAI’s shape); api-version is not required', async () => {
    const client = new AzureOpenAI({ endpoint: gw.url, deployment: 'my-gpt4o', apiVersion, apiKey: 'not-a-gateway-key', maxRetries: 0 });
    const refused = await refusal(client.chat.completions.create({ model: 'my-gpt4o', messages }));
    assert.equal(refused.status, 401);
    const plain = await fetch(`${gw.url}/deployments/my-gpt4o/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${gatewayKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ messages }) });
    assert.equal(plain.status, 200, 'no api-version, no body model');
    assert.equal(upstreamModel(upstream, '/v1/chat/completions'), 'gpt-4o-2024-08-06');
  });
});

describe('Azure-style paths match routes as their /v1 path', () => {
  it('a route by path /v1/* with key-auth guards /openai/deployments/... too', async () => {
    const gw = await startGateway(`
routes:
  - match: { path: "/v1/*" }
    plugins: { key-auth: { keys: [{ key: tg-route-key, consumer: c }] } }`);
    try {
      const post = (headers: Record<string, string>) => fetch(`${gw.url}/openai/deployments/echo/x/chat/completions?api-version=${apiVersion}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ messages }) });
      assert.equal((await post({})).status, 401);
      assert.equal((await post({ 'api-key': 'tg-route-key' })).status, 200);
    } finally {
      await gw.close();
    }
  });
});
