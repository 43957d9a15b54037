import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anthropicBlockEnds, anthropicUsageFields, openingUsage, providerStopReason, type ChatChunk, type ChatDelta, type FinishReason } from '../../../src/canonical/chat.ts';
import { AnthropicStreamEncoder } from '../../../src/formats/anthropic/anthropic-stream-encoder.ts';
import { SseParser } from '../../../src/upstream/sse-parser.ts';

/**
 * The Anthropic stream encoder on chunks from an Anthropic provider (the anthropic adapter's
 * stream mapper with keepBlocks): where each text block ends, its citations, server tool blocks
 * whole in their place, message_start's usage, and the stop reason finish_reason cannot say;
 * also when a plugin held back or rewrote the text between the provider and the encoder.
 */

type Block = Record<string, unknown> & { type: string };

function chunk(delta: ChatDelta, finish: FinishReason | null = null): ChatChunk {
  return { id: 'chatcmpl-msg_01', object: 'chat.completion.chunk', created: 1, model: 'claude-sonnet-4-5', choices: [{ index: 0, delta, finish_reason: finish }] };
}

function ends(...blocks: Block[]): ChatChunk {
  return chunk({ [anthropicBlockEnds]: blocks });
}

function encode(chunks: ChatChunk[]): Array<Record<string, unknown>> {
  const encoder = new AnthropicStreamEncoder({ model: 'requested', inputTokens: 9 });
  const text = chunks.map((item) => encoder.push(item)).join('') + encoder.finish();
  return new SseParser().push(text).map((event) => JSON.parse(event.data) as Record<string, unknown>);
}

/** The blocks a client gathers from the events (as the SDKs' stream helpers do). */
function blocksOf(events: Array<Record<string, unknown>>): Block[] {
  const blocks: Block[] = [];
  const json = new Map<number, string>();
  for (const event of events) {
    const index = event.index as number;
    if (event.type === 'content_block_start') blocks[index] = structuredClone(event.content_block as Block);
    if (event.type !== 'content_block_delta') continue;
    const delta = event.delta as Record<string, unknown>;
    const block = blocks[index]!;
    if (delta.type === 'text_delta') block.text = `${String(block.text)}${String(delta.text)}`;
    if (delta.type === 'citations_delta') block.citations = [...((block.citations as unknown[] | null) ?? []), delta.citation];
    if (delta.type === 'input_json_delta') json.set(index, (json.get(index) ?? '') + String(delta.partial_json));
  }
  for (const [index, text] of json) blocks[index]!.input = JSON.parse(text);
  return blocks;
}

const citation = { type: 'web_search_result_location', url: 'https://example.org', title: 'Example', encrypted_index: 'Eo8B', cited_text: 'Born in 1916.' };
const search: Block = { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'shannon' } };
const results: Block = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01', content: [{ type: 'web_search_result', url: 'https://example.org', title: 'Example', encrypted_content: 'Eqgf', page_age: null }] };

