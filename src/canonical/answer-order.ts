import { placeVerbatimTurn } from './anthropic-verbatim-turns.ts';
import type { ChatMessage, ToolCall } from './chat.ts';

type Block = Record<string, unknown> & { type: string };

/** The kinds the canonical message has fields for, in the order it holds them. */
const rank: Readonly<Record<string, number | undefined>> = { thinking: 0, redacted_thinking: 1, text: 2, tool_use: 3 };

/**
 * The blocks of a Claude answer (Anthropic's Messages API, Bedrock Converse) in the order Claude wrote them, as Anthropic blocks. The
 * canonical message holds one thinking block (its text joined, the last signature), the redacted
 * ones, one text and the tool calls, in that order; an answer of interleaved thinking (reasoning,
 * toolUse, reasoning, toolUse: each reasoning block signed on its own), of text on both sides of
 * a tool call, of several text blocks or text with citations, or with blocks the message has no
 * field for (a server tool's call and result: web search, code execution, MCP…) cannot be written
 * back from it. Such an answer's blocks ride on the message as its verbatim turn
 * (anthropic-verbatim-turns.ts), which the Anthropic client format writes when the message still
 * matches it (assistant-block-order.ts), as the stream gives them. `text` adds to the text block
 * before it (Bedrock's texts, the JSON-mode tool's answer); `textBlock` is a text block of its own.
 */
export class AnswerOrder {
  readonly #blocks: Block[] = [];

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

  /** A text block as Claude wrote it (Anthropic's API: each its own block), with its citations when it has any. */
  textBlock(text: string, citations: unknown): void {
    const cited = Array.isArray(citations) && citations.length > 0;
    if (text === '' && !cited) return;
    this.#blocks.push(cited ? { type: 'text', text, citations } : { type: 'text', text });
  }

  toolUse(call: ToolCall, input: unknown): void {
    this.#blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input });
  }

  /** A block the message has no field for (a server tool's call or result, an MCP block…), as sent. */
  other(block: Block): void {
    this.#blocks.push(block);
  }

  /** Puts the blocks on the message when their order is not the one the message's fields stand for. */
  placeOn(message: ChatMessage): void {
    if (this.#inCanonicalOrder()) return;
    placeVerbatimTurn(message, { turn: { role: 'assistant', content: this.#blocks } });
  }

  /**
   * True when the blocks are at most one thinking block, then redacted ones, then one text (no
   * citations), then tool calls, and nothing else.
   */
  #inCanonicalOrder(): boolean {
    let thinking = 0;
    let texts = 0;
    let previous = -1;
    for (const block of this.#blocks) {
      const place = rank[block.type];
      if (place === undefined || 'citations' in block) return false;
      if (block.type === 'thinking') thinking++;
      if (block.type === 'text') texts++;
      if (place < previous) return false;
      previous = place;
    }
    return thinking <= 1 && texts <= 1;
  }
}
