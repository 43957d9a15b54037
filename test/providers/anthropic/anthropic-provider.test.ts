import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { anthropicDefinition } from '../../../src/providers/anthropic/definition.ts';
import type { Provider, ProviderCall, ProviderSettings } from '../../../src/providers/provider.ts';
import { defaultTimeouts, UpstreamClient } from '../../../src/upstream/upstream-client.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { readFixture, readJsonFixture } from './run-stream-fixture.ts';

const request: ChatRequest = { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Hi' }] };

function call(overrides: Partial<ProviderCall>): ProviderCall {
  return {
    operation: 'chat',
    model: 'claude-haiku-4-5',
    request,
    rawBody: null,
    rawModelUnchanged: true,
    stream: false,
    apiKey: 'test-key',
    signal: new AbortController().signal,
    requestId: 'req-1',
    clientFormat: 'openai',
    ...overrides,
  };
}

describe('AnthropicProvider.send', () => {
  let upstream: StandIn;
  let client: UpstreamClient;
  let provider: Provider;
  let answer: { status: number; contentType: string; body: string | Buffer } = { status: 200, contentType: 'application/json', body: '{}' };

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(answer.status, { 'content-type': answer.contentType, 'anthropic-ratelimit-tokens-remaining': '9000' });
      response.end(answer.body);
    });
    client = new UpstreamClient({ connections: 4, keepAliveTimeout: 1000 });
    const settings: ProviderSettings = { name: 'anthropic', type: 'anthropic', apiKey: 'test-key', baseUrl: `${upstream.url}/`, models: [], byok: false, headers: {}, timeouts: defaultTimeouts, options: {}, strictParams: false };
    await anthropicDefinition.load();
    provider = anthropicDefinition.create(settings, { upstream: client, logger: pino({ level: 'silent' }) });
  });
  after(async () => {
    await client.close();
    await upstream.close();
  });

  it('keeps Anthropic rate-limit headers on a translated response', async () => {
    answer = { status: 200, contentType: 'application/json', body: JSON.stringify(readJsonFixture<{ anthropic: unknown }>('responses/text.json').anthropic) };
    const reply = await provider.send(call({}));
    assert.equal(reply.kind, 'response');
    assert.equal(reply.headers?.['anthropic-ratelimit-tokens-remaining'], '9000');
    assert.equal(upstream.requests.at(-1)?.path, '/v1/messages', 'a trailing slash on the base URL is tolerated');
  });

  it('an Anthropic-format client with intact bytes is a passthrough; a routed model name is swapped in', async () => {
    answer = { status: 200, contentType: 'text/event-stream', body: readFixture('streams/text.sse') };
    const raw = Buffer.from(JSON.stringify({ model: 'smart', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'Hi' }] }));
    const reply = await provider.send(call({ clientFormat: 'anthropic', rawBody: raw, rawModelUnchanged: false, stream: true }));
    assert.equal(reply.kind, 'passthrough');
    if (reply.kind !== 'passthrough') return;
    assert.equal(reply.stream, true);
    const chunks: Buffer[] = [];
    for await (const piece of reply.body) chunks.push(piece as Buffer);
    assert.deepEqual(Buffer.concat(chunks), readFixture('streams/text.sse'));
    assert.deepEqual(upstream.requests.at(-1)?.json, { model: 'claude-haiku-4-5', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('refuses operations other than chat', async () => {
    await assert.rejects(provider.send(call({ operation: 'embeddings' })), (error: unknown) => error instanceof GatewayError && error.code === 'unsupported_operation');
  });

  it('an unreadable upstream answer is a 502, streamed or not', async () => {
    answer = { status: 200, contentType: 'application/json', body: 'not json' };
    await assert.rejects(provider.send(call({})), (error: unknown) => error instanceof GatewayError && error.status === 502 && error.code === 'upstream_bad_response');
    answer = { status: 200, contentType: 'text/html', body: '<html></html>' };
    await assert.rejects(provider.send(call({ stream: true })), (error: unknown) => error instanceof GatewayError && error.status === 502 && error.code === 'upstream_bad_response');
  });

  it('529 overloaded is a 503 the gateway may fail over from', async () => {
    answer = { status: 529, contentType: 'application/json', body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) };
    await assert.rejects(provider.send(call({})), (error: unknown) => error instanceof GatewayError && error.status === 503 && error.upstream && error.code === 'overloaded_error');
  });
});
