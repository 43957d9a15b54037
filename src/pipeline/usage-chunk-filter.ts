import { copyWithOwnMemory } from '../upstream/own-memory.ts';
import { hasUsageObject } from './passthrough-usage.ts';

const usageOnly = /^data: ?\{.*"choices":\s*\[\s*\].*"usage":\s*\{/s;
const nothing = Buffer.alloc(0);

/**
 * Removes the usage-only event (`choices: []` with `usage`) from a passed-through OpenAI SSE
 * stream, for clients that did not ask for it. Works on raw bytes: complete events (ending in a
 * blank line, LF or CRLF) are checked and forwarded, a partial event is held until its end arrives, so
 * multi-byte characters are never split by this filter.
 */
export class UsageChunkFilter {
  #pending: Buffer = nothing;

  push(chunk: Buffer): Buffer {
    // A partial event is kept as a copy with memory of its own (own-memory.ts): a subarray would
    // keep the whole upstream piece alive until the next piece, a Buffer.from copy the 64 KiB pool.
    const data = this.#pending.length === 0 ? chunk : copyWithOwnMemory([this.#pending, chunk], this.#pending.length + chunk.length);
    const end = lastEventEnd(data);
    if (end === -1) {
      this.#pending = data === chunk ? copyWithOwnMemory([chunk], chunk.length) : data;
      return nothing;
    }
    if (end === data.length) {
      this.#pending = nothing;
      return this.#filter(data);
    }
    this.#pending = copyWithOwnMemory([data.subarray(end)], data.length - end);
    return this.#filter(data.subarray(0, end));
  }

  end(): Buffer {
    const rest = this.#pending;
    this.#pending = nothing;
    return rest.length === 0 ? rest : this.#filter(rest);
  }

  #filter(events: Buffer): Buffer {
    // Only events with a usage object need a look; the rest pass through as they are. OpenAI puts
    // `"usage": null` in every chunk once usage is asked for (as the gateway does), so a mention
    // of "usage" alone would send every chunk down the slow path.
    if (!hasUsageObject(events)) return events;
    const kept = events
      .toString('utf8')
      .split(/(?<=\n\r?\n)/)
      .filter((event) => !usageOnly.test(event.replace(/\r/g, '')));
    return Buffer.from(kept.join(''));
  }
}

/** Where the last complete event ends: just after its blank line (`\n\n` or `\r\n\r\n`); -1 if none. */
function lastEventEnd(bytes: Buffer): number {
  for (let at = bytes.lastIndexOf(10); at > 0; at = bytes.lastIndexOf(10, at - 1)) {
    if (bytes[at - 1] === 10 || (bytes[at - 1] === 13 && bytes[at - 2] === 10)) return at + 1;
  }
  return -1;
}
