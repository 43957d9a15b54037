import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeToolUseId } from '../../src/providers/tool-use-id.ts';

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
