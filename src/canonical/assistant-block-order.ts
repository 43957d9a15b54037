import { verbatimPlacementOf } from './anthropic-verbatim-turns.ts';
import type { ChatMessage, ToolCall } from './chat.ts';

/**
 * The blocks of an assistant turn in the order the model wrote them, read from the Anthropic
 * verbatim turn kept beside the canonical message (anthropic-verbatim-turns.ts). The canonical
 * message holds one thinking text and signature, one text and the tool calls after it, which is
 * right for most turns; a turn of several thinking blocks (Claude's interleaved thinking:
 * thinking, tool_use, thinking, tool_use) or of text on both sides of a tool call has no such form.
 * Claude verifies each thinking block against its own signature, in its place, so such a turn goes
 * back (and is answered) as its blocks.
 *
 * The turn is read only while it still describes the message: its tool calls (ids, in order), its
 * redacted thinking and its last thinking block's signature must be the message's, and its thinking
 * text the message's (all of it joined, as an answer read from a provider holds it, or the last
 * block's, as a client's turn is read: convert-from-anthropic-request.ts). A plugin that rewrote
 * the message's text (a guardrail, pii) wins: the message's text then stands, without citations
 * (a citation quotes the source of the text the model wrote), at the turn's first text block and
 * the turn's other texts are left out; a rewritten thinking text, or tool calls added or removed,
 * leave the turn unread (the message's own order applies). Blocks the message has no field for (a
 * server tool's call and result, MCP blocks: an Anthropic provider's answer) are read only for the
 * Anthropic client format (`otherBlocks`), and go as they are: no plugin reads or rewrites them.
 */
export type AssistantBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  /** `citations` only while the texts are the turn's own. */
  | { type: 'text'; text: string; citations?: unknown[] }
  /** The message's own tool call (its arguments as the message holds them). */
  | { type: 'tool_use'; call: ToolCall }
  /** A block of another kind (`otherBlocks`), as the turn holds it. */
  | { type: 'other'; block: Record<string, unknown> };

type TurnBlock = Record<string, unknown>;

/**
 * The message's blocks in the order of its verbatim turn; undefined when it has none, when the
 * turn holds a block of another kind (a server tool's: such turns go whole to Anthropic only)
 * unless `otherBlocks` is set (the Anthropic client format, which writes them as they are), or
 * when the turn no longer describes the message (above). `text` is the message's text as the
 * caller reads it (its content's text parts joined).
 */
export function orderedAssistantBlocks(message: ChatMessage, text: string, options: { otherBlocks?: boolean } = {}): AssistantBlock[] | undefined {
  const turn = verbatimPlacementOf(message)?.turn;
  if (turn?.role !== 'assistant' || (options.otherBlocks !== true && !turn.content.every(isOrderable))) return undefined;
  const blocks = turn.content;
  const thinking = blocks.filter((block) => block.type === 'thinking');
  const redacted = blocks.filter((block) => block.type === 'redacted_thinking').map((block) => String(block.data ?? ''));
  const toolUses = blocks.filter((block) => block.type === 'tool_use');
  const calls = message.tool_calls ?? [];
  if (!sameThinking(message, thinking)) return undefined;
  const messageRedacted = Array.isArray(message.reasoning_redacted) ? message.reasoning_redacted.filter((data) => typeof data === 'string' && data !== '') : [];
  if (!sameStrings(redacted, messageRedacted)) return undefined;
  if (!sameStrings(toolUses.map((block) => String(block.id ?? '')), calls.map((call) => call.id))) return undefined;
  const texts = blocks.filter((block) => block.type === 'text').map((block) => String(block.text ?? ''));
  // The turn's texts as they are, or (a plugin rewrote the text) the message's text at the first text's place.
  const textsKept = texts.join('') === text;
  const ordered: AssistantBlock[] = [];
  let toolIndex = 0;
  let textPlaced = false;
  const placeText = () => {
    if (!textPlaced && text !== '') ordered.push({ type: 'text', text });
    textPlaced = true;
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'thinking':
        ordered.push({ type: 'thinking', thinking: String(block.thinking ?? ''), signature: typeof block.signature === 'string' ? block.signature : '' });
        break;
      case 'redacted_thinking':
        ordered.push({ type: 'redacted_thinking', data: String(block.data ?? '') });
        break;
      case 'text':
        if (!textsKept) placeText();
        else if (typeof block.text === 'string' && block.text !== '') ordered.push(Array.isArray(block.citations) && block.citations.length > 0 ? { type: 'text', text: block.text, citations: block.citations } : { type: 'text', text: block.text });
        break;
      case 'tool_use':
        // A text the turn had no text block for goes before the tool calls, where the message's order puts it.
        if (!textsKept) placeText();
        ordered.push({ type: 'tool_use', call: calls[toolIndex++] });
        break;
      default:
        ordered.push({ type: 'other', block });
    }
  }
  if (!textsKept) placeText();
  return ordered;
}

function isOrderable(block: TurnBlock): boolean {
  return block.type === 'thinking' || block.type === 'redacted_thinking' || block.type === 'text' || block.type === 'tool_use';
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** The message's thinking is the turn's: the last block's signature, and all the text joined or the last block's. */
function sameThinking(message: ChatMessage, thinking: TurnBlock[]): boolean {
  const text = typeof message.reasoning_content === 'string' ? message.reasoning_content : '';
  const signature = typeof message.reasoning_signature === 'string' ? message.reasoning_signature : '';
  const last = thinking.at(-1);
  if (last === undefined) return text === '' && signature === '';
  const lastSignature = typeof last.signature === 'string' ? last.signature : '';
  if (signature !== lastSignature) return false;
  return text === thinking.map((block) => String(block.thinking ?? '')).join('') || text === String(last.thinking ?? '');
}
