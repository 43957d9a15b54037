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

const tailLimit = 8192;

/**
 * Keeps the last few kilobytes of a passed-through SSE stream, so the usage chunk OpenAI-
 * compatible providers send last can be read after the stream without parsing every event.
 */
export class StreamUsageTail {
  #pieces: Buffer[] = [];
  #size = 0;

  push(chunk: Buffer): void {
    this.#pieces.push(chunk);
    this.#size += chunk.length;
    while (this.#size - this.#pieces[0].length >= tailLimit && this.#pieces.length > 1) {
      this.#size -= this.#pieces[0].length;
      this.#pieces.shift();
    }
  }

  /** The usage of the last data event that carries one. */
  usage(): Usage | null {
    const text = Buffer.concat(this.#pieces).toString('utf8');
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
