import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ChatMessage } from '../../../src/canonical/chat.ts';
import type { AnthropicRequestBlock } from '../../../src/providers/anthropic/anthropic-api.ts';
import { convertToAnthropicRequest } from '../../../src/providers/anthropic/convert-to-anthropic-request.ts';

/** One thing a conversation says, in order, whichever wire format carries it. */
type Item =
  | { kind: 'text'; role: 'user' | 'assistant'; text: string }
  | { kind: 'tool-call'; id: string; name: string; input: unknown }
  | { kind: 'tool-result'; id: string; content: string };

const identifier = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const text = fc.string({ maxLength: 40, unit: 'grapheme' });
const argumentsObject = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })), { maxKeys: 4 });
const toolCall = fc.record({ id: identifier.map((id) => `toolu_${id}`), name: identifier, input: argumentsObject });

const message: fc.Arbitrary<ChatMessage> = fc.oneof(
  text.map((content): ChatMessage => ({ role: 'system', content })),
  text.map((content): ChatMessage => ({ role: 'developer', content })),
  text.map((content): ChatMessage => ({ role: 'user', content })),
  fc.array(text, { maxLength: 3 }).map((parts): ChatMessage => ({ role: 'user', content: parts.map((part) => ({ type: 'text' as const, text: part })) })),
  fc.record({ content: fc.option(text, { nil: null }), calls: fc.array(toolCall, { maxLength: 3 }) }).map(({ content, calls }): ChatMessage => {
    const assistant: ChatMessage = { role: 'assistant', content };
    if (calls.length > 0) assistant.tool_calls = calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.input) } }));
    return assistant;
  }),
  fc.record({ id: identifier.map((id) => `toolu_${id}`), content: text }).map(({ id, content }): ChatMessage => ({ role: 'tool', tool_call_id: id, content })),
);

function textsOf(content: ChatMessage['content']): string[] {
  if (typeof content === 'string') return [content];
  return (content ?? []).map((part) => (part.type === 'text' ? part.text : ''));
}

/** Anthropic rejects text that is empty or only whitespace: the adapter leaves it out. */
function sendable(text: string): boolean {
  return text.trim() !== '';
}

function canonicalItems(messages: ChatMessage[]): Item[] {
  const items: Item[] = [];
  for (const entry of messages) {
    if (entry.role === 'user' || entry.role === 'assistant') {
      for (const part of textsOf(entry.content)) if (sendable(part)) items.push({ kind: 'text', role: entry.role, text: part });
    }
    for (const call of entry.tool_calls ?? []) items.push({ kind: 'tool-call', id: call.id, name: call.function.name, input: JSON.parse(call.function.arguments) });
    if (entry.role === 'tool') items.push({ kind: 'tool-result', id: entry.tool_call_id ?? '', content: String(entry.content) });
  }
  return items;
}

function anthropicItems(turns: Array<{ role: 'user' | 'assistant'; content: AnthropicRequestBlock[] }>): Item[] {
  const items: Item[] = [];
  for (const turn of turns) {
    for (const block of turn.content) {
      if (block.type === 'text') items.push({ kind: 'text', role: turn.role, text: block.text });
      else if (block.type === 'tool_use') items.push({ kind: 'tool-call', id: block.id, name: block.name, input: block.input });
      else if (block.type === 'tool_result') items.push({ kind: 'tool-result', id: block.tool_use_id, content: String(block.content) });
    }
  }
  return items;
}

test('canonical -> Anthropic keeps every text, tool call and tool result, in order, in alternating turns', () => {
  fc.assert(
    fc.property(fc.array(message, { minLength: 1, maxLength: 12 }), (messages) => {
      const expectedItems = canonicalItems(messages);
      const systemTexts = messages.filter((entry) => entry.role === 'system' || entry.role === 'developer').flatMap((entry) => textsOf(entry.content)).filter(sendable);
      if (expectedItems.length === 0 && systemTexts.length === 0) {
        // Nothing Anthropic would take: refused by the gateway with the field named.
        assert.throws(() => convertToAnthropicRequest({ model: 'claude-sonnet-4-5', messages }, 'claude-sonnet-4-5', false), (error: unknown) => (error as { param?: string }).param === 'messages');
        return;
      }
      const { body } = convertToAnthropicRequest({ model: 'claude-sonnet-4-5', messages }, 'claude-sonnet-4-5', false);
      if (expectedItems.length === 0) {
        // System text alone becomes the one user turn (Anthropic needs a message).
        assert.equal(body.system, undefined);
        assert.deepEqual(body.messages, [{ role: 'user', content: systemTexts.map((text) => ({ type: 'text', text })) }]);
        return;
      }
      // A conversation ending with assistant text is a prefill: its trailing whitespace is trimmed.
      const lastItem = expectedItems.at(-1);
      if (lastItem?.kind === 'text' && lastItem.role === 'assistant') expectedItems[expectedItems.length - 1] = { ...lastItem, text: lastItem.text.trimEnd() };
      assert.deepEqual(anthropicItems(body.messages), expectedItems);
      assert.deepEqual((body.system ?? []).map((block) => block.text), systemTexts);
      for (let index = 1; index < body.messages.length; index++) assert.notEqual(body.messages[index].role, body.messages[index - 1].role);
      for (const turn of body.messages) assert.ok(turn.content.length > 0);
      // Tool results must sit in user turns, tool calls in assistant turns.
      for (const turn of body.messages) {
        for (const block of turn.content) {
          if (block.type === 'tool_result') assert.equal(turn.role, 'user');
          if (block.type === 'tool_use') assert.equal(turn.role, 'assistant');
        }
      }
    }),
    { numRuns: 300 },
  );
});
