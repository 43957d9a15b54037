import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
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
