import { rewriteBlockTexts, verbatimTurnsIn } from '../../canonical/anthropic-verbatim-turns.ts';
import type { ChatRequest } from '../../canonical/chat.ts';
import type { CanonicalRequest, Operation } from '../../canonical/operation.ts';

type Rewrite = (text: string) => string;

/** Blocks whose texts the canonical messages carry too (rewritten and counted there): the copy in a verbatim turn is rewritten alike, not counted again. */
const alsoCanonical = new Set(['text', 'tool_use', 'thinking', 'redacted_thinking', 'image', 'document', 'search_result']);

/**
 * Rewrites the texts of a Messages request's verbatim turns (the client's turns with server tool
 * blocks, citations…, which an Anthropic provider gets as sent: canonical/anthropic-verbatim-turns.ts)
 * in place, so they reach Anthropic as the rest of the request does. `own` rewrites the blocks
 * only those turns carry (server tool calls and results, MCP blocks, container uploads) and counts
 * what it finds; `copy` rewrites the blocks the canonical messages hold too (text, tool calls,
 * thinking, documents, search results, tool results' texts), which were counted there. Returns
 * true when anything changed.
 */
export function rewriteVerbatimTurnTexts(operation: Operation, body: CanonicalRequest, own: Rewrite, copy: Rewrite): boolean {
  if (operation !== 'chat') return false;
  let changed = false;
  for (const turn of verbatimTurnsIn((body as ChatRequest).messages ?? [])) {
    for (const block of turn.content) changed = rewriteBlock(block, own, copy) || changed;
  }
  return changed;
}

function rewriteBlock(block: Record<string, unknown>, own: Rewrite, copy: Rewrite): boolean {
  if (block.type !== 'tool_result') return rewriteBlockTexts(block, alsoCanonical.has(String(block.type)) ? copy : own);
  // A tool result's text is a canonical tool message; a block inside it with no canonical form is not.
  const content = block.content;
  if (typeof content === 'string') {
    const next = copy(content);
    if (next === content) return false;
    block.content = next;
    return true;
  }
  if (!Array.isArray(content)) return false;
  let changed = false;
  for (const inner of content) if (inner !== null && typeof inner === 'object') changed = rewriteBlock(inner as Record<string, unknown>, own, copy) || changed;
  return changed;
}
