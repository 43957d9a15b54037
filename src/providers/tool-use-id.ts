import { createHash } from 'node:crypto';

/** The only tool-call ids Anthropic's Messages API and Bedrock's Converse take. */
const validToolUseId = /^[a-zA-Z0-9_-]+$/;

/** Ids are kept readable up to this length; the digest after it keeps long ones apart. */
const keptLength = 64;

/** Hex characters of the digest appended to a mapped id. */
const digestLength = 12;

/**
 * A tool-call id as Anthropic (`tool_use.id`, `tool_result.tool_use_id`) and Bedrock Converse
 * (`toolUseId`, at most 64 characters: pass `maxLength`) take it. Ids other providers make (Kimi's
 * `functions.get_weather:0`, some OpenAI-compatible servers') may hold characters these APIs
 * refuse; a conversation replayed after a fallback carries them. Valid ids pass unchanged; others
 * get the refused characters replaced and a digest of the original appended, so the mapping is
 * the same for a call and its result (no state is kept) and two ids that differ only in refused
 * characters (`a.b`, `a:b`) stay apart.
 */
export function safeToolUseId(id: string, maxLength = Number.POSITIVE_INFINITY): string {
  if (validToolUseId.test(id) && id.length <= maxLength) return id;
  const readable = id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, Math.min(keptLength, maxLength - digestLength - 1));
  const digest = createHash('sha256').update(id).digest('hex').slice(0, digestLength);
  return `${readable}_${digest}`;
}
