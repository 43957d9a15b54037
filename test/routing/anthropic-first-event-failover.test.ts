import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { anthropicStream } from '../providers/anthropic/checking-anthropic-stand-in.ts';
import { controlledUpstream, type ControlledUpstream } from './upstream-control.ts';

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** Anthropic under load: a 200, message_start, ping, then an overloaded_error before any content. */
const overloadedAfterStart =
  event('message_start', { message: { id: 'msg_01Early', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } } }) +
  event('ping', {}) +
  event('error', { error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_011Early' });

/**
 * The same in Anthropic's documented event order: the first block's (empty) content_block_start
 * comes before the ping, then the error, still before any content.
 */
const overloadedAfterEmptyBlock =
  event('message_start', { message: { id: 'msg_01Early', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } } }) +
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  event('ping', {}) +
  event('error', { error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_011Early' });

/** The same when Claude's first block is a tool call (a forced tool): its start carries no content either. */
const overloadedAfterToolStart =
  event('message_start', { message: { id: 'msg_01Early', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } } }) +
  event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} } }) +
  event('ping', {}) +
  event('error', { error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_011Early' });

/**
 * Anthropic's in-stream overload right after message_start fails over to the group's next target
 * like an HTTP 529 does, for every client format: chat completions (translated), the Anthropic
 * Messages passthrough (no byte of the failed stream reaches the client) and the Responses API.
 */
describe('an Anthropic error event before the first content falls back to the next target', () => {
  let claude: StandIn;
  let steady: ControlledUpstream;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let claudeBody = overloadedAfterStart;

  before(async () => {
    claude = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_011Early' });
      response.end(claudeBody);
    });
    steady = await controlledUpstream('steady');
    gateway = await startGateway(`
providers:
  claude: { type: anthropic, api_key: ant-key, base_url: "${claude.url}" }
  steady: { type: openai-compatible, base_url: "${steady.url}/v1" }
routing:
  health: { consecutive_failures: 0 }
models:
  claude-then-steady: { targets: [{ provider: claude, model: claude-sonnet-4-5 }, { provider: steady, model: m }] }
`);
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    claude.requests.length = 0;
    steady.hits = 0;
    claudeBody = overloadedAfterStart;
  });
  after(async () => {
    await gateway.close();
    await Promise.all([claude.close(), steady.standIn.close()]);
  });

  function servedBySteady(headers: Headers, what: string): void {
    assert.equal(headers.get('x-tollgate-provider'), 'steady', what);
    assert.equal(headers.get('x-tollgate-attempts'), '2', what);
    assert.equal(claude.requests.length, 1, what);
    assert.equal(steady.hits, 1, what);
  }

  it('chat completions (OpenAI SDK, translated stream)', async () => {
    const { data: stream, response } = await openai.chat.completions.create({ model: 'claude-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'from steady done');
    servedBySteady(response.headers, 'chat');
  });

  it('/v1/messages (Anthropic SDK, byte passthrough to Claude): the client never sees the failed stream', async () => {
    const { data: stream, response } = await anthropic.messages.create({ model: 'claude-then-steady', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const types: string[] = [];
    let text = '';
    for await (const item of stream) {
      types.push(item.type);
      if (item.type === 'content_block_delta' && item.delta.type === 'text_delta') text += item.delta.text;
    }
    assert.equal(text, 'from steady done');
    assert.equal(types.filter((type) => type === 'message_start').length, 1, 'one message_start: the held one of the failed stream never went out');
    servedBySteady(response.headers, 'messages');
  });

  it('/v1/responses (OpenAI SDK)', async () => {
    const { data: stream, response } = await openai.responses.create({ model: 'claude-then-steady', stream: true, input: 'hi' }).withResponse();
    let text = '';
    const types: string[] = [];
    for await (const item of stream) {
      types.push(item.type);
      if (item.type === 'response.output_text.delta') text += item.delta;
    }
    assert.equal(text, 'from steady done');
    assert.ok(types.includes('response.completed'));
    assert.ok(!types.includes('response.failed'));
    servedBySteady(response.headers, 'responses');
  });

  it("in Anthropic's documented order (an empty content_block_start before the ping), for chat and /v1/messages clients", async () => {
    claudeBody = overloadedAfterEmptyBlock;
    const { data: stream, response } = await openai.chat.completions.create({ model: 'claude-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'from steady done');
    servedBySteady(response.headers, 'chat');
    claude.requests.length = 0;
    steady.hits = 0;
    const messages = await anthropic.messages.create({ model: 'claude-then-steady', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const types: string[] = [];
    for await (const item of messages.data) types.push(item.type);
    assert.equal(types.filter((type) => type === 'message_start').length, 1, 'the held start of the failed stream never went out');
    assert.equal(types.filter((type) => type === 'content_block_start').length, 1);
    servedBySteady(messages.response.headers, 'messages');
  });

  it('when the first block is a tool call: chat and Responses clients still fail over (regression audit)', async () => {
    claudeBody = overloadedAfterToolStart;
    const { data: stream, response } = await openai.chat.completions.create({ model: 'claude-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'from steady done');
    servedBySteady(response.headers, 'chat');
    claude.requests.length = 0;
    steady.hits = 0;
    const responses = await openai.responses.create({ model: 'claude-then-steady', stream: true, input: 'hi' }).withResponse();
    const types: string[] = [];
    for await (const item of responses.data) types.push(item.type);
    assert.ok(types.includes('response.completed') && !types.includes('response.failed'));
    servedBySteady(responses.response.headers, 'responses');
  });

  it('a Claude stream that starts normally is served by Claude, whatever the client format', async () => {
    claudeBody = anthropicStream('hello there', 'claude-sonnet-4-5');
    const raw = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-then-steady', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(raw.headers.get('x-tollgate-provider'), 'claude');
    assert.equal(await raw.text(), claudeBody, 'the passthrough bytes are untouched');
    let text = '';
    for await (const chunk of await openai.chat.completions.create({ model: 'claude-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] })) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'hello there');
    assert.equal(steady.hits, 0);
  });
});
