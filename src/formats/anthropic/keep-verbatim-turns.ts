import { placeVerbatimTurn, type AnthropicVerbatimTurn } from '../../canonical/anthropic-verbatim-turns.ts';
import type { ChatMessage } from '../../canonical/chat.ts';
import type { AnthropicClientMessage } from './anthropic-client-request.ts';

type Block = Record<string, unknown> & { type: string };

/** Sources the canonical model keeps (a data URL or a URL); a file id has no canonical form. */
function hasCanonicalSource(block: Block): boolean {
  const source = block.source as { type?: unknown } | undefined;
  return source?.type === 'base64' || source?.type === 'url';
}

function hasCitations(block: Block): boolean {
  return block.citations !== undefined && block.citations !== null && !(Array.isArray(block.citations) && block.citations.length === 0);
}

/** A block of a user turn (or of a tool result) the canonical model keeps as Claude would read it. */
function userBlockKept(block: Block): boolean {
  switch (block.type) {
    case 'text':
      return !hasCitations(block);
    case 'image':
      return hasCanonicalSource(block);
    case 'document':
      // A text document becomes text, and citations of it have no canonical form.
      return hasCanonicalSource(block) && !hasCitations(block) && block.context === undefined;
    case 'tool_result':
      return !Array.isArray(block.content) || (block.content as Block[]).every(userBlockKept);
    default:
      // search_result (read as text), container_upload and any newer block.
      return false;
  }
}

/** True when an assistant turn holds a block the canonical model drops or alters (server tool blocks, citations, several thinking blocks). */
function assistantTurnAltered(blocks: Block[]): boolean {
  let thinking = 0;
  for (const block of blocks) {
    if (block.type === 'thinking') thinking++;
    else if (block.type === 'text') {
      if (hasCitations(block)) return true;
    } else if (block.type !== 'tool_use' && block.type !== 'redacted_thinking') return true;
  }
  // The canonical message keeps one thinking text.
  return thinking > 1;
}

/**
 * Collects the client's turns the canonical model cannot carry whole (anthropic-verbatim-turns.ts),
 * each placed on the canonical messages made of it, or, when it made none, before the next
 * canonical message (after the last one at the end).
 */
export class VerbatimTurns {
  #pending: AnthropicVerbatimTurn[] = [];
  #last: ChatMessage | undefined;

  /** A client turn and the canonical messages made of it. */
  add(message: AnthropicClientMessage, made: readonly ChatMessage[]): void {
    const turn = verbatimTurnOf(message);
    const first = made[0];
    if (first !== undefined && this.#pending.length > 0) {
      placeVerbatimTurn(first, { before: this.#pending });
      this.#pending = [];
    }
    if (turn !== undefined) {
      if (first === undefined) this.#pending.push(turn);
      else for (const canonical of made) placeVerbatimTurn(canonical, { turn });
    }
    if (made.length > 0) this.#last = made.at(-1);
  }

  /** Turns left with no canonical message after them go after the last one. */
  finish(): void {
    if (this.#pending.length > 0 && this.#last !== undefined) placeVerbatimTurn(this.#last, { after: this.#pending });
    this.#pending = [];
  }
}

/** The client turn as sent (its blocks copied: plugins rewrite their texts in place), when the canonical model cannot carry it whole. */
function verbatimTurnOf(message: AnthropicClientMessage): AnthropicVerbatimTurn | undefined {
  if (message.role === 'system' || typeof message.content === 'string') return undefined;
  const blocks = message.content as Block[];
  const altered = message.role === 'assistant' ? assistantTurnAltered(blocks) : !blocks.every(userBlockKept);
  return altered ? { role: message.role, content: structuredClone(blocks) } : undefined;
}
