import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatResponse } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { anthropicErrorType, toAnthropicErrorBody } from '../../../src/formats/anthropic/anthropic-error-body.ts';
import { convertToAnthropicMessage } from '../../../src/formats/anthropic/convert-to-anthropic-message.ts';
import { mapToAnthropicUsage } from '../../../src/formats/anthropic/map-to-anthropic-usage.ts';
import { convertAnthropicResponse } from '../../../src/providers/anthropic/convert-anthropic-response.ts';

function completion(message: Partial<ChatResponse['choices'][number]['message']>, finish: ChatResponse['choices'][number]['finish_reason'], usage?: ChatResponse['usage']): ChatResponse {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }], usage };
}

describe('convertToAnthropicMessage', () => {
  it('text answer: msg_ id, end_turn, usage', () => {
    const message = convertToAnthropicMessage(completion({ content: 'Hello' }, 'stop', { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 }));
    assert.deepEqual(message, {
      id: 'msg_chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-mini',
      content: [{ type: 'text', text: 'Hello', citations: null }],
      stop_reason: 'end_turn',
      stop_details: null,
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('thinking, text and tool calls as blocks; tool_calls -> tool_use', () => {
    const message = convertToAnthropicMessage(
      completion(
        {
          content: 'Let me check.',
          reasoning_content: 'Need weather.',
          reasoning_signature: 'sig==',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'now', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
    );
    assert.deepEqual(message.content, [
      { type: 'thinking', thinking: 'Need weather.', signature: 'sig==' },
      { type: 'text', text: 'Let me check.', citations: null },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'now', input: {} },
    ]);
    assert.equal(message.stop_reason, 'tool_use');
  });

  it('maps every finish reason', () => {
    const reason = (finish: ChatResponse['choices'][number]['finish_reason']) => convertToAnthropicMessage(completion({ content: 'x' }, finish)).stop_reason;
    assert.equal(reason('stop'), 'end_turn');
    assert.equal(reason('length'), 'max_tokens');
    assert.equal(reason('tool_calls'), 'tool_use');
    assert.equal(reason('content_filter'), 'refusal');
    assert.equal(reason(null), 'end_turn');
  });

  it('a stop sequence the provider named on the choice (stop_sequence extension): stop_reason stop_sequence with it', () => {
    const named = completion({ content: '1. Paris' }, 'stop');
    Object.assign(named.choices[0], { stop_sequence: '3.' });
    const message = convertToAnthropicMessage(named);
    assert.deepEqual([message.stop_reason, message.stop_sequence], ['stop_sequence', '3.']);
    const unnamed = convertToAnthropicMessage(completion({ content: 'x' }, 'stop'));
    assert.deepEqual([unnamed.stop_reason, unnamed.stop_sequence], ['end_turn', null]);
  });

  it('usage: cached and cache-written tokens come out of input_tokens (inverse of the adapter)', () => {
    const anthropicUsage = { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 100, cache_creation_input_tokens: 7 };
    const canonical = convertAnthropicResponse({ id: 'msg_1', type: 'message', role: 'assistant', model: 'c', content: [], stop_reason: 'end_turn', stop_sequence: null, usage: anthropicUsage }, { jsonToolName: null });
    assert.deepEqual(mapToAnthropicUsage(canonical.usage), anthropicUsage);
    assert.deepEqual(mapToAnthropicUsage(null), { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });
});

describe('Anthropic error bodies', () => {
  const error = (status: number) => new GatewayError({ status, type: 'api_error', code: 'x', message: 'm' });
  it('maps statuses to Anthropic error types', () => {
    assert.equal(anthropicErrorType(error(400)), 'invalid_request_error');
    assert.equal(anthropicErrorType(error(401)), 'authentication_error');
    assert.equal(anthropicErrorType(error(403)), 'permission_error');
    assert.equal(anthropicErrorType(error(404)), 'not_found_error');
    assert.equal(anthropicErrorType(error(405)), 'invalid_request_error');
    assert.equal(anthropicErrorType(error(413)), 'request_too_large');
    assert.equal(anthropicErrorType(error(429)), 'rate_limit_error');
    assert.equal(anthropicErrorType(error(500)), 'api_error');
    assert.equal(anthropicErrorType(error(502)), 'api_error');
    assert.equal(anthropicErrorType(error(503)), 'overloaded_error');
    assert.equal(anthropicErrorType(error(529)), 'overloaded_error');
    assert.deepEqual(toAnthropicErrorBody(error(429)), { type: 'error', error: { type: 'rate_limit_error', message: 'm' } });
  });
});
