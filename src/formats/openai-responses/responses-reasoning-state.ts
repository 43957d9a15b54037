import { errors } from '../../errors/catalogue.ts';

/**
 * What a reasoning item must carry for its thinking to go back to the model that made it: the
 * text exactly as the model wrote it and the provider's signature over it (Claude, on Anthropic
 * and Bedrock, refuses a tool-loop turn whose thinking block is missing or altered).
 */
export interface ReasoningState {
  thinking: string;
  signature: string;
}

/** Marks the gateway's own `encrypted_content`; anything else there (OpenAI's) is left alone. */
const prefix = 'tollgate.reasoning.v1:';

/**
 * The reasoning item's `encrypted_content`: where the Responses API keeps the opaque state a
 * stateless client sends back. The gateway stores nothing, so the state travels in the item.
 * It is encoded, not encrypted: it holds the text the item's content shows and the provider's
 * signature, which the provider itself verifies.
 */
export function encodeReasoningState(state: ReasoningState): string {
  return prefix + Buffer.from(JSON.stringify({ thinking: state.thinking, signature: state.signature }), 'utf8').toString('base64url');
}

/**
 * The state in a reasoning item's `encrypted_content`; undefined when the field holds none of
 * the gateway's (absent, or OpenAI's own). A value with the gateway's mark that does not decode
 * was damaged on the way, and is refused naming `param`.
 */
export function decodeReasoningState(encrypted: unknown, param: string): ReasoningState | undefined {
  if (typeof encrypted !== 'string' || !encrypted.startsWith(prefix)) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(encrypted.slice(prefix.length), 'base64url').toString('utf8'));
  } catch {
    state = undefined;
  }
  const { thinking, signature } = (state ?? {}) as Record<string, unknown>;
  if (typeof thinking !== 'string' || typeof signature !== 'string' || signature === '') {
    throw errors.invalidRequest(`'${param}' is not the encrypted_content this gateway returned: send reasoning items back unchanged.`, param);
  }
  return { thinking, signature };
}
