import { sseEventLimit, SseEventTooLarge } from '../../upstream/sse-parser.ts';

const newline = 0x0a;

/**
 * Splits a newline-delimited JSON body into lines, whatever the pieces' boundaries. Lines are cut
 * on the newline byte before they are decoded, so a multi-byte UTF-8 character split across
 * pieces is decoded whole (0x0a never occurs inside one). Empty lines are skipped. A line past
 * the limit of one stream event (sseEventLimit, 16 MiB) fails the stream (SseEventTooLarge, an
 * upstream_bad_response) rather than taking the gateway's memory.
 */
export class NdjsonLines {
  #held: Buffer[] = [];
  #heldBytes = 0;

  /** The lines a piece completes. */
  push(piece: Buffer | string): string[] {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    const lines: string[] = [];
    let start = 0;
    let end = bytes.indexOf(newline, start);
    while (end !== -1) {
      if (this.#heldBytes + end - start > sseEventLimit) throw new SseEventTooLarge();
      this.#add(lines, this.#take(bytes.subarray(start, end)));
      start = end + 1;
      end = bytes.indexOf(newline, start);
    }
    if (start < bytes.length) {
      if (this.#heldBytes + bytes.length - start > sseEventLimit) throw new SseEventTooLarge();
      this.#held.push(bytes.subarray(start));
      this.#heldBytes += bytes.length - start;
    }
    return lines;
  }

  /** The last line, when the body did not end with a newline. */
  end(): string[] {
    const lines: string[] = [];
    if (this.#heldBytes > 0) this.#add(lines, this.#take(Buffer.alloc(0)));
    return lines;
  }

  /** The held bytes and `tail` as one line's text. */
  #take(tail: Buffer): string {
    if (this.#held.length === 0) return tail.toString('utf8');
    this.#held.push(tail);
    const line = Buffer.concat(this.#held, this.#heldBytes + tail.length).toString('utf8');
    this.#held = [];
    this.#heldBytes = 0;
    return line;
  }

  #add(lines: string[], line: string): void {
    const trimmed = line.trim();
    if (trimmed !== '') lines.push(trimmed);
  }
}
