import type { Usage } from '../canonical/chat.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import { readOpenAiUsage } from '../formats/openai/read-openai-usage.ts';
import { openAIStreamError } from '../formats/openai/openai-stream-error.ts';
import { SseEventTooLarge, SseParser, sseEventLimit } from '../upstream/sse-parser.ts';
import { copyWithOwnMemory } from '../upstream/own-memory.ts';
import { withServiceTier } from '../usage/usage-service-tier.ts';

/** Usage from a complete OpenAI-shaped JSON body (with the `service_tier` that prices it, DeepSeek's cache hits as cached tokens), or null when it has none or is not JSON. */
export function usageFromJsonBody(body: Buffer): Usage | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { usage?: Usage | null; service_tier?: unknown };
    return parsed.usage ? withServiceTier(readOpenAiUsage(parsed.usage), parsed.service_tier) : null;
  } catch {
    return null;
  }
}

/** An event longer than this is not kept whole (a usage chunk is a few hundred bytes). */
const eventLimit = 64 * 1024;

/**
 * Reads the usage of a passed-through SSE stream as it goes by, for the ledger, without parsing
 * every event: it finds where each event ends (a blank line, `\n\n` or `\r\n\r\n`), keeps the bytes
 * of the event in progress until its end, and keeps a copy of the last event that carries a
 * `"usage"` object (OpenAI-compatible providers send it last; `"usage": null` is skipped). Between
 * events it holds nothing: 1,000 open streams cost no tail buffer each, as a fixed 4 KiB copy per
 * stream did (15 MiB of native memory at the 1,000-stream peak, old buffers waiting for a major
 * GC). The pieces of an event in progress are the upstream's own (Node reads each socket chunk
 * into a buffer of exactly the bytes read), copied only when a piece is a view of a much larger
 * buffer, which holding would keep whole.
 */
export class StreamUsageTail {
  /** The event in progress: pieces received since the last blank line. */
  readonly #current: Buffer[] = [];
  #currentLength = 0;
  #currentTooLong = false;
  #currentHasContent = false;
  /** The current line has a byte other than CR (a blank line ends an event). */
  #lineHasContent = false;
  #usageEvent: Buffer | null = null;
  /** The first event with a top-level `"error"` object (a provider's in-stream failure), as bytes. */
  #errorEvent: Buffer | null = null;
  /** Complete SSE events seen, for an estimate when no usage comes. */
  events = 0;
  /** The first event carried output itself (text, reasoning or a tool call beside its role), not the role alone as OpenAI's does. */
  firstEventCarriesOutput = false;
  /** Bytes of the event in progress (sseEventLimit: past it the stream fails). */
  #eventBytes = 0;
  /** A `data: [DONE]` event came. */
  #sawDone = false;
  /** The last complete event: bytes [#lastFrom, #lastTo) of #lastBytes (a reference, no copy), for finished(). */
  #lastBytes: Buffer | null = null;
  #lastFrom = 0;
  #lastTo = 0;

  push(piece: Buffer): void {
    let eventStart = 0;
    let lineStart = 0;
    // Where the next `"usage"` is in this piece (-1: none), searched once per piece, not per event.
    let usageAt = piece.indexOf(usageKey);
    // The same for `"error"` (a key: inside a JSON string its quotes are escaped), found in few streams.
    let errorAt = this.#errorEvent === null ? piece.indexOf(errorKey) : -1;
    for (let at = piece.indexOf(10); at !== -1; at = piece.indexOf(10, at + 1)) {
      const lineHasContent = this.#lineHasContent || hasContent(piece, lineStart, at);
      this.#lineHasContent = false;
      lineStart = at + 1;
      if (lineHasContent) {
        this.#currentHasContent = true;
        continue;
      }
      this.#endEvent(piece, eventStart, at + 1, usageAt !== -1 && usageAt < at, errorAt !== -1 && errorAt < at);
      eventStart = at + 1;
      if (usageAt !== -1 && usageAt < eventStart) usageAt = piece.indexOf(usageKey, eventStart);
      if (errorAt !== -1 && errorAt < eventStart) errorAt = this.#errorEvent === null ? piece.indexOf(errorKey, eventStart) : -1;
    }
    if (lineStart < piece.length && hasContent(piece, lineStart, piece.length)) {
      this.#lineHasContent = true;
      this.#currentHasContent = true;
    }
    if (eventStart < piece.length) this.#hold(piece.subarray(eventStart));
  }

