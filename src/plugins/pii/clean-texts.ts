/**
 * Texts a scanner found nothing in, remembered across requests: an agent sends the same tool
 * definitions on every turn (30 tools are about 7 KB of text, 2 ms of CPU to scan), and a text
 * found clean once is clean again (a scan depends only on the text and the plugin's config). Only
 * clean texts are kept, so no value a detector finds is ever held past its request. Bounded by
 * their total length; the oldest go first.
 */
export class CleanTexts {
  readonly #texts = new Set<string>();
  readonly #maxChars: number;
  #chars = 0;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  has(text: string): boolean {
    return this.#texts.has(text);
  }

  add(text: string): void {
    // A text of more than a sixteenth of the budget would push out many others to be seen once.
    if (text.length > this.#maxChars / 16 || this.#texts.has(text)) return;
    this.#texts.add(text);
    this.#chars += text.length;
    for (const oldest of this.#texts) {
      if (this.#chars <= this.#maxChars) break;
      this.#texts.delete(oldest);
      this.#chars -= oldest.length;
    }
  }
}
