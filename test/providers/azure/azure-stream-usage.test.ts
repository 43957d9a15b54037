import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const stream = readFileSync(new URL('../../fixtures/azure/chat-stream.sse', import.meta.url), 'utf8');
/** The same stream as an api-version without stream_options sends it: no usage chunk, no `usage` member. */
const streamWithoutUsage = stream
  .split('\n\n')
  .filter((event) => !event.includes('"usage":{'))
  .map((event) => event.replace(',"usage":null', ''))
  .join('\n\n');

/**
 * A stand-in Azure resource that, as Azure does, refuses `stream_options` on api-versions before
 * 2024-09-01-preview with 400 "Unrecognized request argument supplied".
 */
async function startVersionedAzureStandIn(): Promise<StandIn> {
  return startStandIn((request, response) => {
    const version = new URL(request.path, 'http://x').searchParams.get('api-version') ?? 'v1';
    const knowsStreamOptions = version === 'v1' || version.slice(0, 10) >= '2024-09-01';
    const body = request.json as { stream_options?: unknown };
    if (body.stream_options !== undefined && !knowsStreamOptions) {
      response.writeHead(400, { 'content-type': 'application/json', 'apim-request-id': 'apim-400' });
      response.end(JSON.stringify({ error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error', param: null, code: null } }));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'apim-request-id': 'apim-stream' });
    response.end(knowsStreamOptions ? stream : streamWithoutUsage);
  });
}

const providerEntry = (url: string, options: string): string => `providers:\n  azure:\n    type: azure\n    api_key: k\n    base_url: ${url}\n    options: { ${options} }\n`;

describe('azure: stream usage follows the api-version (stream_options from 2024-09-01-preview on)', () => {
  let upstream: StandIn;

  before(async () => {
    upstream = await startVersionedAzureStandIn();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await upstream.close();
  });

  /** Streams a chat through the gateway with the openai SDK; the text, and the stream_options Azure got. */
  async function streamedChat(gw: RunningGateway, extra: { stream_options?: { include_usage: boolean } } = {}): Promise<{ text: string; sentStreamOptions: unknown }> {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const parts = await client.chat.completions.create({ model: 'azure/gpt4o', stream: true, messages: [{ role: 'user', content: 'hi' }], ...extra });
    let text = '';
    for await (const part of parts) text += part.choices[0]?.delta?.content ?? '';
    return { text, sentStreamOptions: (upstream.requests.at(-1)?.json as { stream_options?: unknown }).stream_options };
  }

  for (const version of ['2024-06-01', '2024-02-15-preview', '2024-08-01-preview']) {
    it(`api_version ${version}: a stream the client opened without stream_options goes up without it, and works`, async () => {
      const gw = await startGateway(providerEntry(upstream.url, `api_version: ${version}`));
      try {
        assert.deepEqual(await streamedChat(gw), { text: 'Hello ✓', sentStreamOptions: undefined });
      } finally {
        await gw.close();
      }
    });
  }

  for (const version of ['2024-09-01-preview', '2024-10-21', '2025-04-01-preview', 'v1']) {
    it(`api_version ${version}: the gateway asks for usage and hides the chunk it caused`, async () => {
      const gw = await startGateway(providerEntry(upstream.url, `api_version: ${version}`));
      try {
        assert.deepEqual(await streamedChat(gw), { text: 'Hello ✓', sentStreamOptions: { include_usage: true } });
      } finally {
        await gw.close();
      }
    });
  }

  it("an old api-version: the client's own stream_options goes up as sent and Azure's 400 comes back", async () => {
    const gw = await startGateway(providerEntry(upstream.url, 'api_version: 2024-06-01'));
    try {
      await assert.rejects(streamedChat(gw, { stream_options: { include_usage: true } }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.match(error.message, /Unrecognized request argument supplied: stream_options/);
        return true;
      });
      assert.deepEqual((upstream.requests[0].json as { stream_options?: unknown }).stream_options, { include_usage: true });
    } finally {
      await gw.close();
    }
  });

  it('stream_usage set explicitly wins over the api-version, both ways', async () => {
    let gw = await startGateway(providerEntry(upstream.url, 'api_version: 2024-10-21, stream_usage: false'));
    try {
      assert.deepEqual(await streamedChat(gw), { text: 'Hello ✓', sentStreamOptions: undefined });
    } finally {
      await gw.close();
    }
    gw = await startGateway(providerEntry(upstream.url, 'api_version: 2024-06-01, stream_usage: true'));
    try {
      await assert.rejects(streamedChat(gw), OpenAI.BadRequestError);
      assert.deepEqual((upstream.requests.at(-1)?.json as { stream_options?: unknown }).stream_options, { include_usage: true });
    } finally {
      await gw.close();
    }
  });

  it('zero-config with an old OPENAI_API_VERSION streams', async () => {
    const gw = await startGateway('{}', { AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: upstream.url, OPENAI_API_VERSION: '2024-05-01-preview' });
    try {
      assert.deepEqual(await streamedChat(gw), { text: 'Hello ✓', sentStreamOptions: undefined });
      assert.match(upstream.requests[0].path, /api-version=2024-05-01-preview$/);
    } finally {
      await gw.close();
    }
  });

  it('Anthropic and Responses clients streaming to an old api-version: the stream_options the gateway wrote stays out; usage is estimated', async () => {
    const gw = await startGateway(providerEntry(upstream.url, 'api_version: 2024-06-01'));
    try {
      const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'client-key', maxRetries: 0 });
      const message = await anthropic.messages.stream({ model: 'azure/gpt4o', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
      assert.equal((message.content[0] as { text: string }).text, 'Hello ✓');
      assert.ok(message.usage.output_tokens > 0, 'estimated from the stream');
      assert.equal((upstream.requests[0].json as { stream_options?: unknown }).stream_options, undefined);

      const openai = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
      const events = await openai.responses.create({ model: 'azure/gpt4o', input: 'hi', stream: true });
      let text = '';
      for await (const event of events) if (event.type === 'response.output_text.delta') text += event.delta;
      assert.equal(text, 'Hello ✓');
      assert.equal((upstream.requests[1].json as { stream_options?: unknown }).stream_options, undefined);
    } finally {
      await gw.close();
    }
  });
});
