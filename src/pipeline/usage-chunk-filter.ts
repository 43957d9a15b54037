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
 * split by this filter. With `dropUsage` false it only does that: the stream goes on in whole
 * events (the byte passthroughs, deliver-reply.ts), so a stream that fails mid-event (cut, an event
 * past the size limit) has sent none of that event, and the error event that ends it stands alone
 * rather than finishing a broken one (which SDKs read as a JSON syntax error).
 */
export class UsageChunkFilter {
  /** The partial event held: its pieces (each with memory of its own), joined once its end comes. */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  readonly #dropUsage: boolean;

  constructor(dropUsage = true) {
    this.#dropUsage = dropUsage;
  }

  push(chunk: Buffer): Buffer {
    // Only the new piece is searched for an event end (with the held bytes' last two before it),
    // and a held event is copied once, when it ends: a long event arriving in many pieces costs
    // time in proportion to its size, not to its size squared.
    const end = lastEventEnd(chunk, this.#pendingByte(1), this.#pendingByte(2));
    if (end === -1) {
      // A partial event is kept as a copy with memory of its own (own-memory.ts): a subarray would
      // keep the whole upstream piece alive, a Buffer.from copy the 64 KiB pool.
      this.#pending.push(copyWithOwnMemory([chunk], chunk.length));
      this.#pendingLength += chunk.length;
      return nothing;
    }
    const events = this.#pendingLength === 0 ? (end === chunk.length ? chunk : chunk.subarray(0, end)) : copyWithOwnMemory([...this.#pending, chunk.subarray(0, end)], this.#pendingLength + end);
    this.#pending = end === chunk.length ? [] : [copyWithOwnMemory([chunk.subarray(end)], chunk.length - end)];
    this.#pendingLength = chunk.length - end;
    return this.#filter(events);
  }

  /** Bytes of an event are held (the stream so far does not end on an event's blank line). */
  get midEvent(): boolean {
    return this.#pendingLength > 0;
  }

  end(): Buffer {
    const rest = this.#pendingLength === 0 ? nothing : copyWithOwnMemory(this.#pending, this.#pendingLength);
    this.#pending = [];
    this.#pendingLength = 0;
    return rest.length === 0 ? rest : this.#filter(rest);
  }

  /** The byte `back` places before the end of the held bytes (undefined when fewer are held). */
  #pendingByte(back: number): number | undefined {
    for (let index = this.#pending.length - 1; index >= 0; index--) {
      const piece = this.#pending[index]!;
      if (piece.length >= back) return piece[piece.length - back];
      back -= piece.length;
    }
    return undefined;
  }

  #filter(events: Buffer): Buffer {
    if (!this.#dropUsage) return events;
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

/** Bytes 'data:' (an SSE data line's field name). */
const dataField = [0x64, 0x61, 0x74, 0x61, 0x3a];

function isDataFieldAt(bytes: Buffer, index: number): boolean {
  for (let offset = 0; offset < dataField.length; offset++) if (bytes[index + offset] !== dataField[offset]) return false;
  return true;
}

/**
 * The index after JSON whitespace from `index` on, where a line break followed by `data:` counts as
 * whitespace too: an event's JSON may go on over several `data:` lines (valid SSE), and the line
 * breaks between them are what joins the lines back.
 */
function skipForward(bytes: Buffer, index: number): number {
  for (;;) {
    if (isSpace(bytes[index])) {
      const lineBreak = bytes[index] === 0x0a || bytes[index] === 0x0d;
      index++;
      if (lineBreak && bytes[index - 1] === 0x0d && bytes[index] === 0x0a) index++;
      if (lineBreak && isDataFieldAt(bytes, index)) index += dataField.length;
      continue;
    }
    return index;
  }
}

/** The index of the first byte before `index` (included) that is neither JSON whitespace nor a continuation line's `data:`. */
function skipBackward(bytes: Buffer, index: number): number {
  for (;;) {
    if (index >= 0 && isSpace(bytes[index])) index--;
    else if (index >= dataField.length && bytes[index] === 0x3a && isDataFieldAt(bytes, index - 4) && (bytes[index - 5] === 0x0a || bytes[index - 5] === 0x0d)) index -= dataField.length;
    else return index;
  }
}

/**
 * The bytes without their `"usage": null` members, each with the comma that joined it to its
 * neighbour, in one copy (the same bytes when there is none). A `"usage"` with raw quotes is a key
 * (inside a JSON string its quotes are escaped). The member may stand on a `data:` line of its own
 * in an event whose JSON is spread over several.
 */
export function withoutNullUsage(bytes: Buffer): Buffer {
  const cuts: number[] = [];
  for (let at = bytes.indexOf(usageKey); at !== -1; at = bytes.indexOf(usageKey, at + usageKey.length)) {
    let index = skipForward(bytes, at + usageKey.length);
    if (bytes[index] !== 0x3a) continue;
    index = skipForward(bytes, index + 1);
    if (bytes[index] !== 0x6e || bytes[index + 1] !== 0x75 || bytes[index + 2] !== 0x6c || bytes[index + 3] !== 0x6c) continue;
    const valueEnd = index + 4;
    const after = skipForward(bytes, valueEnd);
    if (bytes[after] !== 0x2c && bytes[after] !== 0x7d) continue;
    const before = skipBackward(bytes, at - 1);
    if (bytes[before] === 0x2c) cuts.push(before, valueEnd);
    else if (bytes[after] === 0x2c) cuts.push(at, skipForward(bytes, after + 1));
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

/**
 * Where the last complete event ends in `bytes`: just after its blank line (`\n\n` or
 * `\r\n\r\n`, or `\r\r` in a stream whose lines end in CR alone); -1 if none. `before1` and
 * `before2` are the two bytes before `bytes` (held ones), so a blank line split between pieces is
 * found. The CR scan runs only for a piece with no LF event end (held bytes, a CR-only stream).
 */
function lastEventEnd(bytes: Buffer, before1?: number, before2?: number): number {
  const at = (index: number) => (index >= 0 ? bytes[index] : index === -1 ? before1 : index === -2 ? before2 : undefined);
  for (let lf = bytes.lastIndexOf(10); lf !== -1; lf = lf > 0 ? bytes.lastIndexOf(10, lf - 1) : -1) {
    if (at(lf - 1) === 10 || (at(lf - 1) === 13 && at(lf - 2) === 10)) return lf + 1;
  }
  for (let cr = bytes.lastIndexOf(13); cr !== -1; cr = cr > 0 ? bytes.lastIndexOf(13, cr - 1) : -1) {
    if (at(cr - 1) === 13) return cr + 1;
  }
  return -1;
}
