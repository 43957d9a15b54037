import { createHash } from 'node:crypto';
const placeholderPattern = /<([A-Z][A-Z0-9_]*_\d+)>/g;

/**
 * The reversible half of `mask`: the originals behind `<EMAIL_1>`-style placeholders for one
 * request. The same value gets the same placeholder, so the model can still tell that two
 * mentions are one person. Lives only in the request's state, never logged.
 */
export class MaskVault {
  readonly #placeholders = new Map<string, string>();
  readonly #originals = new Map<string, string>();
  readonly #counters = new Map<string, number>();
  /** Placeholder-shaped text the client wrote itself: never handed out, never restored. */
  readonly #reserved = new Set<string>();
  /** Length of the longest placeholder handed out: how much a stream must hold back to restore one. */
  longest = 0;

  /**
   * A vault for the response direction: its placeholders are numbered after this one's, so
   * pseudonyms the response gets (response `mask`) never collide with, or are restored as,
   * the request's placeholders.
   */
  fork(): MaskVault {
    const fork = new MaskVault();
    for (const [label, number] of this.#counters) fork.#counters.set(label, number);
    for (const placeholder of this.#reserved) fork.#reserved.add(placeholder);
    return fork;
  }

  get size(): number {
    return this.#originals.size;
  }

  placeholderFor(label: string, value: string): string {
    const key = `${label}\u0000${value}`;
    const existing = this.#placeholders.get(key);
    if (existing !== undefined) return existing;
    let number = this.#counters.get(label) ?? 0;
    let placeholder: string;
    do placeholder = `<${label}_${++number}>`;
    while (this.#reserved.has(placeholder));
    this.#counters.set(label, number);
    this.#placeholders.set(key, placeholder);
    this.#originals.set(placeholder, value);
    if (placeholder.length > this.longest) this.longest = placeholder.length;
    return placeholder;
  }

  /**
   * A digest of the masked values and their placeholders (SHA-256, base64url), or null when none
   * was masked: two requests the masking made alike get the same answer from the provider, but
   * each its own values back in it.
   */
  fingerprint(): string | null {
    if (this.#originals.size === 0) return null;
    const digest = createHash('sha256');
    for (const [placeholder, original] of this.#originals) digest.update(`${placeholder}\u0000${original}\u0000`);
    return digest.digest('base64url');
  }

  /** Notes placeholder-shaped strings the client wrote, so no placeholder is issued under their name. */
  reserve(text: string): void {
    if (!text.includes('<')) return;
    for (const match of text.matchAll(placeholderPattern)) this.#reserved.add(match[0]);
  }

  /** Puts the originals back; inside JSON (tool arguments, an answer the client asked as JSON) they are JSON-escaped. */
  restore(text: string, json = false): string {
    if (this.#originals.size === 0 || !text.includes('<')) return text;
    return text.replace(placeholderPattern, (placeholder) => {
      const original = this.#originals.get(placeholder);
      if (original === undefined) return placeholder;
      return json ? JSON.stringify(original).slice(1, -1) : original;
    });
  }

  /** Where a placeholder that may be cut off at the end of `text` starts, or -1. */
  partialAt(text: string): number {
    const from = text.lastIndexOf('<');
    if (from === -1 || text.length - from >= this.longest) return -1;
    return /^<[A-Z0-9_]*$/.test(text.slice(from)) ? from : -1;
  }

  /** Start of a complete placeholder that spans `position`, or -1. */
  spanning(text: string, position: number): number {
    const from = text.lastIndexOf('<', position - 1);
    if (from === -1 || position - from >= this.longest) return -1;
    const close = text.indexOf('>', from);
    if (close === -1 || close < position) return -1;
    return this.#originals.has(text.slice(from, close + 1)) ? from : -1;
  }
}
