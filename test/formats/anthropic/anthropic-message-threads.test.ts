import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { betaTool } from '@anthropic-ai/sdk/helpers/beta/json-schema';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

// The SDK's tool runner runs over a message thread by default: the first turn sends
// `thread: {type: 'create'}`, later turns only their new messages with `thread: {type: 'continue'}`.
// Only Anthropic's API holds threads; every other target refuses them the way Anthropic does, so
// the SDK falls back to sending the whole history.

interface ChatMessage { role: string; content?: unknown; tool_calls?: unknown[] }

function openAIReply(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { messages: ChatMessage[] };
  const last = body.messages.at(-1);
  const message = last?.role === 'tool'
    ? { role: 'assistant', content: 'It is 18C and sunny in Paris.' }
    : { role: 'assistant', content: null, tool_calls: [{ id: 'call_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] };
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({
    id: 'chatcmpl-1', object: 'chat.completion', created: 1_700_000_000, model: 'llama-3',
    choices: [{ index: 0, message, finish_reason: last?.role === 'tool' ? 'stop' : 'tool_calls' }],
    usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 },
  }));
}

function anthropicReply(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { messages: Array<{ role: string; content: unknown }> };
  const content = JSON.stringify(body.messages.at(-1)?.content ?? '');
  const answered = content.includes('tool_result');
  response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_1' });
  response.end(JSON.stringify({
    id: answered ? 'msg_02' : 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5',
    content: answered ? [{ type: 'text', text: 'Sunny, 18C.' }] : [{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }],
    stop_reason: answered ? 'end_turn' : 'tool_use', stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: 8 },
  }));
}

const weather = betaTool({
  name: 'get_weather',
  description: 'Weather of a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  run: async () => '18C sunny',
});

describe('Anthropic message threads (the SDK tool runner) through the gateway', () => {
  let openaiUpstream: StandIn;
  let anthropicUpstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;

  before(async () => {
    openaiUpstream = await startStandIn(openAIReply);
    anthropicUpstream = await startStandIn(anthropicReply);
    const config = `
providers:
  local: { type: openai-compatible, base_url: "${openaiUpstream.url}/v1", models: [llama-3] }
  claude: { type: anthropic, api_key: upstream-key, base_url: "${anthropicUpstream.url}" }
models:
  local-only: { targets: [{ provider: local, model: llama-3 }] }
  claude-only: { targets: [{ provider: claude, model: claude-sonnet-4-5 }] }
routes:
  - name: local-then-claude
    match: { model: local-then-claude }
    model: local-only
    fallbacks: [claude-only]
`;
    gateway = await startGateway(config);
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    openaiUpstream.requests.length = 0;
    anthropicUpstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await openaiUpstream.close();
    await anthropicUpstream.close();
  });

  it('refuses a thread on a translated provider with Anthropic thread_unsupported_request, sending nothing upstream', async () => {
    const sent = client.beta.messages.create({
      model: 'local/llama-3', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }],
      thread: { type: 'create' },
      betas: ['message-threads-2026-08-12'],
    } as Parameters<typeof client.beta.messages.create>[0]);
    const error = await sent.then(() => null, (caught: unknown) => caught);
    assert.ok(error instanceof APIError, String(error));
    assert.equal(error.status, 400);
    const body = error.error as { type: string; error: { type: string; message: string; details?: Record<string, unknown> } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.deepEqual(body.error.details, { error_code: 'thread_unsupported_request', unsupported: ['thread'] });
    assert.match(body.error.message, /thread/);
    assert.equal(openaiUpstream.requests.length, 0);
  });

  it('the tool runner completes on a translated provider, each call carrying the whole conversation and the tools', async () => {
    const final = await client.beta.messages.toolRunner({ model: 'local/llama-3', max_tokens: 200, tools: [weather], messages: [{ role: 'user', content: 'Weather in Paris?' }] }).runUntilDone();
    assert.deepEqual(final.content.map((block) => block.type), ['text']);
    assert.match((final.content[0] as { text: string }).text, /18C/);
    assert.equal(openaiUpstream.requests.length, 2);
    const second = openaiUpstream.requests[1]!.json as { messages: ChatMessage[]; tools?: unknown[] };
    assert.deepEqual(second.messages.map((message) => message.role), ['user', 'assistant', 'tool']);
    assert.equal(second.messages[0]!.content, 'Weather in Paris?');
    assert.equal(second.tools?.length, 1);
    for (const request of openaiUpstream.requests) assert.ok(!request.body.includes('"thread"'));
  });

  it('passes a thread through to Anthropic, which holds it', async () => {
    const final = await client.beta.messages.toolRunner({ model: 'claude/claude-sonnet-4-5', max_tokens: 200, tools: [weather], messages: [{ role: 'user', content: 'Weather in Paris?' }] }).runUntilDone();
    assert.equal(final.id, 'msg_02');
    assert.equal(anthropicUpstream.requests.length, 2);
    const [first, second] = anthropicUpstream.requests.map((request) => request.json as { thread?: { type: string; previous_message_id?: string }; messages: unknown[] });
    assert.deepEqual(first!.thread, { type: 'create' });
    assert.deepEqual(second!.thread, { type: 'continue', previous_message_id: 'msg_01' });
    assert.equal(second!.messages.length, 1);
  });

  it('a route whose first group cannot hold the thread falls back to one that can', async () => {
    const final = await client.beta.messages.toolRunner({ model: 'local-then-claude', max_tokens: 200, tools: [weather], messages: [{ role: 'user', content: 'Weather in Paris?' }] }).runUntilDone();
    assert.equal(final.id, 'msg_02');
    assert.equal(openaiUpstream.requests.length, 0);
    assert.equal(anthropicUpstream.requests.length, 2);
    assert.equal((anthropicUpstream.requests[1]!.json as { thread?: { type: string } }).thread?.type, 'continue');
  });
});
