import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from 'pino';
import type { ChatResponse } from '../../../src/canonical/chat.ts';
import { defaultTimeouts, type UpstreamClient, type UpstreamRequest } from '../../../src/upstream/upstream-client.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import type { ProviderCall, ProviderSettings, ResponseReply } from '../../../src/providers/provider.ts';
import { CohereProvider, cohereApiRoot } from '../../../src/providers/cohere/cohere-provider.ts';
import { fixtureBytes } from './fixtures.ts';

/** A provider whose upstream answers every call with a fixture and records what was sent; warnings are kept. */
function provider(settings: Partial<ProviderSettings>, fixture = 'chat-text.json') {
  const sent: UpstreamRequest[] = [];
  const warnings: Array<Record<string, unknown>> = [];
  const upstream = {
    requestWhole: async (request: UpstreamRequest) => {
      sent.push(request);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: fixtureBytes(fixture) };
    },
  } as unknown as UpstreamClient;
  const logger = { warn: (fields: Record<string, unknown>) => warnings.push(fields) } as unknown as Logger;
  const full: ProviderSettings = { name: 'cohere', type: 'cohere', apiKey: 'co-key', baseUrl: 'https://api.cohere.com', models: [], byok: false, headers: {}, timeouts: defaultTimeouts, options: {}, strictParams: false, ...settings };
  return { instance: new CohereProvider(full, { upstream, logger }), sent, warnings };
}

function call(fields: Partial<ProviderCall>): ProviderCall {
  return {
    operation: 'chat',
    model: 'command-a-03-2025',
    request: { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }] },
    rawBody: null,
    rawModelUnchanged: false,
    stream: false,
    apiKey: 'co-key',
    signal: new AbortController().signal,
    requestId: 'req-1',
    clientFormat: 'openai',
    ...fields,
  } as ProviderCall;
}

describe('CohereProvider', () => {
  it('the API root: a host gets /v2, trailing slashes go, a base already at /v2 is kept', () => {
    assert.equal(cohereApiRoot('https://api.cohere.com'), 'https://api.cohere.com/v2');
    assert.equal(cohereApiRoot('http://127.0.0.1:9//'), 'http://127.0.0.1:9/v2');
    assert.equal(cohereApiRoot('https://proxy.example/cohere/v2/'), 'https://proxy.example/cohere/v2');
  });

  it('is translated, serves chat, embeddings and rerank, and refuses text completions', async () => {
    const { instance } = provider({});
    assert.equal(instance.nativeFormat, null);
    assert.deepEqual([...instance.operations], ['chat', 'embeddings', 'rerank']);
    assert.ok(instance.droppedParameters.has('logprobs'));
    await assert.rejects(instance.send(call({ operation: 'completions' })), (error: unknown) => error instanceof GatewayError && error.code === 'unsupported_operation');
  });

  it('sends bearer auth and the configured headers; the id is the gateway\'s', async () => {
    const { instance, sent } = provider({ headers: { 'x-client-name': 'tollgate-test' } });
    const reply = (await instance.send(call({}))) as ResponseReply;
    assert.equal(sent[0].url, 'https://api.cohere.com/v2/chat');
    assert.equal(sent[0].headers.authorization, 'Bearer co-key');
    assert.equal(sent[0].headers['x-client-name'], 'tollgate-test');
    assert.equal((reply.response as ChatResponse).id, 'chatcmpl-req-1');
  });

  it('a value Cohere cannot honour is dropped with a warning naming it, or refused under strict_params', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'f', parameters: { type: 'object' } } }];
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }], tools, tool_choice: { type: 'function' as const, function: { name: 'f' } }, parallel_tool_calls: false };
    const lenient = provider({});
    await lenient.instance.send(call({ request }));
    // A named tool_choice is honoured (the named tool alone, REQUIRED); parallel_tool_calls: false is not.
    assert.deepEqual(lenient.warnings, [{ requestId: 'req-1', provider: 'cohere', dropped: ['parallel_tool_calls'] }]);
    const strict = provider({ strictParams: true });
    await assert.rejects(strict.instance.send(call({ request })), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.code === 'unsupported_parameter' && error.param === 'parallel_tool_calls');
    assert.equal(strict.sent.length, 0);
  });

  it('a value outside Cohere\'s range is clamped with a warning naming it (never the value), or refused under strict_params', async () => {
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }], frequency_penalty: -1, presence_penalty: 2, top_p: 1, top_k: 900 };
    const lenient = provider({});
    await lenient.instance.send(call({ request }));
    const body = JSON.parse(String(lenient.sent[0].body));
    assert.deepEqual([body.frequency_penalty, body.presence_penalty, body.p, body.k], [0, 1, 0.99, 500]);
    assert.deepEqual(lenient.warnings, [{ requestId: 'req-1', provider: 'cohere', clamped: ['top_k', 'frequency_penalty', 'presence_penalty'] }]);
    const strict = provider({ strictParams: true });
    await assert.rejects(strict.instance.send(call({ request })), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.code === 'unsupported_parameter' && error.param === 'top_k' && /strict_params/.test(error.message));
    assert.equal(strict.sent.length, 0);
    // In range, or top_p alone: no warning, nothing refused.
    const quiet = provider({ strictParams: true });
    await quiet.instance.send(call({ request: { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }], frequency_penalty: 0, presence_penalty: 1, top_p: 0, top_k: 500 } }));
    assert.deepEqual(quiet.warnings, []);
  });

  it('n > 1 is refused with 400 naming n, strict_params or not: Cohere answers once', async () => {
    for (const strictParams of [false, true]) {
      const { instance, sent } = provider({ strictParams });
      await assert.rejects(instance.send(call({ request: { model: 'm', messages: [{ role: 'user', content: 'Hi' }], n: 3 } })), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.code === 'invalid_request' && error.param === 'n');
      assert.equal(sent.length, 0);
    }
  });

  it('embeddings use the embedding_input_type option', async () => {
    const { instance, sent } = provider({ options: { embedding_input_type: 'clustering' } }, 'embed.json');
    await instance.send(call({ operation: 'embeddings', model: 'embed-v4.0', request: { model: 'embed-v4.0', input: ['a', 'b'] } }));
    assert.equal(sent[0].url, 'https://api.cohere.com/v2/embed');
    assert.equal(JSON.parse(String(sent[0].body)).input_type, 'clustering');
  });

  it('embeddings of more than 96 inputs are sent as calls of at most 96 texts', async () => {
    const { instance, sent } = provider({}, 'embed.json');
    const input = Array.from({ length: 97 }, (_, index) => `t${index}`);
    // The fixture answers two vectors to every call: the count check fails the request as a bad response.
    await assert.rejects(instance.send(call({ operation: 'embeddings', model: 'embed-v4.0', request: { model: 'embed-v4.0', input } })), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
    assert.deepEqual(sent.map((request) => JSON.parse(String(request.body)).texts.length).sort((a: number, b: number) => a - b), [1, 96]);
  });
});
