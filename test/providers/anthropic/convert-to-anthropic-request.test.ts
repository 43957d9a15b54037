import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertToAnthropicRequest } from '../../../src/providers/anthropic/convert-to-anthropic-request.ts';
import { fixturesDirectory, readJsonFixture } from './run-stream-fixture.ts';

interface RequestFixture { description: string; model: string; stream: boolean; canonical: ChatRequest; expected: unknown }

const base = (extra: Partial<ChatRequest>): ChatRequest => ({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], ...extra });

function rejects(request: ChatRequest, param: string): void {
  assert.throws(
    () => convertToAnthropicRequest(request, 'claude-sonnet-4-5', false),
    (error: unknown) => error instanceof GatewayError && error.status === 400 && error.type === 'invalid_request_error' && error.param === param,
  );
}

describe('convertToAnthropicRequest: recorded request bodies', () => {
  const names = readdirSync(new URL('requests/', fixturesDirectory)).filter((name) => name.endsWith('.json'));
  for (const name of names) {
    const fixture = readJsonFixture<RequestFixture>(`requests/${name}`);
    test(`${name}: ${fixture.description}`, () => {
      const plan = convertToAnthropicRequest(fixture.canonical, fixture.model, fixture.stream);
      assert.deepEqual(JSON.parse(JSON.stringify(plan.body)), fixture.expected);
    });
  }
});

describe('convertToAnthropicRequest: parameters', () => {
  test('n > 1 is refused with 400 invalid_request_error', () => rejects(base({ n: 3 }), 'n'));

  test('max_completion_tokens wins over max_tokens; either replaces the default', () => {
    assert.equal(convertToAnthropicRequest(base({ max_tokens: 77 }), 'm', false).body.max_tokens, 77);
    assert.equal(convertToAnthropicRequest(base({ max_tokens: 77, max_completion_tokens: 88 }), 'm', false).body.max_tokens, 88);
    assert.equal(convertToAnthropicRequest(base({}), 'm', false).body.max_tokens, 4096);
  });

  test('stop lists pass as stop_sequences; null and empty lists are left out', () => {
    assert.deepEqual(convertToAnthropicRequest(base({ stop: ['a', 'b'] }), 'm', false).body.stop_sequences, ['a', 'b']);
    assert.equal(convertToAnthropicRequest(base({ stop: [] }), 'm', false).body.stop_sequences, undefined);
    assert.equal(convertToAnthropicRequest(base({ stop: null }), 'm', false).body.stop_sequences, undefined);
  });

  test('tool_choice auto and none; no tools means no tool_choice', () => {
    const tools: ChatRequest['tools'] = [{ type: 'function', function: { name: 'f' } }];
    assert.deepEqual(convertToAnthropicRequest(base({ tools, tool_choice: 'auto' }), 'm', false).body.tool_choice, { type: 'auto' });
    assert.deepEqual(convertToAnthropicRequest(base({ tools, tool_choice: 'none' }), 'm', false).body.tool_choice, { type: 'none' });
    assert.equal(convertToAnthropicRequest(base({ tool_choice: 'required' }), 'm', false).body.tool_choice, undefined);
    assert.deepEqual(convertToAnthropicRequest(base({ tools, parallel_tool_calls: false }), 'm', false).body.tool_choice, { type: 'auto', disable_parallel_tool_use: true });
  });

  test('json_object is a forced tool taking any object', () => {
    const plan = convertToAnthropicRequest(base({ response_format: { type: 'json_object' } }), 'm', false);
    assert.equal(plan.jsonToolName, 'json_response');
    assert.deepEqual(plan.body.tools?.[0].input_schema, { type: 'object' });
    assert.deepEqual(plan.body.tool_choice, { type: 'tool', name: 'json_response' });
  });

  test('JSON mode beside client tools: any tool must be called; a clashing name is made unique', () => {
    const tools: ChatRequest['tools'] = [{ type: 'function', function: { name: 'json_response' } }];
    const plan = convertToAnthropicRequest(base({ tools, response_format: { type: 'json_object' } }), 'm', false);
    assert.equal(plan.jsonToolName, 'json_response_');
    assert.deepEqual(plan.body.tools?.map((tool) => tool.name), ['json_response', 'json_response_']);
    assert.deepEqual(plan.body.tool_choice, { type: 'any' });
    assert.equal(convertToAnthropicRequest(base({ response_format: { type: 'text' } }), 'm', false).jsonToolName, null);
  });

  test('reasoning_effort: budgets by effort, half of a client limit at most, none below 1024 or with a forced tool', () => {
    const low = convertToAnthropicRequest(base({ reasoning_effort: 'low', top_p: 0.5 }), 'm', false).body;
    assert.deepEqual(low.thinking, { type: 'enabled', budget_tokens: 1024 });
    assert.equal(low.max_tokens, 4096 + 1024);
    assert.equal(low.top_p, undefined);
    const capped = convertToAnthropicRequest(base({ reasoning_effort: 'high', max_completion_tokens: 10000 }), 'm', false).body;
    assert.deepEqual(capped.thinking, { type: 'enabled', budget_tokens: 5000 });
    assert.equal(capped.max_tokens, 10000);
    const tooSmall = convertToAnthropicRequest(base({ reasoning_effort: 'medium', max_tokens: 1500, temperature: 0.3 }), 'm', false).body;
    assert.equal(tooSmall.thinking, undefined);
    assert.equal(tooSmall.temperature, 0.3);
    assert.equal(convertToAnthropicRequest(base({ reasoning_effort: 'minimal' }), 'm', false).body.thinking, undefined);
    const forced = convertToAnthropicRequest(base({ reasoning_effort: 'high', response_format: { type: 'json_object' } }), 'm', false).body;
    assert.equal(forced.thinking, undefined);
  });
});

describe('convertToAnthropicRequest: content', () => {
  test('cache_control hints on text parts pass through', () => {
    const plan = convertToAnthropicRequest(base({ messages: [{ role: 'user', content: [{ type: 'text', text: 'long', cache_control: { type: 'ephemeral' } } as never] }] }), 'm', false);
    assert.deepEqual(plan.body.messages[0].content[0], { type: 'text', text: 'long', cache_control: { type: 'ephemeral' } });
  });

  test('a PDF file part becomes a document block; file ids are refused', () => {
    const plan = convertToAnthropicRequest(base({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } }] }] }), 'm', false);
    assert.deepEqual(plan.body.messages[0].content[0], { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' });
    rejects(base({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] }), 'messages[0].content[0]');
  });

  test('unusable input is refused with the field named', () => {
    rejects(base({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }), 'messages[0].content[0].image_url.url');
    // A data URL without ;base64 is percent-encoded bytes (RFC 2397), sent as base64; a broken escape is refused.
    rejects(base({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,100%' } }] }] }), 'messages[0].content[0].image_url.url');
    rejects(base({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }), 'messages[0].content[0]');
    rejects(base({ messages: [{ role: 'assistant', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{not json' } }] }] }), 'messages[0].tool_calls[0].function.arguments');
    rejects(base({ messages: [{ role: 'assistant', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] }), 'messages[0].tool_calls[0].function.arguments');
    rejects(base({ messages: [{ role: 'function' as never, content: 'x' }] }), 'messages[0].role');
    rejects(base({ messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }), 'messages[0].content');
    assert.throws(() => convertToAnthropicRequest(base({ messages: [{ role: 'tool', content: 'x' }] }), 'm', false), (error: unknown) => error instanceof GatewayError && error.param === 'messages[0].tool_call_id');
  });
});
