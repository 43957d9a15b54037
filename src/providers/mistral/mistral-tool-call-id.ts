import { createHash } from 'node:crypto';

/** Mistral's rule for tool-call ids: "must be a-z, A-Z, 0-9, with a length of 9" (400 otherwise). */
const mistralId = /^[a-zA-Z0-9]{9}$/;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The id Mistral accepts for a tool call. Its own ids pass unchanged; any other (OpenAI's `call_…`,
 * Anthropic's `toolu_…`, a client's own) becomes 9 letters and digits taken from a SHA-256 of it.
 * The same id always maps to the same value, so an assistant's tool call and the tool message that
 * answers it still match, in this request and in every later one of the conversation.
 */
export function mistralToolCallId(id: string): string {
  if (mistralId.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let mapped = '';
  for (let index = 0; index < 9; index++) mapped += alphabet[digest[index]! % alphabet.length];
  return mapped;
}
