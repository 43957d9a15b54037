import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatChunk } from '../../../src/canonical/chat.ts';
import type { BedrockConverseResponse } from '../../../src/providers/bedrock/bedrock-api.ts';
import { converseAnswerAsChunks } from '../../../src/providers/bedrock/converse-answer-as-stream.ts';
import { convertBedrockResponse } from '../../../src/providers/bedrock/convert-bedrock-response.ts';
import { collect } from '../../helpers/openai-sdk.ts';
import { fixtureJson } from './event-stream-fixtures.ts';

const context = { provider: 'aws', id: 'chatcmpl-test', model: 'meta.llama3-3-70b-instruct-v1:0', created: 1_700_000_000, jsonToolName: null };

/** The deltas of a replayed answer folded back into one message, as a client's stream helper does. */
function folded(chunks: ChatChunk[]) {
  let content = '';
  let reasoning = '';
  let signature: string | undefined;
  const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
  for (const delta of chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta))) {
    content += delta.content ?? '';
    reasoning += delta.reasoning_content ?? '';
    signature = delta.reasoning_signature ?? signature;
    for (const call of delta.tool_calls ?? []) {
      calls[call.index] ??= { arguments: '' };
      calls[call.index].id ??= call.id;
      calls[call.index].name ??= call.function?.name;
      calls[call.index].arguments += call.function?.arguments ?? '';
    }
  }
  return { content, reasoning, signature, calls };
}

describe('converseAnswerAsChunks: a whole Converse answer as the stream it stands for', () => {
  it('says what the answer says: text, tool calls, finish reason and usage, as convertBedrockResponse reads them', async () => {
    for (const fixture of ['converse-tool-use.json', 'converse-reasoning.json', 'converse-text.json']) {
      const answer = fixtureJson<BedrockConverseResponse>(fixture);
      const chunks = await collect(converseAnswerAsChunks(answer, { ...context, wrapSignatures: true }));
      const whole = convertBedrockResponse(answer, { ...context, wrapSignatures: true });
      const { message, finish_reason: finishReason } = whole.choices[0];
      const replay = folded(chunks);
      assert.equal(chunks[0].choices[0].delta.role, 'assistant', fixture);
      assert.equal(replay.content, message.content ?? '', fixture);
      assert.equal(replay.reasoning, message.reasoning_content ?? '', fixture);
      assert.equal(replay.signature, message.reasoning_signature, fixture);
      assert.deepEqual(replay.calls, (message.tool_calls ?? []).map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments })), fixture);
      assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0].finish_reason, finishReason, fixture);
      assert.deepEqual(chunks.at(-1)?.usage, whole.usage, fixture);
    }
  });

  it('JSON mode by instruction: the text comes back as the bare JSON, as from a stream', async () => {
    const answer: BedrockConverseResponse = { output: { message: { role: 'assistant', content: [{ text: 'Here:\n```json\n{"a": 1}\n```' }] } }, stopReason: 'end_turn' };
    assert.equal(folded(await collect(converseAnswerAsChunks(answer, { ...context, jsonText: true }))).content, '{"a": 1}');
  });
});
