import { copyWithOwnMemory } from '../upstream/own-memory.ts';
import { hasUsageObject } from './passthrough-usage.ts';

const usageOnly = /^data: ?\{.*"choices":\s*\[\s*\].*"usage":\s*\{/s;
const nothing = Buffer.alloc(0);
const usageKey = Buffer.from('"usage"');

/**
 * Gives a client that did not ask for usage the stream OpenAI sends it, from a passed-through
 * OpenAI SSE stream the gateway asked usage of (for its ledger): without the usage-only event
 * (`choices: []` with `usage`) and without the `"usage": null` member every other chunk then
 * carries (OpenAI's chunks have no `usage` key unless `stream_options.include_usage` is set).
 * Works on raw bytes: complete events (ending in a blank line, LF or CRLF) are checked and
 * forwarded, a partial event is held until its end arrives, so multi-byte characters are never
 * split by this filter.
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
    // Events that never name "usage" pass through as they are; `"usage": null` members are cut out
    // of the bytes; only events with a usage object are read as text.
    if (events.indexOf(usageKey) === -1) return events;
    if (hasUsageObject(events)) {
      const kept = events
        .toString('utf8')
        .split(/(?<=\n\r?\n)/)
        .filter((event) => !usageOnly.test(event.replace(/\r/g, '')));
      events = Buffer.from(kept.join(''));
    }
    return withoutNullUsage(events);
  }
}

function isSpace(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * The bytes without their `"usage": null` members, each with the comma that joined it to its
 * neighbour, in one copy (the same bytes when there is none). A `"usage"` with raw quotes is a key
 * (inside a JSON string its quotes are escaped).
 */
export function withoutNullUsage(bytes: Buffer): Buffer {
  const cuts: number[] = [];
  for (let at = bytes.indexOf(usageKey); at !== -1; at = bytes.indexOf(usageKey, at + usageKey.length)) {
    let index = at + usageKey.length;
    while (isSpace(bytes[index])) index++;
    if (bytes[index] !== 0x3a) continue;
    index++;
    while (isSpace(bytes[index])) index++;
    if (bytes[index] !== 0x6e || bytes[index + 1] !== 0x75 || bytes[index + 2] !== 0x6c || bytes[index + 3] !== 0x6c) continue;
    const valueEnd = index + 4;
    let after = valueEnd;
    while (isSpace(bytes[after])) after++;
    if (bytes[after] !== 0x2c && bytes[after] !== 0x7d) continue;
    let before = at - 1;
    while (before >= 0 && isSpace(bytes[before])) before--;
    if (bytes[before] === 0x2c) cuts.push(before, valueEnd);
    else if (bytes[after] === 0x2c) {
      let next = after + 1;
      while (isSpace(bytes[next])) next++;
      cuts.push(at, next);
    }
    else cuts.push(at, valueEnd);
  }
  if (cuts.length === 0) return bytes;
  let removed = 0;
  for (let cut = 0; cut < cuts.length; cut += 2) removed += cuts[cut + 1] - cuts[cut];
  const out = Buffer.allocUnsafe(bytes.length - removed);
  let written = 0;
  let from = 0;
  for (let cut = 0; cut < cuts.length; cut += 2) {
    written += bytes.copy(out, written, from, cuts[cut]);
    from = cuts[cut + 1];
  }
  bytes.copy(out, written, from);
  return out;
}

/** Where the last complete event ends: just after its blank line (`\n\n` or `\r\n\r\n`); -1 if none. */
function lastEventEnd(bytes: Buffer): number {
  for (let at = bytes.lastIndexOf(10); at > 0; at = bytes.lastIndexOf(10, at - 1)) {
    if (bytes[at - 1] === 10 || (bytes[at - 1] === 13 && bytes[at - 2] === 10)) return at + 1;
  }
  return -1;
}
