import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BedrockConverseResponse } from '../../../src/providers/bedrock/bedrock-api.ts';
import { convertBedrockResponse, type BedrockResponseContext } from '../../../src/providers/bedrock/convert-bedrock-response.ts';
import { mapBedrockStopReason } from '../../../src/providers/bedrock/map-bedrock-stop-reason.ts';
import { fixtureJson } from './event-stream-fixtures.ts';

const context: BedrockResponseContext = { id: 'chatcmpl-test', model: 'anthropic.claude-sonnet-4-5-20250929-v1:0', created: 1_700_000_000, jsonToolName: null };

function convert(fixture: string, jsonToolName: string | null = null) {
  return convertBedrockResponse(fixtureJson<BedrockConverseResponse>(fixture), { ...context, jsonToolName });
}

describe('convertBedrockResponse', () => {
  it('text: content, stop, usage, the gateway id and model', () => {
    assert.deepEqual(convert('converse-text.json'), {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Bonjour ! Je suis Claude — ravi de vous aider. 🌍', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 18, completion_tokens: 21, total_tokens: 39 },
      system_fingerprint: null,
    });
  });

  it('tool use: tool_calls with JSON-string arguments, the text beside them, finish tool_calls', () => {
    const response = convert('converse-tool-use.json');
    const { message, finish_reason: finishReason } = response.choices[0];
    assert.equal(finishReason, 'tool_calls');
    assert.equal(message.content, "I'll look up the weather and the time in Paris.");
    assert.deepEqual(message.tool_calls, [
      { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } },
      { id: 'tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    assert.deepEqual(response.usage, { prompt_tokens: 412, completion_tokens: 96, total_tokens: 508 });
  });

  it('reasoning: reasoning_content and its signature; cache reads counted in prompt tokens', () => {
    const response = convert('converse-reasoning.json');
    const { message } = response.choices[0];
    assert.equal(message.content, '17 × 23 = 391.');
    assert.equal(message.reasoning_content, 'The user asks for 17 × 23. 17 × 20 = 340, 17 × 3 = 51, total 391.');
    assert.equal(message.reasoning_signature, 'EqQBCkgIBxABGAIiQNm3Jb1mXkqvP9y0c2vQ0Yx8nC6p0oT3v1r0sZ8bL0cA==');
    assert.deepEqual(response.usage, { prompt_tokens: 1240, completion_tokens: 85, total_tokens: 1325, prompt_tokens_details: { cached_tokens: 1200 } });
  });

  it('JSON mode: the forced tool input is the content and the finish reason is stop', () => {
    const response = convert('converse-json-tool.json', 'json_response');
    assert.equal(response.choices[0].message.content, '{"name":"Ada Lovelace","born":1815}');
    assert.equal(response.choices[0].message.tool_calls, undefined);
    assert.equal(response.choices[0].finish_reason, 'stop');
    // Without JSON mode the same tool is an ordinary call.
    assert.equal(convert('converse-json-tool.json').choices[0].finish_reason, 'tool_calls');
  });

  it('JSON mode by instruction: the JSON inside a fence or sentence is the content; not when a tool was called', () => {
    const response = convertBedrockResponse(fixtureJson<BedrockConverseResponse>('converse-json-text.json'), { ...context, jsonText: true });
    assert.equal(response.choices[0].message.content, '{"name": "Ada Lovelace", "born": 1815}');
    const withCall = convertBedrockResponse(fixtureJson<BedrockConverseResponse>('converse-tool-use.json'), { ...context, jsonText: true });
    assert.equal(withCall.choices[0].message.content, "I'll look up the weather and the time in Paris.");
  });

  it('a stop sequence: the one Claude names, else the only one sent, on the choice as stop_sequence', () => {
    const named = convertBedrockResponse(fixtureJson<BedrockConverseResponse>('converse-stop-sequence.json'), { ...context, stopSequences: ['3.', '###'] });
    assert.equal(named.choices[0].finish_reason, 'stop');
    assert.equal((named.choices[0] as { stop_sequence?: string }).stop_sequence, '3.');
    const { additionalModelResponseFields: _fields, ...unnamed } = fixtureJson<BedrockConverseResponse>('converse-stop-sequence.json');
    assert.equal((convertBedrockResponse(unnamed, { ...context, stopSequences: ['3.'] }).choices[0] as { stop_sequence?: string }).stop_sequence, '3.');
    assert.equal('stop_sequence' in convertBedrockResponse(unnamed, { ...context, stopSequences: ['3.', '###'] }).choices[0], false);
    assert.equal('stop_sequence' in convert('converse-text.json').choices[0], false);
  });

  it('max_tokens -> length, guardrail_intervened -> content_filter', () => {
    assert.equal(convert('converse-max-tokens.json').choices[0].finish_reason, 'length');
    assert.equal(convert('converse-guardrail.json').choices[0].finish_reason, 'content_filter');
  });

  it('filtered output with no text is content null (as OpenAI and the gemini adapter answer it)', () => {
    const response = convertBedrockResponse({ output: { message: { role: 'assistant', content: [] } }, stopReason: 'content_filtered', usage: { inputTokens: 10, outputTokens: 0 } }, context);
    assert.deepEqual([response.choices[0].message.content, response.choices[0].finish_reason], [null, 'content_filter']);
  });

  it('cache writes are prompt tokens and cache_creation_tokens', () => {
    const response = convertBedrockResponse({ output: { message: { role: 'assistant', content: [] } }, stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: 2, cacheWriteInputTokens: 500 } }, context);
    assert.equal(response.choices[0].message.content, '', 'no text and no tool call: "" as OpenAI answers');
    assert.deepEqual(response.usage, { prompt_tokens: 510, completion_tokens: 2, total_tokens: 512, cache_creation_tokens: 500 });
  });
});

describe('mapBedrockStopReason', () => {
  it('maps every documented reason', () => {
    const expected: Record<string, string> = {
      end_turn: 'stop',
      stop_sequence: 'stop',
      max_tokens: 'length',
      model_context_window_exceeded: 'length',
      tool_use: 'tool_calls',
      guardrail_intervened: 'content_filter',
      content_filtered: 'content_filter',
      malformed_model_output: 'stop',
      malformed_tool_use: 'stop',
    };
    for (const [reason, finish] of Object.entries(expected)) assert.equal(mapBedrockStopReason(reason), finish, reason);
    assert.equal(mapBedrockStopReason(undefined), 'stop');
  });
});
