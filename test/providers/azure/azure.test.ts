import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/azure/${name}`, import.meta.url), 'utf8');
const completion = fixture('chat-completion.json').trim();
const stream = fixture('chat-stream.sse');
const embeddings = fixture('embeddings.json').trim();
const contentFilterError = fixture('content-filter-error.json').trim();
const rateLimitError = fixture('rate-limit-error.json').trim();
const textCompletion = JSON.stringify({ id: 'cmpl-1', object: 'text_completion', created: 1733000000, model: 'gpt-35-turbo-instruct', choices: [{ text: ' world', index: 0, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });

/** A stand-in Azure resource: answers by deployment path; a message "blocked" or "busy" triggers Azure's errors. */
async function startAzureStandIn(): Promise<StandIn> {
  return startStandIn((request, response) => {
    const body = request.json as { stream?: boolean; messages?: Array<{ content?: string }> };
    const prompt = body?.messages?.[0]?.content;
    if (prompt === 'blocked') {
      response.writeHead(400, { 'content-type': 'application/json', 'apim-request-id': 'a1', 'x-request-id': 'x1' });
      response.end(contentFilterError);
      return;
    }
    if (prompt === 'expired') {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: '401', message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.' } }));
      return;
    }
    if (prompt === 'busy') {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7', 'retry-after-ms': '7000', 'x-ratelimit-remaining-requests': '0' });
      response.end(rateLimitError);
      return;
    }
    if (request.path.includes('/embeddings')) {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'x-embed' });
      response.end(embeddings);
      return;
    }
    if (request.path.includes('/completions') && !request.path.includes('/chat/')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(textCompletion);
      return;
    }
    if (body?.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-ratelimit-remaining-tokens': '9000', 'apim-request-id': 'apim-stream', 'x-request-id': 'x-stream' });
      response.end(stream);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining-requests': '99', 'apim-request-id': 'apim-json', 'x-request-id': 'x-json' });
    response.end(completion);
  });
}

describe('azure: zero-config (AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startAzureStandIn();
    gw = await startGateway('{}', { AZURE_OPENAI_API_KEY: 'azure-key-1', AZURE_OPENAI_ENDPOINT: `${upstream.url}/` });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('sends chat to the deployment URL with the api-key header and the default api-version', async () => {
    const result = await client.chat.completions.create({ model: 'azure/gpt4o-prod', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 });
    assert.equal(result.choices[0].message.content, 'Hello from Azure');
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0];
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    assert.equal(sent.headers['api-key'], 'azure-key-1');
    assert.equal(sent.headers.authorization, undefined);
    assert.deepEqual(sent.json, { model: 'gpt4o-prod', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 });
  });

  it('passes the JSON body through byte for byte, with rate-limit headers', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'azure/gpt4o-prod', messages: [{ role: 'user', content: 'x' }] }) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-ratelimit-remaining-requests'), '99');
    assert.equal(await response.text(), completion);
  });

  it('streams the upstream SSE bytes through unchanged, [DONE] included', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'azure/gpt4o-prod', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('x-ratelimit-remaining-tokens'), '9000');
    const text = await response.text();
    assert.equal(text, stream);
    assert.ok(text.endsWith('data: [DONE]\n\n'));
    assert.equal(upstream.requests[0].headers.accept, 'text/event-stream');
  });

  it('streams to the openai SDK; the usage chunk it did not ask for is hidden', async () => {
    const parts = await client.chat.completions.create({ model: 'azure/gpt4o-prod', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let text = '';
    let usageChunks = 0;
    for await (const part of parts) {
      text += part.choices[0]?.delta?.content ?? '';
      if (part.usage) usageChunks++;
    }
    assert.equal(text, 'Hello ✓');
    assert.equal(usageChunks, 0);
    assert.deepEqual((upstream.requests[0].json as { stream_options?: unknown }).stream_options, { include_usage: true });
  });

  it('sends embeddings and text completions to their deployment paths', async () => {
    const vectors = await client.embeddings.create({ model: 'azure/embed-small', input: 'abc', encoding_format: 'float' });
    assert.deepEqual(vectors.data[0].embedding, [0.0123, -0.0456, 0.0789]);
    assert.equal(upstream.requests[0].path, '/openai/deployments/embed-small/embeddings?api-version=2024-10-21');
    assert.equal(upstream.requests[0].headers['api-key'], 'azure-key-1');

    const text = await client.completions.create({ model: 'azure/instruct', prompt: 'hello' });
    assert.equal(text.choices[0].text, ' world');
    assert.equal(upstream.requests[1].path, '/openai/deployments/instruct/completions?api-version=2024-10-21');
  });

  it('passes a content_filter error through with its status, code and param', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'azure/gpt4o-prod', messages: [{ role: 'user', content: 'blocked' }] }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.status, 400);
        assert.equal(error.code, 'content_filter');
        assert.equal(error.param, 'prompt');
        assert.match(error.message, /content management policy/);
        return true;
      },
    );
  });

  it('passes a 429 through with retry-after for the client', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'azure/gpt4o-prod', messages: [{ role: 'user', content: 'busy' }] }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.RateLimitError);
        assert.equal(error.status, 429);
        assert.equal(error.headers.get('retry-after'), '7');
        assert.equal(error.headers.get('retry-after-ms'), '7000');
        assert.match(error.message, /retry after 7 seconds/);
        return true;
      },
    );
    assert.equal(upstream.requests.length, 1);
  });

  it("x-upstream-request-id is Azure's apim-request-id (answers, streams, errors), else its x-request-id", async () => {
    const answer = await client.chat.completions.create({ model: 'azure/gpt4o-prod', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    assert.equal(answer.response.headers.get('x-upstream-request-id'), 'apim-json');
    const streamed = await client.chat.completions.create({ model: 'azure/gpt4o-prod', stream: true, messages: [{ role: 'user', content: 'x' }] }).withResponse();
    for await (const _part of streamed.data);
    assert.equal(streamed.response.headers.get('x-upstream-request-id'), 'apim-stream');
    await assert.rejects(client.chat.completions.create({ model: 'azure/gpt4o-prod', messages: [{ role: 'user', content: 'blocked' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.headers.get('x-upstream-request-id'), 'a1');
      return true;
    });
    const vectors = await client.embeddings.create({ model: 'azure/embed-small', input: 'abc', encoding_format: 'float' }).withResponse();
    assert.equal(vectors.response.headers.get('x-upstream-request-id'), 'x-embed', 'no apim-request-id: the x-request-id');
  });

  it('encodes the deployment name into the path', async () => {
    await client.chat.completions.create({ model: 'azure/my deployment', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(upstream.requests[0].path, '/openai/deployments/my%20deployment/chat/completions?api-version=2024-10-21');
  });
});

describe('azure: configured entries', () => {
  let upstream: StandIn;
  let gw: RunningGateway | null = null;

  before(async () => {
    upstream = await startAzureStandIn();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await upstream.close();
  });

  async function chatThrough(configText: string, env: NodeJS.ProcessEnv, model: string): Promise<void> {
    gw = await startGateway(configText, env);
    try {
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
      const result = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(result.choices[0].message.content, 'Hello from Azure');
    } finally {
      await gw.close();
    }
  }

  it('sends an Entra ID token as a bearer token with auth: entra and a configured api_version', async () => {
    const config = `providers:\n  aoai:\n    type: azure\n    api_key: entra-token-1\n    base_url: ${upstream.url}/openai\n    options: { auth: entra, api_version: 2025-04-01-preview }\n`;
    await chatThrough(config, {}, 'aoai/gpt4o');
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/openai/deployments/gpt4o/chat/completions?api-version=2025-04-01-preview');
    assert.equal(sent.headers.authorization, 'Bearer entra-token-1');
    assert.equal(sent.headers['api-key'], undefined);
  });

  it('sends options.azure_ad_token as a bearer token when no api_key is set', async () => {
    const config = `providers:\n  aoai:\n    type: azure\n    base_url: ${upstream.url}\n    options: { azure_ad_token: ad-token-2 }\n`;
    await chatThrough(config, {}, 'aoai/gpt4o');
    assert.equal(upstream.requests[0].headers.authorization, 'Bearer ad-token-2');
    assert.equal(upstream.requests[0].headers['api-key'], undefined);
  });

  it("Azure refusing the configured azure_ad_token: 401 whose message says it is the gateway's credential", async () => {
    const gw = await startGateway(`providers:\n  aoai:\n    type: azure\n    base_url: ${upstream.url}\n    options: { azure_ad_token: ad-token-2 }\n`, {});
    try {
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
      await assert.rejects(client.chat.completions.create({ model: 'aoai/gpt4o', messages: [{ role: 'user', content: 'expired' }] }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.AuthenticationError);
        assert.match((error.error as { message: string }).message, /^Provider 'aoai' refused the credential the gateway holds for it \(not the key this request sent\): Unauthorized\. Access token/);
        return true;
      });
    } finally {
      await gw.close();
    }
  });

  it('takes api_version from OPENAI_API_VERSION through config substitution', async () => {
    const config = `providers:\n  azure:\n    type: azure\n    api_key: k\n    base_url: ${upstream.url}\n    options: { api_version: "\${OPENAI_API_VERSION:-2024-10-21}" }\n`;
    await chatThrough(config, { OPENAI_API_VERSION: '2024-12-01-preview' }, 'azure/gpt4o');
    assert.equal(upstream.requests[0].path, '/openai/deployments/gpt4o/chat/completions?api-version=2024-12-01-preview');
  });

  it('uses the version-less v1 API with api_version: v1 (deployment in the body)', async () => {
    const config = `providers:\n  azure:\n    type: azure\n    api_key: k\n    base_url: ${upstream.url}\n    options: { api_version: v1 }\n`;
    await chatThrough(config, {}, 'azure/gpt4o-prod');
    assert.equal(upstream.requests[0].path, '/openai/v1/chat/completions');
    assert.equal((upstream.requests[0].json as { model: string }).model, 'gpt4o-prod');
    assert.equal(upstream.requests[0].headers['api-key'], 'k');
  });

  it('takes api_version from OPENAI_API_VERSION in zero-config', async () => {
    await chatThrough('{}', { AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: upstream.url, OPENAI_API_VERSION: '2024-12-01-preview' }, 'azure/gpt4o');
    assert.equal(upstream.requests[0].path, '/openai/deployments/gpt4o/chat/completions?api-version=2024-12-01-preview');
  });

  it('rejects unknown options and a key together with azure_ad_token at load', async () => {
    await assert.rejects(startGateway(`providers:\n  azure: { type: azure, api_key: k, base_url: ${upstream.url}, options: { apiVersion: x } }\n`), /providers\.azure\.options: unknown field "apiVersion"/);
    await assert.rejects(startGateway(`providers:\n  azure: { type: azure, api_key: k, base_url: ${upstream.url}, options: { auth: oauth } }\n`), /providers\.azure\.options\.auth/);
    await assert.rejects(startGateway(`providers:\n  azure: { type: azure, api_key: k, base_url: ${upstream.url}, options: { azure_ad_token: t } }\n`), /either api_key or options\.azure_ad_token/);
  });

  it('answers 500 provider_not_configured when zero-config has a key but no endpoint', async () => {
    gw = await startGateway('{}', { AZURE_OPENAI_API_KEY: 'k' });
    try {
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'azure/gpt4o', messages: [{ role: 'user', content: 'x' }] }) });
      assert.equal(response.status, 500);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'provider_not_configured');
      assert.match(body.error.message, /AZURE_OPENAI_ENDPOINT/);
    } finally {
      await gw.close();
    }
    assert.equal(upstream.requests.length, 0);
  });

  it('answers 401 missing_provider_key when an entry has no credential at all', async () => {
    gw = await startGateway(`providers:\n  azure: { type: azure, base_url: ${upstream.url} }\n`);
    try {
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'azure/gpt4o', messages: [{ role: 'user', content: 'x' }] }) });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'missing_provider_key');
    } finally {
      await gw.close();
    }
    assert.equal(upstream.requests.length, 0);
  });
});
