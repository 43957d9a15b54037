import { StringDecoder } from 'node:string_decoder';

/** One server-sent event. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

const noEvents: readonly ServerSentEvent[] = Object.freeze([]);

/**
 * The most one event of an upstream stream may hold (its lines, in characters or bytes): 16 MiB,
 * four times the largest answer a model sends in one piece (a whole image as base64 in one chunk
 * stays far under it). Past it the stream fails as upstream_bad_response (mapUpstreamError), so
 * one event cannot take the gateway's memory; the passthrough paths count the same limit in
 * bytes (pipeline/passthrough-usage.ts).
 */
export const sseEventLimit = 16 * 1024 * 1024;

/** An upstream event past sseEventLimit (also a stream with no blank line between its events, past it). */
export class SseEventTooLarge extends Error {
  constructor() {
    super(`an event of the stream is larger than ${sseEventLimit} bytes`);
    this.name = 'SseEventTooLarge';
  }
}

/**
 * An incremental SSE parser (the WHATWG event-stream rules) shared by every provider: feed it
 * byte chunks split anywhere (multi-byte UTF-8 included) and it returns the complete events.
 * Lines are read in place by their offsets: per event one string for its data (and one for an
 * `event:` or `id:` field), no string per line, no array per event.
 */
export class SseParser {
  // Node's StringDecoder holds back a multi-byte character split between pieces, as TextDecoder's
  // stream mode does, at a third of the time and half the memory per piece, and an ASCII piece
  // becomes a one-byte string (TextDecoder's stream mode made a two-byte one, which every slice
  // and JSON.parse of the event then read).
  readonly #decoder = new StringDecoder('utf8');
  /** False until the first text decoded from bytes: a byte order mark there is dropped (UTF-8 decode). */
  #decodedAny = false;
  #buffer = '';
  /** Text after #buffer with no line end in it (a long line arriving in pieces), joined once its end comes. */
  #parts: string[] = [];
  /** Characters of the event in progress so far (an approximation to a piece: reset at its blank line). */
  #eventLength = 0;
  #event: string | undefined;
  /** The event's data lines joined with LF so far; null before its first data line. */
  #data: string | null = null;
  #id: string | undefined;
  /** Events completed by the current push, if any. */
  #completed: ServerSentEvent[] | null = null;

  /** Parses a chunk; returns the events it completed (an empty list is shared: read it, do not change it). */
  push(chunk: Uint8Array | string): readonly ServerSentEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.#decoded(this.#decoder.write(chunk));
    this.#eventLength += text.length;
    if (this.#eventLength > sseEventLimit) throw new SseEventTooLarge();
    // A piece with no line end in it (one long line, e.g. a huge event's data) is only kept: the
    // text held is scanned and joined once, when its line ends, not again for every piece.
    if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1 && this.#buffer.charCodeAt(this.#buffer.length - 1) !== 13) {
      if (text !== '') this.#parts.push(text);
      return noEvents;
    }
    this.#buffer = this.#joined(text);
    return this.#drain(false);
  }

  /** Ends the stream: an event without its closing blank line is still delivered. */
  end(): readonly ServerSentEvent[] {
    this.#buffer = this.#joined(this.#decoded(this.#decoder.end()));
    return this.#drain(true);
  }

  /** The text held and `text` after it, as one string. */
  #joined(text: string): string {
    if (this.#parts.length === 0) return this.#buffer + text;
    this.#parts.push(text);
    const joined = this.#buffer + this.#parts.join('');
    this.#parts = [];
    return joined;
  }

  #decoded(text: string): string {
    if (this.#decodedAny || text === '') return text;
    this.#decodedAny = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  #drain(final: boolean): readonly ServerSentEvent[] {
    const buffer = this.#buffer;
    let start = 0;
    // Where the next CR is (-1: none left), found once and moved on only when passed: an LF-only
    // stream is not scanned to its end for every line.
    let cr = buffer.indexOf('\r');
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      let lineEnd: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // CR ends a line; CRLF counts once. A CR last in the buffer waits: an LF may follow.
        if (cr + 1 >= buffer.length && !final) break;
        lineEnd = cr;
        next = buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        lineEnd = lf;
        next = lf + 1;
      } else {
        break;
      }
      this.#line(buffer, start, lineEnd);
      start = next;
    }
    if (final) {
      if (start < buffer.length) this.#line(buffer, start, buffer.length);
      this.#buffer = '';
      this.#line('', 0, 0);
    } else {
      this.#buffer = start === 0 ? buffer : buffer.slice(start);
    }
    const completed = this.#completed;
    this.#completed = null;
    return completed ?? noEvents;
  }

  /** The line text[from, to) (its end of line excluded). */
  #line(text: string, from: number, to: number): void {
    if (from === to) {
      this.#eventLength = 0;
      if (this.#data !== null || this.#event !== undefined) (this.#completed ??= []).push({ event: this.#event, data: this.#data ?? '', id: this.#id });
      this.#event = undefined;
      this.#data = null;
      return;
    }
    if (text.charCodeAt(from) === 58) return; // ':' starts a comment
    let fieldEnd = text.indexOf(':', from);
    if (fieldEnd === -1 || fieldEnd > to) fieldEnd = to;
    let valueStart = fieldEnd === to ? to : fieldEnd + 1;
    if (valueStart < to && text.charCodeAt(valueStart) === 32) valueStart++;
    const fieldLength = fieldEnd - from;
    if (fieldLength === 4 && text.startsWith('data', from)) {
      const value = text.slice(valueStart, to);
      this.#data = this.#data === null ? value : `${this.#data}\n${value}`;
    } else if (fieldLength === 5 && text.startsWith('event', from)) {
      this.#event = text.slice(valueStart, to);
    } else if (fieldLength === 2 && text.startsWith('id', from)) {
      this.#id = text.slice(valueStart, to);
    }
  }
}
