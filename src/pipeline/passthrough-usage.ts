import type { Usage } from '../canonical/chat.ts';

/** Usage from a complete OpenAI-shaped JSON body, or null when it has none or is not JSON. */
export function usageFromJsonBody(body: Buffer): Usage | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { usage?: Usage | null };
    return parsed.usage ?? null;
  } catch {
    return null;
  }
}

const tailLimit = 2048;

/**
 * Keeps the last two to four kilobytes of a passed-through SSE stream, so the usage chunk OpenAI-
 * compatible providers send last can be read after the stream without parsing every event.
 * The bytes are copied into a buffer of its own: holding the upstream's chunks would keep alive
 * the much larger socket buffers they are slices of, per open stream.
 */
export class StreamUsageTail {
  #buffer: Buffer | null = null;
  #length = 0;
  /** Complete SSE events seen (each ends with a blank line), for an estimate when no usage comes. */
  events = 0;
  #newlinePending = false;

  push(chunk: Buffer): void {
    this.#countEvents(chunk);
    const buffer = (this.#buffer ??= Buffer.allocUnsafeSlow(2 * tailLimit));
    if (chunk.length >= tailLimit) {
      chunk.copy(buffer, 0, chunk.length - tailLimit);
      this.#length = tailLimit;
      return;
    }
    if (this.#length + chunk.length > buffer.length) {
      const keep = Math.min(this.#length, tailLimit);
      buffer.copy(buffer, 0, this.#length - keep, this.#length);
      this.#length = keep;
    }
    chunk.copy(buffer, this.#length);
    this.#length += chunk.length;
  }

  // An event ends with a blank line, "\n\n" as providers send it; a pair split across two chunks
  // counts once.
  #countEvents(chunk: Buffer): void {
    if (chunk.length === 0) return;
    let from = 0;
    if (this.#newlinePending && chunk[0] === 10) {
      this.events++;
      from = 1;
    }
    for (let at = chunk.indexOf('\n\n', from); at !== -1; at = chunk.indexOf('\n\n', from)) {
      this.events++;
      from = at + 2;
    }
    this.#newlinePending = from < chunk.length && chunk[chunk.length - 1] === 10;
  }

  /** The usage of the last data event that carries one. */
  usage(): Usage | null {
    if (this.#buffer === null) return null;
    const text = this.#buffer.toString('utf8', 0, this.#length);
    const events = text.split(/\r?\n\r?\n/);
    for (let index = events.length - 1; index >= 0; index--) {
      const event = events[index];
      if (!event.includes('"usage"')) continue;
      const dataLine = event.split(/\r?\n/).find((line) => line.startsWith('data:'));
      if (!dataLine) continue;
      try {
        const parsed = JSON.parse(dataLine.slice(5).trim()) as { usage?: Usage | null };
        if (parsed.usage) return parsed.usage;
      } catch {
        // A partial event at the start of the tail: keep looking backwards.
      }
    }
    return null;
  }
}
