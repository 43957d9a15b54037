import type { ChatMessage } from './chat.ts';
import { isTextMediaType } from './data-url.ts';

/**
 * A turn of an Anthropic Messages request as the client sent it (its blocks copied), kept beside
 * the canonical messages made of it when it holds blocks the canonical model has no form for or
 * alters: server tool calls and results (`server_tool_use`, `web_search_tool_result`,
 * `code_execution_tool_result`…), MCP blocks, container uploads, citations, search results,
 * documents, file-id sources, several thinking blocks. When a plugin changes the body and the
 * request is re-encoded for an Anthropic provider, the anthropic adapter sends these turns in place
 * of the canonical messages they cover, so Claude gets its conversation back as it wrote it.
 * Other providers never read them (a symbol key: never serialized, copied by spreads), but for
 * Claude on Bedrock, which gets an assistant turn's thinking, text and tool_use blocks in their
 * order (assistant-block-order.ts). An assistant answer read from a provider carries one too when
 * its blocks have no canonical order (Claude's several thinking blocks between tool calls, from
 * Anthropic, Vertex AI or Bedrock; text after a tool call) or no canonical form (Anthropic's
 * separate text blocks, citations, server tool calls and results: answer-order.ts),
 * so an Anthropic-format client gets them as the model wrote them.
 */
export interface AnthropicVerbatimTurn {
  role: 'user' | 'assistant';
  content: Array<Record<string, unknown>>;
}

/** Where verbatim turns go among a canonical message's neighbours. */
export interface AnthropicVerbatimPlacement {
  /** The turn the message was made of: sent once, in place of every message it covers. */
  turn?: AnthropicVerbatimTurn;
  /** Turns that made no canonical message (a user turn of only a container upload), sent before this message. */
  before?: AnthropicVerbatimTurn[];
  /** The same, after this message (the conversation's last turns). */
  after?: AnthropicVerbatimTurn[];
}

const verbatimPlacement: unique symbol = Symbol('tollgate.anthropic-verbatim-turn');

type WithPlacement = ChatMessage & { [verbatimPlacement]?: AnthropicVerbatimPlacement };

/** A canonical message's verbatim turns; undefined for every message but one made of (or next to) such a turn. */
export function verbatimPlacementOf(message: ChatMessage): AnthropicVerbatimPlacement | undefined {
  return (message as WithPlacement)[verbatimPlacement];
}

/** Adds to a canonical message's verbatim turns. */
export function placeVerbatimTurn(message: ChatMessage, placement: AnthropicVerbatimPlacement): void {
  const current = ((message as WithPlacement)[verbatimPlacement] ??= {});
  if (placement.turn !== undefined) current.turn = placement.turn;
  if (placement.before !== undefined) current.before = [...(current.before ?? []), ...placement.before];
  if (placement.after !== undefined) current.after = [...(current.after ?? []), ...placement.after];
}

/** Every verbatim turn of a conversation, each once, in order. */
export function verbatimTurnsIn(messages: readonly ChatMessage[]): AnthropicVerbatimTurn[] {
  const turns = new Set<AnthropicVerbatimTurn>();
  for (const message of messages) {
    const placement = verbatimPlacementOf(message);
    if (placement === undefined) continue;
    for (const turn of placement.before ?? []) turns.add(turn);
    if (placement.turn !== undefined) turns.add(placement.turn);
    for (const turn of placement.after ?? []) turns.add(turn);
  }
  return [...turns];
}

/**
 * Keys whose strings are no text the model reads: ids, names it calls, media types, opaque data
 * only Anthropic decrypts or verifies (the scan-only texts leave the same out: text-file.ts).
 */
const opaqueKeys = new Set(['type', 'id', 'tool_use_id', 'name', 'server_name', 'media_type', 'cache_control', 'signature', 'encrypted_content', 'encrypted_index', 'file_id', 'error_code']);

/** Rewrites one text; returns the same string when there is nothing to change. */
export type BlockTextRewrite = (text: string) => string;

/**
 * Rewrites in place every text a verbatim block holds (nested, keys in opaqueKeys left alone):
 * a text block's text, a server tool's input, its results' titles and contents, citations'
 * quoted text. A base64 source of a text media type is decoded, rewritten and encoded again;
 * other base64 (images, PDFs) is bytes. A redacted thinking block is opaque. Returns true when
 * anything changed.
 */
export function rewriteBlockTexts(value: unknown, rewrite: BlockTextRewrite): boolean {
  if (Array.isArray(value)) {
    let changed = false;
    value.forEach((item, index) => {
      if (typeof item !== 'string') {
        changed = rewriteBlockTexts(item, rewrite) || changed;
        return;
      }
      const next = rewrite(item);
      if (next === item) return;
      value[index] = next;
      changed = true;
    });
    return changed;
  }
  if (value === null || typeof value !== 'object') return false;
  const node = value as Record<string, unknown>;
  if (node.type === 'redacted_thinking') return false;
  if (node.type === 'base64') return rewriteBase64Text(node, rewrite);
  let changed = false;
  for (const [key, item] of Object.entries(node)) {
    if (opaqueKeys.has(key)) continue;
    if (typeof item !== 'string') {
      changed = rewriteBlockTexts(item, rewrite) || changed;
      continue;
    }
    const next = rewrite(item);
    if (next === item) continue;
    node[key] = next;
    changed = true;
  }
  return changed;
}

/** A base64 source of a text document (text/plain…), read and rewritten as text; any other base64 is left. */
function rewriteBase64Text(source: Record<string, unknown>, rewrite: BlockTextRewrite): boolean {
  if (typeof source.media_type !== 'string' || !isTextMediaType(source.media_type) || typeof source.data !== 'string') return false;
  const text = Buffer.from(source.data, 'base64').toString('utf8');
  const next = rewrite(text);
  if (next === text) return false;
  source.data = Buffer.from(next, 'utf8').toString('base64');
  return true;
}
