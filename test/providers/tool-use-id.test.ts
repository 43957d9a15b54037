import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeToolUseId, toolCallIdWithin } from '../../src/providers/tool-use-id.ts';
import { withOpenAIToolCallIds } from '../../src/providers/openai/openai-tool-call-ids.ts';
import type { ChatRequest } from '../../src/canonical/chat.ts';

describe('safeToolUseId (Anthropic tool_use ids, Bedrock toolUseIds)', () => {
  it('valid ids pass unchanged', () => {
    assert.equal(safeToolUseId('toolu_01A-b'), 'toolu_01A-b');
    assert.equal(safeToolUseId('tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', 64), 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q');
  });

  it('refused characters are replaced and a digest keeps ids apart, the same every time', () => {
    const dotted = safeToolUseId('functions.get_weather:0');
    assert.match(dotted, /^functions_get_weather_0_[0-9a-f]{12}$/);
    assert.equal(safeToolUseId('functions.get_weather:0'), dotted);
    assert.notEqual(safeToolUseId('a.b'), safeToolUseId('a:b'));
  });

  it('with a maximum (Bedrock: 64), longer ids are cut to fit and still kept apart', () => {
    const long = `call_${'x'.repeat(80)}`;
    const mapped = safeToolUseId(long, 64);
    assert.equal(mapped.length, 64);
    assert.match(mapped, /^[a-zA-Z0-9_-]+$/);
    assert.notEqual(safeToolUseId(`${long}y`, 64), mapped);
    assert.equal(safeToolUseId(long), long, 'no maximum: a valid id of any length passes');
    assert.ok(safeToolUseId(`${'é'.repeat(70)}`, 64).length <= 64);
  });
});

describe('toolCallIdWithin: Gemini 3 ids (thought signature folded in) and over-long ids for other providers', () => {
  const geminiId = `fc-1__ts_${'Ab-_9'.repeat(80)}`;

  it('a Gemini signature never leaves: the call id and a digest of the whole id, deterministic and apart per signature', () => {
    const mapped = safeToolUseId(geminiId);
    assert.match(mapped, /^fc-1_[0-9a-f]{12}$/);
    assert.equal(safeToolUseId(geminiId), mapped);
    assert.notEqual(safeToolUseId(`${geminiId}x`), mapped, 'another signature, another id (Gemini may reuse fc-1 in a later turn)');
    assert.match(safeToolUseId(`fc-1__ts_short`, 64), /^fc-1_[0-9a-f]{12}$/, 'even when it would fit');
  });

  it('OpenAI (40 characters, any character): ids that fit pass; longer ones are cut and get a digest', () => {
    assert.equal(toolCallIdWithin('call_abc.def:1', { maxLength: 40 }), 'call_abc.def:1');
    const long = `chatcmpl-tool-${'f'.repeat(40)}`;
    assert.equal(toolCallIdWithin(long, { maxLength: 40 }).length, 40);
  });

  it('withOpenAIToolCallIds maps calls and results alike, and returns the request itself when nothing needs it', () => {
    const request: ChatRequest = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: geminiId, type: 'function', function: { name: 'get_weather', arguments: '{}' } }, { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: geminiId, content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_1', content: 'noon' },
      ],
    };
    const mapped = withOpenAIToolCallIds(request);
    const [, assistant, weather, time] = mapped.messages;
    assert.equal(assistant.tool_calls![0].id, weather.tool_call_id);
    assert.ok(weather.tool_call_id!.length <= 40);
    assert.equal(assistant.tool_calls![1].id, 'call_1');
    assert.equal(time, request.messages[3], 'untouched messages are the same objects');
    assert.equal(request.messages[2].tool_call_id, geminiId, 'the original request is not changed');
    const plain: ChatRequest = { model: 'gpt-4o', messages: [request.messages[0], request.messages[3]] };
    assert.equal(withOpenAIToolCallIds(plain), plain);
  });
});
