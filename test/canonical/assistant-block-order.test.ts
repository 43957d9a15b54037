import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderedAssistantBlocks } from '../../src/canonical/assistant-block-order.ts';
import { placeVerbatimTurn } from '../../src/canonical/anthropic-verbatim-turns.ts';
import type { ChatMessage } from '../../src/canonical/chat.ts';

const call = (id: string) => ({ id, type: 'function' as const, function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
const turn = [
  { type: 'thinking', thinking: 'One.', signature: 'S1' },
  { type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } },
  { type: 'thinking', thinking: 'Two.', signature: 'S2' },
  { type: 'tool_use', id: 't2', name: 'get_weather', input: { city: 'Paris' } },
];

function message(fields: Partial<ChatMessage>, content: Array<Record<string, unknown>> = turn): ChatMessage {
  const made: ChatMessage = { role: 'assistant', content: null, reasoning_content: 'One.Two.', reasoning_signature: 'S2', tool_calls: [call('t1'), call('t2')], ...fields };
  placeVerbatimTurn(made, { turn: { role: 'assistant', content: content.map((block) => ({ ...block })) } });
  return made;
}

describe('orderedAssistantBlocks: a verbatim turn read only while it describes the message', () => {
  it("an answer (thinking joined) and a client turn (the last block's thinking) both read in order", () => {
    for (const reasoning of ['One.Two.', 'Two.']) {
      const blocks = orderedAssistantBlocks(message({ reasoning_content: reasoning }), '');
      assert.deepEqual(blocks?.map((block) => (block.type === 'tool_use' ? block.call.id : block.type === 'thinking' ? block.signature : block.type)), ['S1', 't1', 'S2', 't2']);
    }
  });

  it('not read when the thinking, the signature, the tool calls or the redacted blocks differ, or the turn holds another kind of block', () => {
    assert.equal(orderedAssistantBlocks(message({ reasoning_content: 'One.[EMAIL]' }), ''), undefined);
    assert.equal(orderedAssistantBlocks(message({ reasoning_signature: 'S1' }), ''), undefined);
    assert.equal(orderedAssistantBlocks(message({ tool_calls: [call('t1')] }), ''), undefined);
    assert.equal(orderedAssistantBlocks(message({ reasoning_redacted: ['data'] }), ''), undefined);
    assert.equal(orderedAssistantBlocks(message({}, [...turn, { type: 'server_tool_use', id: 's1', name: 'web_search', input: {} }]), ''), undefined);
    assert.equal(orderedAssistantBlocks({ role: 'assistant', content: 'x' }, 'x'), undefined);
  });

  it("a text the turn does not hold (a plugin rewrote it) stands at the turn's first text, or before the first tool call", () => {
    const withTexts = [{ type: 'text', text: 'Before.' }, turn[1], { type: 'text', text: 'After.' }];
    const rewritten = orderedAssistantBlocks(message({ reasoning_content: undefined, reasoning_signature: undefined, tool_calls: [call('t1')] }, withTexts), 'Before.[EMAIL]');
    assert.deepEqual(rewritten?.map((block) => (block.type === 'text' ? block.text : block.type)), ['Before.[EMAIL]', 'tool_use']);
    const kept = orderedAssistantBlocks(message({ reasoning_content: undefined, reasoning_signature: undefined, tool_calls: [call('t1')] }, withTexts), 'Before.After.');
    assert.deepEqual(kept?.map((block) => (block.type === 'text' ? block.text : block.type)), ['Before.', 'tool_use', 'After.']);
    const added = orderedAssistantBlocks(message({}), 'Note.');
    assert.deepEqual(added?.map((block) => block.type), ['thinking', 'text', 'tool_use', 'thinking', 'tool_use']);
  });
});
