import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../src/canonical/chat.ts';
import { maxOutputTokens, stopSequences } from '../../src/providers/output-limits.ts';

describe('output limits every translated provider reads', () => {
  it('takes max_completion_tokens before max_tokens, and nothing when neither is a number', () => {
    const request = (fields: Partial<ChatRequest>) => ({ model: 'm', messages: [], ...fields }) as ChatRequest;
    assert.equal(maxOutputTokens(request({ max_completion_tokens: 50, max_tokens: 10 })), 50);
    assert.equal(maxOutputTokens(request({ max_completion_tokens: null, max_tokens: 10 })), 10);
    assert.equal(maxOutputTokens(request({})), undefined);
  });

  it('turns stop into a list without empty strings, or nothing', () => {
    assert.deepEqual(stopSequences('END'), ['END']);
    assert.deepEqual(stopSequences(['a', '', 'b']), ['a', 'b']);
    assert.equal(stopSequences(''), undefined);
    assert.equal(stopSequences([]), undefined);
    assert.equal(stopSequences(null), undefined);
  });
});
