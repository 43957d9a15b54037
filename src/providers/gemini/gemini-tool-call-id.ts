import { thoughtSignatureSeparator as separator } from '../tool-use-id.ts';

/**
 * Gemini 3 rejects a conversation whose function calls come back without the thought signature
 * it attached to them, and an OpenAI client sends back only what the OpenAI schema has: the
 * tool call's id, name and arguments. So the signature travels inside the id we give the call:
 * `<id>__ts_<signature in base64url>` (letters, digits, `_` and `-` only, so the id stays valid
 * for Anthropic-format clients too). Calls without a signature keep a plain id. Other providers
 * never get the signature: their adapters send such an id as its call id and a digest
 * (toolCallIdWithin, ../tool-use-id.ts).
 */

/** The signature Google documents for function calls Gemini did not make (other models, edited history). */
export const skipSignatureValidator = 'skip_thought_signature_validator';

/** Gives ids to the tool calls of one response Gemini gave no id for: `call_<16 hex>_<n>`, unique across a conversation. */
export function toolCallIdMaker(): (index: number) => string {
  const prefix = `call_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}_`;
  return (index) => prefix + index;
}

/**
 * True for an id toolCallIdMaker made (the gateway's, not Gemini's): such an id is not sent back
 * as `functionCall.id` / `functionResponse.id`, since Gemini never issued it. Any other id is
 * Gemini's own (Gemini 3 gives every call one) or another model's, and goes back with the call
 * and its result so Gemini can pair them.
 */
export function isGatewayToolCallId(id: string): boolean {
  return /^call_[0-9a-f]{16}_\d+$/.test(id);
}

/** The id a client sees: the call's own id, with the thought signature folded in when there is one. */
export function encodeToolCallId(id: string, signature: string | undefined): string {
  if (!signature) return id;
  return id + separator + signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Splits an id made by encodeToolCallId back into the id and the thought signature (standard base64). */
export function decodeToolCallId(id: string): { id: string; signature: string | undefined } {
  const at = id.indexOf(separator);
  if (at === -1) return { id, signature: undefined };
  const encoded = id.slice(at + separator.length);
  if (encoded === '') return { id: id.slice(0, at), signature: undefined };
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  return { id: id.slice(0, at), signature: base64 + '='.repeat((4 - (base64.length % 4)) % 4) };
}
