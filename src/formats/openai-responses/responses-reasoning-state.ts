import { errors } from '../../errors/catalogue.ts';

/**
 * What a reasoning item must carry for its thinking to go back to the model that made it: the
 * text exactly as the model wrote it and the provider's signature over it, and the encrypted data
 * of the redacted thinking blocks that followed (Claude, on Anthropic and Bedrock, refuses a
 * tool-loop turn whose thinking is missing or altered; a turn may hold redacted thinking alone).
 */
export interface ReasoningState {
  /** The thinking text ('' when there is none: redacted thinking alone). */
  thinking: string;
  /** The provider's signature over `thinking` ('' when the text goes back unsigned or there is none). */
  signature: string;
  /** The data of redacted thinking blocks (canonical `reasoning_redacted`), in order; absent when there are none. */
  redacted?: string[];
}

/** Marks the gateway's own `encrypted_content`; anything else there (OpenAI's) is left alone. */
const prefix = 'tollgate.reasoning.v1:';

/**
 * The reasoning item's `encrypted_content`: where the Responses API keeps the opaque state a
 * stateless client sends back. The gateway stores nothing, so the state travels in the item.
 * It is encoded, not encrypted: it holds the text the item's content shows, the provider's
 * signature, which the provider itself verifies, and redacted thinking, which only the provider
 * can read. `redacted` is written only when there is some, so a signed thinking block encodes as
 * it always has (the format is one: a value without `redacted` has none).
 */
export function encodeReasoningState(state: ReasoningState): string {
  const fields: ReasoningState = { thinking: state.thinking, signature: state.signature };
  if (state.redacted !== undefined && state.redacted.length > 0) fields.redacted = state.redacted;
  return prefix + Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
}

/** True for a list of non-empty strings with at least one in it. */
function isRedactedList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((data) => typeof data === 'string' && data !== '');
}

/**
 * The state in a reasoning item's `encrypted_content`; undefined when the field holds none of
 * the gateway's (absent, or OpenAI's own). A value with the gateway's mark that does not decode
 * (or holds neither a signature nor redacted thinking) was damaged on the way, and is refused
 * naming `param`.
 */
export function decodeReasoningState(encrypted: unknown, param: string): ReasoningState | undefined {
  if (typeof encrypted !== 'string' || !encrypted.startsWith(prefix)) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(encrypted.slice(prefix.length), 'base64url').toString('utf8'));
  } catch {
    state = undefined;
  }
  const { thinking, signature, redacted } = (state ?? {}) as Record<string, unknown>;
  const hasRedacted = isRedactedList(redacted);
  const wellFormed = typeof thinking === 'string' && typeof signature === 'string' && (redacted === undefined || hasRedacted) && (signature !== '' || hasRedacted);
  if (!wellFormed) {
    throw errors.invalidRequest(`'${param}' is not the encrypted_content this gateway returned: send reasoning items back unchanged.`, param);
  }
  return hasRedacted ? { thinking, signature, redacted } : { thinking, signature };
}
