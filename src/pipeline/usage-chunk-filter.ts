const boundary = Buffer.from('\n\n');
const usageOnly = /^data: ?\{.*"choices":\s*\[\s*\].*"usage":\s*\{/s;

/**
 * Removes the usage-only event (`choices: []` with `usage`) from a passed-through OpenAI SSE
 * stream, for clients that did not ask for it. Works on raw bytes: complete events (ending in a
 * blank line) are checked and forwarded, a partial event is held until its end arrives, so
 * multi-byte characters are never split by this filter.
 */
export class UsageChunkFilter {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer {
    const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const end = data.lastIndexOf(boundary);
    if (end === -1) {
      this.#pending = data === chunk ? Buffer.from(chunk) : data;
      return Buffer.alloc(0);
    }
    // A copy: a slice would keep the upstream's whole socket buffer alive until the next chunk.
    this.#pending = end + 2 === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(end + 2));
    return this.#filter(data.subarray(0, end + 2));
  }

  end(): Buffer {
    const rest = this.#pending;
    this.#pending = Buffer.alloc(0);
    return rest.length === 0 ? rest : this.#filter(rest);
  }

  #filter(events: Buffer): Buffer {
    // Only events that mention usage need a look; most chunks pass through as they are.
    if (events.indexOf('"usage"') === -1) return events;
    const kept = events
      .toString('utf8')
      .split(/(?<=\n\n)/)
      .filter((event) => !usageOnly.test(event.replace(/\r/g, '')));
    return Buffer.from(kept.join(''));
  }
}