  #hold(part: Buffer): void {
    this.#eventBytes += part.length;
    if (this.#eventBytes > sseEventLimit) throw new SseEventTooLarge();
    if (this.#currentTooLong) return;
    if (this.#currentLength + part.length > eventLimit) {
      this.#currentTooLong = true;
      this.#current.length = 0;
      this.#currentLength = 0;
      return;
    }
    this.#current.push(part.buffer.byteLength <= 2 * part.length + 1024 ? part : copyWithOwnMemory([part], part.length));
    this.#currentLength += part.length;
  }

  /** Whether the event ending with bytes [from, to) of `piece` holds only comment lines (each starting with `:`). */
  #commentOnly(piece: Buffer, from: number, to: number): boolean {
    if (this.#currentTooLong) return false;
    const first = this.#current.length === 0 ? piece[from] : this.#current[0][0];
    if (first !== colon) return false;
    const event = this.#current.length === 0 ? piece.subarray(from, to) : Buffer.concat([...this.#current, piece.subarray(from, to)]);
    for (const line of event.toString('utf8').split('\n')) if (line.replace(/\r$/, '') !== '' && !line.startsWith(':')) return false;
    return true;
  }

  /**
   * Ends the event in progress with bytes [from, to) of `piece`; `mentionsUsage`: those bytes hold
   * `"usage"` (no view of them is made otherwise).
   */
  #endEvent(piece: Buffer, from: number, to: number, mentionsUsage: boolean, mentionsError: boolean): void {
    // A keep-alive comment (OpenRouter's `: OPENROUTER PROCESSING`) is no event: no data, no output.
    if (this.#currentHasContent && !this.#commentOnly(piece, from, to)) {
      const errorBefore = this.#errorEvent;
      const doneBefore = this.#sawDone;
      this.events++;
      if (this.events === 1 && !this.#currentTooLong) this.firstEventCarriesOutput = carriesOutput(this.#current.length === 0 ? piece.subarray(from, to) : Buffer.concat([...this.#current, piece.subarray(from, to)]));
      if (!this.#currentTooLong) {
        if (this.#current.length === 0) {
          if (mentionsUsage && hasUsageObject(piece, from, to)) this.#usageEvent = copyWithOwnMemory([piece.subarray(from, to)], to - from);
          if (mentionsError && this.#errorEvent === null) this.#noteError(piece.subarray(from, to));
          if (to - from <= doneEventMaxLength && isDoneEvent(piece, from, to)) this.#sawDone = true;
          this.#lastBytes = piece;
          this.#lastFrom = from;
          this.#lastTo = to;
        } else {
          const event = copyWithOwnMemory([...this.#current, piece.subarray(from, to)], this.#currentLength + to - from);
          if (hasUsageObject(event)) this.#usageEvent = event;
          if (this.#errorEvent === null && event.includes(errorKey)) this.#noteError(event);
          if (event.length <= doneEventMaxLength && isDoneEvent(event, 0, event.length)) this.#sawDone = true;
          this.#lastBytes = event;
          this.#lastFrom = 0;
          this.#lastTo = event.length;
        }
      } else this.#lastBytes = null;
      // The provider's error event carries no output either (OpenRouter's has `"content": ""`), nor does `[DONE]`.
      if ((errorBefore === null && this.#errorEvent !== null) || (!doneBefore && this.#sawDone)) this.events--;
    }
    this.#eventBytes = 0;
    this.#current.length = 0;
    this.#currentLength = 0;
    this.#currentTooLong = false;
    this.#currentHasContent = false;
  }

  #noteError(event: Buffer): void {
    if (streamErrorOf(event) !== null) this.#errorEvent = copyWithOwnMemory([event], event.length);
  }

  /**
   * The provider's in-stream failure, when an event carried one: an OpenAI-format `error` object
   * (OpenAI, vLLM, Groq, OpenRouter's mid-stream error with `finish_reason: "error"`). The client
   * got its bytes as they came; this is for the log phase and the ledger.
   */
  streamError(): GatewayError | null {
    return this.#errorEvent === null ? null : streamErrorOf(this.#errorEvent);
  }

  /**
   * Whether the stream came whole: a `data: [DONE]` event, or a last complete event that finished a
   * choice (a `finish_reason` other than null) or carries the usage (sent after the finish). A
   * stream with no complete event at all (events not parted by blank lines: the whole stream is
   * one unfinished event) or cut before its finish is not. Looked at once, at the end: per event
   * only a length compare and a reference are kept.
   */
  finished(): boolean {
    if (this.#sawDone) return true;
    if (this.#currentHasContent && !this.#currentTooLong && this.#currentLength <= doneEventMaxLength) {
      const unfinished = copyWithOwnMemory(this.#current, this.#currentLength);
      if (isDoneEvent(unfinished, 0, unfinished.length)) return true;
    }
    const last = this.#lastBytes;
    if (last === null) return false;
    return hasFinishReason(last, this.#lastFrom, this.#lastTo) || hasUsageObject(last, this.#lastFrom, this.#lastTo);
  }

  /** The usage of the last data event that carries one (an unfinished last event included). */
  usage(): Usage | null {
    if (this.#currentHasContent && !this.#currentTooLong && this.#currentLength > 0) {
      const unfinished = copyWithOwnMemory(this.#current, this.#currentLength);
      if (hasUsageObject(unfinished)) {
        const usage = usageOfEvent(unfinished);
        if (usage) return usage;
      }
    }
    return this.#usageEvent === null ? null : usageOfEvent(this.#usageEvent);
  }
}

/** The longest `data: [DONE]` event looked at (its field, a space, the value and CRLF line ends). */
const doneEventMaxLength = 20;
const doneValue = Buffer.from('[DONE]');
const finishKey = Buffer.from('"finish_reason"');

/** Whether bytes [from, to) are one `data: [DONE]` event (optional space, LF or CRLF ends). */
function isDoneEvent(bytes: Buffer, from: number, to: number): boolean {
  const at = bytes.indexOf(doneValue, from);
  if (at === -1 || at + doneValue.length > to) return false;
  let start = from;
  if (bytes.toString('latin1', start, start + 5) !== 'data:') return false;
  start += 5;
  if (bytes[start] === 32) start++;
  if (start !== at) return false;
  for (let index = at + doneValue.length; index < to; index++) if (bytes[index] !== 10 && bytes[index] !== 13) return false;
  return true;
}

/** Whether bytes [from, to) of an event have a `"finish_reason"` whose value is not null. */
function hasFinishReason(bytes: Buffer, from: number, to: number): boolean {
  for (let at = bytes.indexOf(finishKey, from); at !== -1 && at + finishKey.length <= to; at = bytes.indexOf(finishKey, at + finishKey.length)) {
    let index = at + finishKey.length;
    while (index < to && (bytes[index] === 32 || bytes[index] === 9 || bytes[index] === 58)) index++;
    if (index < to && bytes[index] !== 110) return true;
  }
  return false;
}

/** Whether bytes [from, to) hold anything but CR. */
function hasContent(bytes: Buffer, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (bytes[index] !== 13) return true;
  return false;
}

const usageKey = Buffer.from('"usage"');
const errorKey = Buffer.from('"error"');

/** The failure one SSE event reports (openAIStreamError), or null. */
function streamErrorOf(event: Buffer): GatewayError | null {
  const parser = new SseParser();
  const [parsed] = [...parser.push(event), ...parser.end()];
  try {
    return openAIStreamError(JSON.parse(parsed?.data ?? ''));
  } catch {
    return null;
  }
}

/** Whether bytes [from, to) of an event have `"usage"` followed by an object (not `null`). */
export function hasUsageObject(event: Buffer, from = 0, to = event.length): boolean {
  for (let at = event.indexOf(usageKey, from); at !== -1 && at + usageKey.length <= to; at = event.indexOf(usageKey, at + usageKey.length)) {
    let index = at + usageKey.length;
    while (index < to && (event[index] === 32 || event[index] === 9 || event[index] === 58)) index++;
    if (index < to && event[index] === 123) return true;
  }
  return false;
}

/** The usage object of one SSE event (its data parsed by the shared SseParser), with the chunk's `service_tier` and DeepSeek's cache hits as cached tokens. */
function usageOfEvent(event: Buffer): Usage | null {
  const parser = new SseParser();
  const [parsed] = [...parser.push(event), ...parser.end()];
  try {
    const data = JSON.parse(parsed?.data ?? '') as { usage?: Usage | null; service_tier?: unknown };
    return data.usage && typeof data.usage === 'object' ? withServiceTier(readOpenAiUsage(data.usage), data.service_tier) : null;
  } catch {
    return null;
  }
}

const colon = 0x3a;

/** A delta member with something in it: text, reasoning or a refusal that is not empty, or a tool call. */
const outputMember = /"(?:content|reasoning_content|reasoning|refusal)"\s*:\s*"[^"]|"tool_calls"\s*:\s*\[\s*\{/;

/** Whether an OpenAI-format chunk's bytes carry output (the first event: OpenAI's holds only the role and `content: ""`). */
function carriesOutput(event: Buffer): boolean {
  return outputMember.test(event.toString('utf8'));
}
