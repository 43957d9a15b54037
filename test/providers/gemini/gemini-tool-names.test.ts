import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GeminiToolNames, geminiToolNamesOf } from '../../../src/providers/gemini/gemini-tool-names.ts';

const valid = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

test('valid names are kept; invalid ones get a valid, reversible name', () => {
  const names = new GeminiToolNames(['get_weather', '2fa_check', '-dash', 'mcp/server:tool', 'a'.repeat(80), 'ns.tool-x']);
  assert.equal(names.toGemini('get_weather'), 'get_weather');
  assert.equal(names.toGemini('ns.tool-x'), 'ns.tool-x');
  assert.equal(names.toGemini('2fa_check'), '_2fa_check');
  assert.equal(names.toGemini('-dash'), '_-dash');
  assert.equal(names.toGemini('mcp/server:tool'), 'mcp_server_tool');
  const long = names.toGemini('a'.repeat(80));
  assert.equal(long.length, 64);
  for (const name of ['2fa_check', '-dash', 'mcp/server:tool', 'a'.repeat(80)]) {
    assert.match(names.toGemini(name), valid);
    assert.equal(names.toClient(names.toGemini(name)), name);
  }
  assert.equal(names.toClient('unknown_name'), 'unknown_name');
});

test('a replacement that would clash with another name gets a hash, the same whatever the order', () => {
  const one = new GeminiToolNames(['2fa', '_2fa', '3:x', '3/x']);
  const two = new GeminiToolNames(['3/x', '3:x', '_2fa', '2fa']);
  assert.equal(one.toGemini('_2fa'), '_2fa');
  assert.match(one.toGemini('2fa'), /^_2fa_[0-9a-f]{8}$/);
  assert.notEqual(one.toGemini('3:x'), one.toGemini('3/x'));
  for (const name of ['2fa', '3:x', '3/x']) {
    assert.equal(one.toGemini(name), two.toGemini(name));
    assert.equal(one.toClient(one.toGemini(name)), name);
  }
});

test('the names of a request: tools, tool_choice, earlier calls and results', () => {
  const names = geminiToolNamesOf({
    model: 'm',
    tools: [{ type: 'function', function: { name: '1st' } }],
    tool_choice: { type: 'function', function: { name: '2nd' } },
    messages: [
      { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: '3rd', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', name: '4th', content: 'x' },
    ],
  });
  assert.deepEqual(['1st', '2nd', '3rd', '4th'].map((name) => names.toGemini(name)), ['_1st', '_2nd', '_3rd', '_4th']);
});
