import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapOpenAICompatibleError } from '../../../src/providers/openai-compatible-error.ts';

const issues = [
  { type: 'union_tag_invalid', loc: ['body', 'messages', 0], msg: "Input tag 'developer' found using 'role' does not match any of the expected tags: 'assistant', 'system', 'tool', 'user'", input: { role: 'developer', content: 'secret prompt' } },
  { type: 'extra_forbidden', loc: ['body', 'messages', 1, 'assistant', 'refusal'], msg: 'Extra inputs are not permitted', input: null },
];
const expected = "Provider 'mistral' refused the request (HTTP 422): messages[0]: Input tag 'developer' found using 'role' does not match any of the expected tags: 'assistant', 'system', 'tool', 'user'; messages[1].refusal: Extra inputs are not permitted.";

describe('Mistral validation errors (422) through mapOpenAICompatibleError', () => {
  it('every way Mistral wraps pydantic\'s detail names the fields and why, never the refused values', () => {
    const bodies = [
      { object: 'error', message: { detail: issues }, type: 'invalid_request_error', param: null, code: null },
      { object: 'Error', detail: issues, message: issues, type: 'invalid_request_error', code: 3001 },
      { object: 'error', message: JSON.stringify({ detail: issues }), type: 'internal_error_proxy', param: null, code: '1000' },
      { detail: issues },
    ];
    for (const body of bodies) {
      const error = mapOpenAICompatibleError('mistral', 422, {}, JSON.stringify(body));
      assert.equal(error.status, 422);
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.message, expected, JSON.stringify(body));
      assert.equal(error.param, 'messages[0]');
      assert.doesNotMatch(error.message, /secret prompt/);
    }
  });

  it('counts the issues past the fifth, and keeps Mistral\'s plain messages as they are', () => {
    const many = Array.from({ length: 7 }, (_, index) => ({ type: 'extra_forbidden', loc: ['body', `field_${index}`], msg: 'Extra inputs are not permitted', input: index }));
    assert.match(mapOpenAICompatibleError('mistral', 422, {}, JSON.stringify({ object: 'error', message: { detail: many } })).message, /field_4: Extra inputs are not permitted \(and 2 more\)\.$/);
    const toolId = mapOpenAICompatibleError('mistral', 400, {}, JSON.stringify({ object: 'error', message: 'Tool call id was call_1 but must be a-z, A-Z, 0-9, with a length of 9.', type: 'invalid_function_call', param: null, code: '3280' }));
    assert.equal(toolId.message, 'Tool call id was call_1 but must be a-z, A-Z, 0-9, with a length of 9.');
    assert.equal(mapOpenAICompatibleError('mistral', 401, {}, '{"detail":"Unauthorized"}').message, 'Unauthorized');
  });
});