describe('AnthropicStreamEncoder: an Anthropic provider\'s block ends', () => {
  it('text blocks stay apart, each with its citations; server tool blocks come whole in their place (the call\'s input as input_json_delta)', () => {
    const events = encode([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'I will ' }),
      chunk({ content: 'search.' }),
      ends({ type: 'text', text: 'I will search.', citations: null }),
      ends(search),
      ends(results),
      chunk({ content: 'Shannon was born in 1916.' }),
      ends({ type: 'text', text: 'Shannon was born in 1916.', citations: [citation] }),
      chunk({ content: ' More.' }),
      ends({ type: 'text', text: ' More.', citations: null }),
      chunk({}, 'stop'),
    ]);
    assert.deepEqual(blocksOf(events), [
      { type: 'text', text: 'I will search.', citations: null },
      search,
      results,
      { type: 'text', text: 'Shannon was born in 1916.', citations: [citation] },
      { type: 'text', text: ' More.', citations: null },
    ]);
    assert.deepEqual(
      events.filter((event) => event.type === 'content_block_delta' && (event.delta as { type: string }).type === 'input_json_delta').map((event) => event.index),
      [1],
    );
  });

  it('text a plugin held back: the part that completes a block goes into it, the blocks after it wait for it, the rest opens the next block', () => {
    const events = encode([
      chunk({ content: 'I will ' }),
      ends({ type: 'text', text: 'I will search.', citations: null }),
      ends(search),
      chunk({ content: 'search.Shannon was ' }),
      ends({ type: 'text', text: 'Shannon was born in 1916.', citations: [citation] }),
      chunk({ content: 'born in 1916.' }, 'stop'),
    ]);
    assert.deepEqual(blocksOf(events), [{ type: 'text', text: 'I will search.', citations: null }, search, { type: 'text', text: 'Shannon was born in 1916.', citations: [citation] }]);
  });

  it('text a plugin rewrote: it goes as rewritten, whole in one block (as a Message has it), without the citations (they quote the sources of the original); the blocks after it follow it', () => {
    const rewritten = encode([
      chunk({ content: 'Write to ' }),
      chunk({ content: '[EMAIL] now.' }),
      ends({ type: 'text', text: 'Write to bob@example.com now.', citations: [citation] }),
      ends(search),
      chunk({}, 'stop'),
    ]);
    assert.deepEqual(blocksOf(rewritten), [{ type: 'text', text: 'Write to [EMAIL] now.', citations: null }, search]);
    assert.doesNotMatch(JSON.stringify(rewritten), /bob@example\.com|Born in 1916/);
    // Rewritten while its end was held back: the rest of the rewritten text stays in the block, the blocks wait for it.
    const heldAndRewritten = encode([
      chunk({ content: 'Write to ' }),
      ends({ type: 'text', text: 'Write to bob@example.com now.', citations: [citation] }),
      ends(search),
      chunk({ content: '[EMAIL] ' }),
      chunk({ content: 'now.' }, 'stop'),
    ]);
    assert.deepEqual(blocksOf(heldAndRewritten), [{ type: 'text', text: 'Write to [EMAIL] now.', citations: null }, search]);
  });

  it('blocks still waiting for a text that never came whole are placed before other output, and before the end', () => {
    const beforeTool = encode([
      chunk({ content: 'Half' }),
      ends({ type: 'text', text: 'Half a text.', citations: [citation] }),
      ends(search),
      chunk({ tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }, 'tool_calls'),
    ]);
    assert.deepEqual(
      blocksOf(beforeTool).map((block) => block.type),
      ['text', 'server_tool_use', 'tool_use'],
    );
    assert.equal(blocksOf(beforeTool)[0]!.citations, null);
    const atTheEnd = encode([ends({ type: 'text', text: 'All held.', citations: null }), ends(search), chunk({}, 'stop')]);
    assert.deepEqual(blocksOf(atTheEnd), [search]);
  });

  it('message_start holds the usage the provider opened with; message_delta the stop reason finish_reason cannot say (while it is still the one that reason reads as) and the usage\'s own fields', () => {
    const opening = { prompt_tokens: 5100, completion_tokens: 3, total_tokens: 5103, prompt_tokens_details: { cached_tokens: 0 }, cache_creation_tokens: 3000, [anthropicUsageFields]: { cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 3000 }, service_tier: 'standard' } };
    const first = chunk({ role: 'assistant', content: '' });
    first[openingUsage] = opening;
    const finish = chunk({}, 'stop');
    finish.choices[0]![providerStopReason] = 'pause_turn';
    const final = { ...opening, completion_tokens: 40, total_tokens: 5140, [anthropicUsageFields]: { ...opening[anthropicUsageFields], server_tool_use: { web_search_requests: 1 } } };
    const events = encode([first, ends(search), finish, { ...chunk({}), choices: [], usage: final }]);
    assert.deepEqual((events[0]!.message as { usage: unknown }).usage, {
      input_tokens: 2100,
      output_tokens: 3,
      cache_creation_input_tokens: 3000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 3000 },
      service_tier: 'standard',
    });
    const delta = events.find((event) => event.type === 'message_delta')!;
    assert.deepEqual(delta.delta, { stop_reason: 'pause_turn', stop_details: null, stop_sequence: null });
    assert.deepEqual((delta.usage as { server_tool_use?: unknown }).server_tool_use, { web_search_requests: 1 });

    // Not once the finish_reason is no longer the one the reason reads as (a plugin changed it).
    const filtered = chunk({ content: 'Blocked.' }, 'content_filter');
    filtered.choices[0]![providerStopReason] = 'pause_turn';
    assert.equal((encode([filtered]).find((event) => event.type === 'message_delta')!.delta as { stop_reason: string }).stop_reason, 'refusal');
  });
});
