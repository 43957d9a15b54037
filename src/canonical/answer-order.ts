import { placeVerbatimTurn } from './anthropic-verbatim-turns.ts';
import type { ChatMessage, ToolCall } from './chat.ts';

type Kind = 'thinking' | 'redacted_thinking' | 'text' | 'tool_use';

/**
 * The blocks of a Claude answer (Anthropic's Messages API, Bedrock Converse) in the order Claude wrote them, as Anthropic blocks. The
 * canonical message holds one thinking block (its text joined, the last signature), the redacted
 * ones, one text and the tool calls, in that order; an answer of interleaved thinking (reasoning,
 * toolUse, reasoning, toolUse: each reasoning block signed on its own) or of text on both sides of
 * a tool call cannot be written back from it. Such an answer's blocks ride on the message as its
 * verbatim turn (anthropic-verbatim-turns.ts), which the Anthropic client format
 * writes when the message still matches it (assistant-block-order.ts), as the
 * stream gives them. Adjacent text blocks are one text block, as in the stream.
 */
export class AnswerOrder {
  readonly #blocks: Array<Record<string, unknown> & { type: Kind }> = [];

  thinking(text: string, signature: string): void {
    this.#blocks.push({ type: 'thinking', thinking: text, signature });
  }

  redacted(data: string): void {
    this.#blocks.push({ type: 'redacted_thinking', data });
  }

  text(text: string): void {
    if (text === '') return;
    const last = this.#blocks.at(-1);
    if (last?.type === 'text') last.text = `${String(last.text)}${text}`;
    else this.#blocks.push({ type: 'text', text });
  }

  toolUse(call: ToolCall, input: unknown): void {
    this.#blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input });
  }

  /** Puts the blocks on the message when their order is not the one the message's fields stand for. */
  placeOn(message: ChatMessage): void {
    if (this.#inCanonicalOrder()) return;
    placeVerbatimTurn(message, { turn: { role: 'assistant', content: this.#blocks } });
  }

  /** True when the blocks are at most one thinking block, then redacted ones, then one text, then tool calls. */
  #inCanonicalOrder(): boolean {
    const rank: Record<Kind, number> = { thinking: 0, redacted_thinking: 1, text: 2, tool_use: 3 };
    let thinking = 0;
    let previous = -1;
    for (const block of this.#blocks) {
      if (block.type === 'thinking') thinking++;
      // Adjacent texts are one block: a second text comes after something of a later rank.
      if (rank[block.type] < previous) return false;
      previous = rank[block.type];
    }
    return thinking <= 1;
  }
}
