// The parsers refuse malformed content parts and tool calls (test/formats/openai/content-parts.test.ts);
// the guardrails' readers must still never throw a TypeError on a shape that gets past them (a
// custom plugin's or a template's message): an odd part is read as nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../src/canonical/chat.ts';
import { textFilesOf } from '../../src/canonical/text-file.ts';
import { promptTexts as measuredTexts } from '../../src/plugins/content-rules/measure-prompt.ts';
import { termSearchTexts } from '../../src/plugins/content-rules/term-search-texts.ts';
import { chatTextRuns } from '../../src/plugins/pii/chat-text-runs.ts';
import { promptTexts as guardTexts } from '../../src/plugins/prompt-guard/prompt-texts.ts';
import { estimatePromptTokens } from '../../src/usage/estimate-request-tokens.ts';

const oddParts: unknown[] = [null, 7, 'text', [], { type: 'text' }, { type: 'text', text: null }, { type: 'text', text: 123 }, { type: 'file', file: null }, { text: 'no type' }];

function request(): ChatRequest {
  return {
    model: 'm',
    messages: [
      { role: 'user', content: [...oddParts, { type: 'text', text: 'the real text' }] as never },
      { role: 'assistant', content: null, tool_calls: [null, { id: 'a', type: 'function', function: null }, { id: 'b', type: 'function', function: { name: 'f', arguments: 5 } }] as never },
      { role: 'assistant', content: 'x', tool_calls: 'x' as never },
    ],
    tools: [null, 'x', { type: 'function', function: null }] as never,
  };
}

describe('guardrail readers on shapes the parsers would refuse', () => {
  it('pii: the runs hold only the real text', () => {
    const texts = chatTextRuns(request().messages).flat().map((entry) => entry.text);
    assert.deepEqual(texts, ['the real text', 'x']);
  });
  it('content-rules: measured and searched texts hold only the real text', () => {
    assert.deepEqual(measuredTexts('chat', request()).map((entry) => entry.text), ['the real text', 'x']);
    assert.deepEqual(termSearchTexts('chat', request()).map((entry) => entry.text), ['the real text', 'x']);
  });
  it('prompt-guard: the selected texts hold only the real text', () => {
    const texts = guardTexts('chat', request(), { allRoles: true, lastUserOnly: false, withToolResults: true, withToolDefinitions: true }).map((entry) => entry.text);
    assert.ok(texts.includes('the real text'), JSON.stringify(texts));
  });
  it('token estimates and text files skip them', () => {
    assert.ok(estimatePromptTokens('chat', request()) > 0);
    assert.deepEqual(textFilesOf(request().messages[0]), []);
  });
});
