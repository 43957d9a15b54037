import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

type Reply = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

const gatewayKey = 'tg-anthropic-client-test-key';

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** A whole Anthropic event stream answering `text`. */
function anthropicStream(text: string): string {
  return [
    event('message_start', { message: { id: 'msg_s', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } } }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: text.slice(0, 8) } }),
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: text.slice(8) } }),
    event('content_block_stop', { index: 0 }),
    event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 6 } }),
    event('message_stop', {}),
  ].join('');
}

describe('Anthropic-format clients with plugins (key-auth, pii) in front of an Anthropic provider', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;
  let reply: Reply = (_request, response) => void response.end();

  before(async () => {
    upstream = await startStandIn((request, response) => reply(request, response));
    const config = `
plugins:
  key-auth: { keys: [{ key: "${gatewayKey}", consumer: app }] }
  pii: { request: mask, response: redact, entities: { email: { action: mask } } }
`;
    gateway = await startGateway(config, { ANTHROPIC_API_KEY: 'upstream-key', ANTHROPIC_BASE_URL: upstream.url });
    client = new Anthropic({ baseURL: gateway.url, apiKey: gatewayKey, maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('x-api-key carries the gateway key; a wrong one is a 401 authentication_error', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } }));
    };
    const message = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(message.content, [{ type: 'text', text: 'ok' }]);
    assert.equal(upstream.requests[0].headers['x-api-key'], 'upstream-key');

    const stranger = new Anthropic({ baseURL: gateway.url, apiKey: 'tg-wrong', maxRetries: 0 });
    await assert.rejects(stranger.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.AuthenticationError);
      assert.equal((error.error as { type: string; error: { type: string } }).error.type, 'authentication_error');
      return true;
    });
  });

  it('count_tokens is authenticated like a model request, and guarded: a prompt pii changes is only estimated', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"input_tokens":42}');
    };
    const counted = await client.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'count me' }] });
    assert.equal(counted.input_tokens, 42, "a prompt the guardrails leave alone is Anthropic's to count");
    assert.equal(upstream.requests[0].path, '/v1/messages/count_tokens');
    upstream.requests.length = 0;
    const masked = await client.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Mail ann@example.com' }] });
    assert.ok(masked.input_tokens > 0 && masked.input_tokens !== 42);
    assert.equal(upstream.requests.length, 0, 'the unmasked address never reached the provider');
    const stranger = new Anthropic({ baseURL: gateway.url, apiKey: 'tg-wrong', maxRetries: 0 });
    await assert.rejects(stranger.messages.countTokens({ model: 'nobody/nothing', messages: [{ role: 'user', content: 'x' }] }), Anthropic.AuthenticationError, 'no hint of which models exist before authentication');
    assert.equal(upstream.requests.length, 0);
  });

  it('a plugin that changes the body sends a translated request; the answer comes back as a Message', async () => {
    reply = (request, response) => {
      const sent = request.json as { messages: Array<{ content: Array<{ text: string }> }> };
      const echoed = sent.messages[0].content[0].text;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: `You said: ${echoed}` }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 7, output_tokens: 4 } }));
    };
    const message = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Mail ann@example.com' }] });
    const sent = upstream.requests[0].json as { model: string; max_tokens: number; messages: unknown };
    assert.equal(sent.model, 'claude-sonnet-4-5');
    assert.equal(sent.max_tokens, 50);
    assert.deepEqual(sent.messages, [{ role: 'user', content: [{ type: 'text', text: 'Mail <EMAIL_1>' }] }], 'the masked, translated body went up');
    assert.deepEqual(message.content, [{ type: 'text', text: 'You said: Mail ann@example.com', citations: null }], 'the placeholder was restored for the client');
    assert.equal(message.usage.input_tokens, 7);
  });

  it('with a chunk plugin the Anthropic stream goes through the canonical model and is encoded again', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(anthropicStream('Reply to <EMAIL_1> soon'));
    };
    const final = await client.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Mail ann@example.com' }] }).finalMessage();
    assert.equal((upstream.requests[0].json as { stream?: boolean }).stream, true);
    assert.deepEqual(final.content, [{ type: 'text', text: 'Reply to ann@example.com soon', citations: null }]);
    assert.equal(final.stop_reason, 'end_turn');
    assert.equal(final.usage.output_tokens, 6);
    assert.equal(final.usage.input_tokens, 9);
  });

  it('a forwarded (unchanged) request whose stream a chunk plugin must see: the reply is decoded, checked and encoded again', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(anthropicStream('Write to bob@example.org now'));
    };
    const stream = client.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Who do I write to?' }] });
    const final = await stream.finalMessage();
    const sent = upstream.requests[0];
    assert.match(sent.body, /"messages":\[\{"role":"user","content":"Who do I write to\?"\}\]/, "the client's own body went up (content as a string, not translated blocks)");
    const text = (final.content[0] as { text: string }).text;
    assert.doesNotMatch(text, /bob@example\.org/);
    assert.match(text, /^Write to <EMAIL_\d+> now$/);
    assert.equal(final.usage.output_tokens, 6);
  });
});
