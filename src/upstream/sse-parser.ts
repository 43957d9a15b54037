/** One server-sent event. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/**
 * An incremental SSE parser (the WHATWG event-stream rules) shared by every provider: feed it
 * byte chunks split anywhere (multi-byte UTF-8 included) and it returns the complete events.
 */
export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  #buffer = '';
  #event: string | undefined;
  #data: string[] = [];
  #id: string | undefined;

  /** Parses a chunk; returns the events it completed. */
  push(chunk: Uint8Array | string): ServerSentEvent[] {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    return this.#drain(false);
  }

  /** Ends the stream: an event without its closing blank line is still delivered. */
  end(): ServerSentEvent[] {
    this.#buffer += this.#decoder.decode();
    return this.#drain(true);
  }

  #drain(final: boolean): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (;;) {
      const newline = this.#nextLineEnd(start);
      if (newline === -1) break;
      let line = this.#buffer.slice(start, newline);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      start = newline + 1;
      this.#line(line, events);
    }
    this.#buffer = this.#buffer.slice(start);
    if (final) {
      if (this.#buffer !== '') this.#line(this.#buffer.replace(/\r$/, ''), events);
      this.#buffer = '';
      this.#line('', events);
    }
    return events;
  }

  #nextLineEnd(from: number): number {
    const lf = this.#buffer.indexOf('\n', from);
    // A lone CR also ends a line, but only when we know the next character is not LF.
    const cr = this.#buffer.indexOf('\r', from);
    if (cr !== -1 && (lf === -1 || cr < lf - 1) && cr + 1 < this.#buffer.length && this.#buffer[cr + 1] !== '\n') return cr;
    return lf;
  }

  #line(line: string, events: ServerSentEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0 || this.#event !== undefined) events.push({ event: this.#event, data: this.#data.join('\n'), id: this.#id });
      this.#event = undefined;
      this.#data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id') this.#id = value;
  }
}
