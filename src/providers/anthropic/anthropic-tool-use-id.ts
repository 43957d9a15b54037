import { createHash } from 'node:crypto';

/** The only tool_use ids Anthropic takes (`tool_use.id` and `tool_result.tool_use_id`). */
const validToolUseId = /^[a-zA-Z0-9_-]+$/;

/** Ids are kept readable up to this length; the digest after it keeps long ones apart. */
const keptLength = 64;

/**
 * A tool-call id as Anthropic takes it. Ids other providers make (Kimi's `functions.get_weather:0`,
 * some OpenAI-compatible servers') may hold characters Anthropic refuses; a conversation replayed
 * to Claude after a fallback carries them. Valid ids pass unchanged; others get the refused
 * characters replaced and a digest of the original appended, so the mapping is the same for a
 * call and its result (no state is kept) and two ids that differ only in refused characters
 * (`a.b`, `a:b`) stay apart.
 */
export function anthropicToolUseId(id: string): string {
  if (validToolUseId.test(id)) return id;
  const readable = id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, keptLength);
  const digest = createHash('sha256').update(id).digest('hex').slice(0, 12);
  return `${readable}_${digest}`;
}
