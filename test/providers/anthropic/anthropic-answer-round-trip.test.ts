import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anthropicBlockEnds, anthropicUsageFields, openingUsage, providerStopReason, type ChatChunk } from '../../../src/canonical/chat.ts';
import { AnthropicStreamEncoder } from '../../../src/formats/anthropic/anthropic-stream-encoder.ts';
import { convertToAnthropicMessage } from '../../../src/formats/anthropic/convert-to-anthropic-message.ts';
import type { AnthropicResponse } from '../../../src/providers/anthropic/anthropic-api.ts';
import { mapAnthropicEventStream } from '../../../src/providers/anthropic/anthropic-stream-mapper.ts';
import { convertAnthropicResponse } from '../../../src/providers/anthropic/convert-anthropic-response.ts';
import { SseParser } from '../../../src/upstream/sse-parser.ts';
import { answers, claudeEvents, claudeMessage } from './server-tool-claude-stand-in.ts';

/**
 * Claude's answer read into the canonical model and written back for an Anthropic-format client
 * (the re-encoded path, without the gateway) is the answer Claude gave: server tool blocks, text
 * blocks with their citations, the stop reason and sequence, the usage's own fields; streamed and
 * not. What OpenAI-format clients get of it is unchanged: the extensions are symbol keys, never
 * serialized, but for `stop_sequence` (as Bedrock and Cohere set it).
 */

async function* pieces(text: string): AsyncIterable<Uint8Array> {
  // Pieces cut anywhere, as a network gives them.
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += 97) yield bytes.subarray(start, start + 97);
}

async function chunksOf(name: string, keepBlocks: boolean): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of mapAnthropicEventStream(pieces(claudeEvents(name)), { provider: 'anthropic', jsonToolName: null, created: 1, keepBlocks })) chunks.push(chunk);
  return chunks;
}

/** A Message gathered from an Anthropic event stream, as the SDKs' stream helpers gather it. */
function messageOf(sse: string): Record<string, unknown> {
  let message: Record<string, unknown> = {};
  const blocks: Array<Record<string, unknown>> = [];
  const json = new Map<number, string>();
  for (const { data } of new SseParser().push(sse)) {
    const event = JSON.parse(data) as Record<string, unknown> & { index: number };
    if (event.type === 'message_start') message = event.message as Record<string, unknown>;
    if (event.type === 'content_block_start') blocks[event.index] = structuredClone(event.content_block as Record<string, unknown>);
    if (event.type === 'content_block_delta') {
      const delta = event.delta as Record<string, unknown>;
      const block = blocks[event.index]!;
      if (delta.type === 'text_delta') block.text = `${String(block.text)}${String(delta.text)}`;
      if (delta.type === 'citations_delta') block.citations = [...((block.citations as unknown[] | null) ?? []), delta.citation];
      if (delta.type === 'input_json_delta') json.set(event.index, (json.get(event.index) ?? '') + String(delta.partial_json));
    }
    if (event.type === 'message_delta') message = { ...message, ...(event.delta as object), usage: { ...(message.usage as object), ...(event.usage as object) } };
  }
  for (const [index, text] of json) blocks[index]!.input = JSON.parse(text);
  return { ...message, content: blocks };
}

describe('an Anthropic answer through the canonical model, back to an Anthropic-format client', () => {
  for (const name of Object.keys(answers)) {
    it(`${name}: the Message is Claude's`, () => {
      const canonical = convertAnthropicResponse(claudeMessage(name) as unknown as AnthropicResponse, { jsonToolName: null });
      assert.deepEqual(convertToAnthropicMessage(canonical), claudeMessage(name));
    });

    it(`${name}: the stream gives Claude's Message`, async () => {
      const encoder = new AnthropicStreamEncoder({ model: 'requested', inputTokens: 1 });
      const sse = (await chunksOf(name, true)).map((chunk) => encoder.push(chunk)).join('') + encoder.finish();
      assert.deepEqual(messageOf(sse), claudeMessage(name));
    });
  }

  it('OpenAI-format clients: the same message and chunks as without the extensions; in their JSON only stop_sequence', async () => {
    const canonical = convertAnthropicResponse(claudeMessage('websearch') as unknown as AnthropicResponse, { jsonToolName: null, wrapSignatures: true });
    assert.equal(canonical.choices[0]!.message.content, "I'll search for when Claude Shannon was born.Claude Shannon was born on April 30, 1916, in Petoskey, Michigan.");
    assert.ok(!JSON.stringify(canonical).includes('server_tool_use') && !JSON.stringify(canonical).includes('citations'));
    assert.deepEqual(canonical.usage?.[anthropicUsageFields], { cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 3000 }, server_tool_use: { web_search_requests: 1 }, service_tier: 'standard' });
    assert.equal(JSON.stringify(canonical.usage), JSON.stringify({ prompt_tokens: 5100, completion_tokens: 180, total_tokens: 5280, prompt_tokens_details: { cached_tokens: 0 }, cache_creation_tokens: 3000, cache_creation_1h_tokens: 3000 }));

    const paused = convertAnthropicResponse(claudeMessage('pause') as unknown as AnthropicResponse, { jsonToolName: null, wrapSignatures: true }).choices[0]!;
    assert.equal(paused.finish_reason, 'stop');
    assert.equal(paused[providerStopReason], 'pause_turn');
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(paused)) as object), ['index', 'message', 'finish_reason', 'logprobs']);
    const stopped = convertAnthropicResponse(claudeMessage('stop') as unknown as AnthropicResponse, { jsonToolName: null }).choices[0]!;
    assert.equal(stopped.stop_sequence, 'END');

    const plain = await chunksOf('websearch', false);
    assert.ok(plain.every((chunk) => chunk.choices[0]?.delta?.[anthropicBlockEnds] === undefined && chunk[openingUsage] === undefined), 'no chunk more, nothing on them, for other clients');
    const kept = await chunksOf('websearch', true);
    const withoutMarks = kept.filter((chunk) => chunk.choices[0]?.delta?.[anthropicBlockEnds] === undefined);
    assert.equal(JSON.stringify(withoutMarks), JSON.stringify(plain));
  });
});
