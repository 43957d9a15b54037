import { createHash } from 'node:crypto';
import type { ChatMessage } from '../canonical/chat.ts';

/**
 * Claude's thinking signatures, as OpenAI chat clients get them. Claude verifies a thinking block
 * sent back against the exact text it signed, and OpenAI clients do not all keep that text whole:
 * the openai SDK's `chat.completions.stream()` helper assigns each unknown delta field over the
 * last, so its `reasoning_content` is the last fragment while the signature (one delta) is whole,
 * and Claude answers 400 "Invalid signature". So the signature an OpenAI chat client gets carries
 * a digest of the text it signs, `tg1.<digest>.<provider's signature>`; when the message comes
 * back, a text that does not match it drops the thinking block (the turn then has no thinking,
 * and the adapters turn thinking off where Claude would require it), a text that matches goes
 * back with the provider's signature. Anthropic-format and Responses API clients get the
 * provider's signature as it is (they keep the text whole); a signature without the prefix
 * (Anthropic's and Bedrock's are base64, which has no '.') goes back as it came, from any client.
 */
const prefix = 'tg1.';

/** Characters of the digest: 96 bits of SHA-256, base64url. It detects a text the client changed; the provider's signature still guards the content. */
const digestLength = 16;

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, digestLength);
}

/** The signature an OpenAI chat client gets for a thinking block: the provider's, with a digest of `signedText` (the block's text). */
export function wrapReasoningSignature(signature: string, signedText: string): string {
  return `${prefix}${digestOf(signedText)}.${signature}`;
}

/**
 * The provider's signature for sending `text` back as a thinking block: a wrapped signature's
 * inside when `text` is the text it was given with, undefined when it is not (the block cannot go
 * back); any other signature as it is.
 */
export function providerSignatureFor(signature: string, text: string): string | undefined {
  if (!signature.startsWith(prefix) || signature.charCodeAt(prefix.length + digestLength) !== 46 /* . */) return signature;
  const digest = signature.slice(prefix.length, prefix.length + digestLength);
  return digest === digestOf(text) ? signature.slice(prefix.length + digestLength + 1) : undefined;
}

/** An assistant message's thinking that can go back to Claude, with the provider's signature; undefined when it has none (no signature, or a text the signature was not given with). */
export function signedThinkingOf(message: ChatMessage): { text: string; signature: string } | undefined {
  const text = message.reasoning_content;
  const signature = message.reasoning_signature;
  if (typeof text !== 'string' || typeof signature !== 'string' || signature === '') return undefined;
  const providerSignature = providerSignatureFor(signature, text);
  return providerSignature === undefined || providerSignature === '' ? undefined : { text, signature: providerSignature };
}

/**
 * An assistant message's redacted thinking (`reasoning_redacted`: the data of Claude's
 * redacted_thinking blocks) that can go back to Claude, in order. None when the message's signed
 * thinking cannot go back (signedThinkingOf: a text its signature was not given with): Claude takes
 * a turn's thinking blocks back as it wrote them or not at all, and a turn left with no thinking is
 * sent with thinking off (the adapters' rule for a tool turn without its thinking).
 */
export function redactedThinkingOf(message: ChatMessage): string[] {
  const redacted = message.reasoning_redacted;
  if (!Array.isArray(redacted) || redacted.length === 0) return [];
  const signature = message.reasoning_signature;
  if (typeof signature === 'string' && signature !== '' && signedThinkingOf(message) === undefined) return [];
  return redacted.filter((data): data is string => typeof data === 'string' && data !== '');
}

/**
 * Wraps the signatures of one streamed answer for an OpenAI chat client: told each piece of
 * thinking text and where a thinking block starts, it wraps a block's signature with the digest
 * of that block's text. Built only for OpenAI chat clients; other streams pay nothing.
 */
export class StreamedSignatures {
  #text = '';

  /** A new thinking block starts: the signature that ends it covers its text alone. */
  startBlock(): void {
    this.#text = '';
  }

  /** Thinking text as it streams (string concatenation: the text is hashed only when the signature arrives). */
  addText(text: string): void {
    this.#text += text;
  }

  /** The signature that ends the current block, as the client gets it. */
  wrap(signature: string): string {
    return wrapReasoningSignature(signature, this.#text);
  }
}
