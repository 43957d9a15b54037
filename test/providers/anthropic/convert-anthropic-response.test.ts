import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { verbatimPlacementOf } from '../../../src/canonical/anthropic-verbatim-turns.ts';
import { convertToAnthropicMessage } from '../../../src/formats/anthropic/convert-to-anthropic-message.ts';
import type { AnthropicResponse } from '../../../src/providers/anthropic/anthropic-api.ts';
import { convertAnthropicResponse } from '../../../src/providers/anthropic/convert-anthropic-response.ts';
import { mapAnthropicStopReason } from '../../../src/providers/anthropic/map-anthropic-stop-reason.ts';
import { mapAnthropicUsage } from '../../../src/providers/anthropic/map-anthropic-usage.ts';
import { fixturesDirectory, readJsonFixture } from './run-stream-fixture.ts';

interface ResponseFixture { description: string; jsonToolName: string | null; anthropic: AnthropicResponse; expected: unknown }

describe('convertAnthropicResponse: recorded responses', () => {
  const names = readdirSync(new URL('responses/', fixturesDirectory)).filter((name) => name.endsWith('.json'));
  for (const name of names) {
    const fixture = readJsonFixture<ResponseFixture>(`responses/${name}`);
    test(`${name}: ${fixture.description}`, () => {
      const response = convertAnthropicResponse(fixture.anthropic, { jsonToolName: fixture.jsonToolName, created: 1_700_000_000 });
      assert.deepEqual(JSON.parse(JSON.stringify(response)), fixture.expected);
    });
  }
});

test('mapAnthropicStopReason: every documented reason', () => {
  const table: Array<[string | null, string]> = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    [null, 'stop'],
    ['something_new', 'stop'],
  ];
  for (const [reason, expected] of table) assert.equal(mapAnthropicStopReason(reason), expected, String(reason));
});

test('mapAnthropicUsage: null fields count as zero', () => {
  assert.deepEqual(mapAnthropicUsage({ input_tokens: 5, output_tokens: 2, cache_read_input_tokens: null, cache_creation_input_tokens: null }), {
    prompt_tokens: 5,
    completion_tokens: 2,
    total_tokens: 7,
    prompt_tokens_details: { cached_tokens: 0 },
  });
});

describe('convertAnthropicResponse: blocks in an order the message cannot hold ride along for Anthropic-format clients', () => {
  const message = (content: AnthropicResponse['content']): AnthropicResponse => ({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content, stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } });
  const interleaved = [
    { type: 'thinking', thinking: 'One.', signature: 'S1' },
    { type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } },
    { type: 'thinking', thinking: 'Two.', signature: 'S2' },
    { type: 'tool_use', id: 't2', name: 'get_time', input: { tz: 'CET' } },
  ] as AnthropicResponse['content'];

  test('interleaved thinking: the message keeps its fields, the Anthropic format writes the blocks in order', () => {
    const response = convertAnthropicResponse(message(interleaved), { jsonToolName: null });
    const assistant = response.choices[0].message;
    assert.deepEqual([assistant.reasoning_content, assistant.reasoning_signature, assistant.tool_calls?.length], ['One.Two.', 'S2', 2]);
    assert.deepEqual(convertToAnthropicMessage(response).content, interleaved);
  });

  test("the JSON-mode tool's input is text in its place; an answer in the canonical order carries nothing", () => {
    const withJson = [{ type: 'text', text: 'Here.' }, interleaved[1], { type: 'tool_use', id: 'j1', name: 'json_response', input: { ok: true } }] as AnthropicResponse['content'];
    const response = convertAnthropicResponse(message(withJson), { jsonToolName: 'json_response' });
    assert.deepEqual(
      convertToAnthropicMessage(response).content.map((block) => (block.type === 'text' ? block.text : block.type)),
      ['Here.', 'tool_use', '{"ok":true}'],
    );
    const plain = convertAnthropicResponse(message([interleaved[0], { type: 'text', text: 'Hi.' }, interleaved[1]] as AnthropicResponse['content']), { jsonToolName: null });
    assert.equal(verbatimPlacementOf(plain.choices[0].message), undefined);
  });

  test('OpenAI chat clients (wrapped signatures) get the message alone', () => {
    const response = convertAnthropicResponse(message(interleaved), { jsonToolName: null, wrapSignatures: true });
    assert.equal(verbatimPlacementOf(response.choices[0].message), undefined);
  });
});
