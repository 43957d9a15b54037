import { createHash } from 'node:crypto';

/** The only tool-call ids Anthropic's Messages API and Bedrock's Converse take. */
const validToolUseId = /^[a-zA-Z0-9_-]+$/;

/** Ids are kept readable up to this length; the digest after it keeps long ones apart. */
const keptLength = 64;

/** Hex characters of the digest appended to a mapped id. */
const digestLength = 12;

/**
 * What follows this in a tool-call id the Gemini adapter made is the call's Gemini 3 thought
 * signature (src/providers/gemini/gemini-tool-call-id.ts): hundreds of characters only Gemini reads.
 */
export const thoughtSignatureSeparator = '__ts_';

/** What a provider accepts as a tool-call id: at most `maxLength` characters, and only those `valid` matches (none: any). */
export interface ToolCallIdRule {
  maxLength: number;
  valid?: RegExp;
}

/**
 * A tool-call id as a provider other than Gemini takes it (`rule`). An id that fits passes
 * unchanged. Otherwise, and always for an id carrying a Gemini thought signature (which no other
 * provider needs, and which makes ids too long for most), the id is its readable start (the call
 * id before the signature; characters `valid` refuses as `_`), cut to fit, and a digest of the
 * whole original id. No state is kept: the same id maps to the same value in an assistant's call
 * and in the result that answers it, in this request and every later one, and two ids that differ
 * anywhere (another signature, `a.b` and `a:b`) stay apart. The client's history keeps the original
 * id, so the signature still reaches Gemini when the conversation goes back to it.
 */
export function toolCallIdWithin(id: string, rule: ToolCallIdRule): string {
  const signatureAt = id.indexOf(thoughtSignatureSeparator);
  if (signatureAt === -1 && id.length <= rule.maxLength && (rule.valid === undefined || rule.valid.test(id))) return id;
  const callId = signatureAt === -1 ? id : id.slice(0, signatureAt);
  const readable = (rule.valid === undefined ? callId : callId.replace(/[^a-zA-Z0-9_-]/g, '_')).slice(0, Math.max(0, Math.min(keptLength, rule.maxLength - digestLength - 1)));
  const digest = createHash('sha256').update(id).digest('hex').slice(0, digestLength);
  return `${readable}_${digest}`;
}

/**
 * A tool-call id as Anthropic (`tool_use.id`, `tool_result.tool_use_id`) and Bedrock Converse
 * (`toolUseId`, at most 64 characters: pass `maxLength`) take it (toolCallIdWithin). Ids other
 * providers make (Kimi's `functions.get_weather:0`, some OpenAI-compatible servers', Gemini 3's
 * with a thought signature) may hold characters these APIs refuse, or be too long; a conversation
 * replayed after a fallback carries them.
 */
export function safeToolUseId(id: string, maxLength = Number.POSITIVE_INFINITY): string {
  return toolCallIdWithin(id, { maxLength, valid: validToolUseId });
}
